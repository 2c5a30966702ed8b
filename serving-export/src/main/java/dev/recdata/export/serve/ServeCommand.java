package dev.recdata.export.serve;

import dev.recdata.common.cli.JdbcOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recdata serve}: recommendations, similar items and feedback over HTTP from the current
 * export.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the current model over HTTP: POST /recommend, POST /feedback, GET /similar?item_id=, GET /healthz,"
          + " GET /metrics. Picks up a new run when RUN/latest moves, without a restart."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped",
      "1:internal error",
      "2:usage error or bad input (no model under --run, port in use)"
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin JdbcOptions jdbc;
  @Spec CommandSpec spec;

  @Option(
      names = "--run",
      required = true,
      description = "Pipeline root (its latest names the run), a run folder, or an export folder.")
  String run;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--top-k",
      defaultValue = "5",
      description = "Items per user (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--poll-seconds",
      defaultValue = "5",
      description =
          "How often RUN/latest is checked for a new run (default: ${DEFAULT-VALUE}; 0 = never).")
  double pollSeconds;

  @Option(
      names = "--feedback-table",
      defaultValue = FeedbackWriter.DEFAULT_TABLE,
      description = "Table feedback is written to, created if missing (default: ${DEFAULT-VALUE}).")
  String feedbackTable;

  @Option(
      names = "--pool-size",
      defaultValue = "8",
      description = "PostgreSQL connections for feedback (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Option(
      names = "--db-timeout-ms",
      defaultValue = "2000",
      description =
          "A feedback request waiting longer for the database is answered 503 (default: ${DEFAULT-VALUE}).")
  long dbTimeoutMillis;

  ServeOptions options() {
    return new ServeOptions(
        Path.of(run),
        host,
        port,
        topK,
        Math.round(pollSeconds * 1000),
        jdbc.target(),
        feedbackTable,
        poolSize,
        dbTimeoutMillis);
  }

  @Override
  public Integer call() throws InterruptedException {
    ServeOptions options = options();
    ServeServer server = ServeServer.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "recdata-serve-stop"));
    PrintWriter out = spec.commandLine().getOut();
    ServedRun current = server.model().current();
    out.printf(
        Locale.ROOT,
        "serve: model %s from %s (%,d users, %,d items with similar items) on http://%s:%d%s%n",
        current.modelVersion(),
        current.exportDir(),
        current.recommendations().size(),
        current.similarItems().size(),
        options.host(),
        server.port(),
        options.jdbc() == null
            ? "; no --jdbc-url: /feedback answers 503"
            : "; feedback to " + options.feedbackTable() + " at " + options.jdbc().redactedUrl());
    out.flush();
    stopped.await();
    return 0;
  }
}
