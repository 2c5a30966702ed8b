package dev.recdata.export.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.recdata.export.serve.ServeRequests.BadRequest;
import dev.recdata.export.serve.ServeRequests.Feedback;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code recdata serve} on Javalin: {@code POST /recommend}, {@code POST
 * /feedback}, {@code GET /similar}, {@code GET /healthz}, {@code GET /metrics}. Every JSON answer
 * carries the {@code model_version} it was computed from (and every response the {@code
 * Recdata-Model-Version} header); each request reads the served snapshot once, so it never mixes
 * two versions.
 */
public final class ServeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServeServer.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final String JSON_TYPE = "application/json";
  public static final String VERSION_HEADER = "Recdata-Model-Version";

  private final ServeOptions options;
  private final ServeMetrics metrics = new ServeMetrics();
  private final ServedModel model;
  private final FeedbackWriter feedback;
  private final ScheduledExecutorService poller;
  private final Javalin app;

  private ServeServer(ServeOptions options) {
    this.options = options;
    this.model = new ServedModel(options.run(), metrics::modelSwapped);
    this.feedback =
        options.jdbc() == null
            ? null
            : new FeedbackWriter(
                options.jdbc(),
                options.feedbackTable(),
                options.poolSize(),
                options.dbTimeoutMillis());
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jetty.host = options.host();
              config.jetty.port = options.port();
              config.http.maxRequestSize = 1 << 20;
              config.routes.post("/recommend", endpoint("recommend", this::recommend));
              config.routes.post("/feedback", endpoint("feedback", this::feedback));
              config.routes.get("/similar", endpoint("similar", this::similar));
              config.routes.get("/healthz", endpoint("healthz", this::healthz));
              config.routes.get("/metrics", endpoint("metrics", this::metrics));
            });
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "recdata-serve-reload");
              t.setDaemon(true);
              return t;
            });
  }

  /** Loads the current version, starts listening and polls {@code --run} for new versions. */
  public static ServeServer start(ServeOptions options) {
    ServeServer server = new ServeServer(options);
    server.app.start();
    if (options.pollMillis() > 0) {
      server.poller.scheduleWithFixedDelay(
          server::reloadQuietly, options.pollMillis(), options.pollMillis(), TimeUnit.MILLISECONDS);
    }
    return server;
  }

  public int port() {
    return app.port();
  }

  public ServedModel model() {
    return model;
  }

  private void reloadQuietly() {
    try {
      if (model.reloadIfChanged()) {
        LOG.warn(
            "serve: now serving model {} from {} ({} users)",
            model.current().modelVersion(),
            model.current().exportDir(),
            model.current().recommendations().size());
      }
    } catch (RuntimeException e) {
      // a half-written or broken new version: keep serving the current one and try again at the
      // next poll
      LOG.warn(
          "serve: keeping model {}: cannot load the new version: {}",
          model.current().modelVersion(),
          e.getMessage());
    }
  }

  @FunctionalInterface
  private interface JsonHandler {
    /**
     * Writes the answer's fields (the object or array is opened by the caller); returns the status.
     */
    int handle(Context ctx, ServedRun run, JsonGenerator out) throws IOException;
  }

  /** One endpoint: reads the snapshot once, maps errors to statuses, records metrics. */
  private Handler endpoint(String name, JsonHandler handler) {
    return ctx -> {
      long start = System.nanoTime();
      ServedRun run = model.current();
      ctx.header(VERSION_HEADER, run.modelVersion());
      int status;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (JsonGenerator out = JSON.createGenerator(bytes)) {
        status = handler.handle(ctx, run, out);
      } catch (BadRequest e) {
        status = 400;
        bytes = error(e.getMessage(), run);
      } catch (FeedbackWriter.Unavailable e) {
        status = 503;
        bytes = error(e.getMessage(), run);
      } catch (RuntimeException e) {
        LOG.warn("serve: {} failed", name, e);
        status = 500;
        bytes = error("internal error: " + e, run);
      }
      if (!name.equals("metrics")) {
        ctx.status(status).contentType(JSON_TYPE).result(bytes.toByteArray());
      } else {
        ctx.status(status);
      }
      metrics.record(name, status, System.nanoTime() - start);
    };
  }

  private static ByteArrayOutputStream error(String message, ServedRun run) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator out = JSON.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeStringField("error", message);
      out.writeStringField("model_version", run.modelVersion());
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }

  private int recommend(Context ctx, ServedRun run, JsonGenerator out) throws IOException {
    long[] users = ServeRequests.recommendUsers(ctx.bodyAsBytes());
    out.writeStartArray();
    for (long user : users) {
      long[] items = run.recommendations().get(user);
      boolean known = items != null;
      if (!known) {
        items = run.popular(options.topK());
      } else if (items.length > options.topK()) {
        items = java.util.Arrays.copyOf(items, options.topK());
      }
      out.writeStartObject();
      out.writeNumberField("user_id", user);
      out.writeFieldName("items");
      out.writeArray(items, 0, items.length);
      out.writeStringField("source", known ? "model" : "popular");
      out.writeStringField("model_version", run.modelVersion());
      out.writeEndObject();
    }
    out.writeEndArray();
    return 200;
  }

  private int feedback(Context ctx, ServedRun run, JsonGenerator out) throws IOException {
    Feedback row = ServeRequests.feedback(ctx.bodyAsBytes());
    if (feedback == null) {
      throw new FeedbackWriter.Unavailable(
          "feedback not written: serve was started without --jdbc-url");
    }
    int written = feedback.write(row);
    metrics.feedbackRows(written);
    out.writeStartObject();
    out.writeStringField("msg", "Feedback Sent");
    out.writeStringField("model_version", run.modelVersion());
    out.writeEndObject();
    return 200;
  }

  private int similar(Context ctx, ServedRun run, JsonGenerator out) throws IOException {
    long item = ServeRequests.itemId(ctx.queryParam("item_id"));
    long[] items = run.similarItems().get(item);
    out.writeStartObject();
    out.writeNumberField("item_id", item);
    if (items == null) {
      out.writeStringField("error", "item " + item + " is not in model " + run.modelVersion());
    } else {
      out.writeFieldName("items");
      out.writeArray(items, 0, items.length);
    }
    out.writeStringField("model_version", run.modelVersion());
    out.writeEndObject();
    return items == null ? 404 : 200;
  }

  private int healthz(Context ctx, ServedRun run, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("status", "ok");
    out.writeStringField("model_version", run.modelVersion());
    out.writeStringField("export", run.exportDir().toString());
    out.writeNumberField("users", run.recommendations().size());
    out.writeNumberField("items_with_similar", run.similarItems().size());
    out.writeBooleanField("feedback", feedback != null);
    out.writeEndObject();
    return 200;
  }

  private int metrics(Context ctx, ServedRun run, JsonGenerator out) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    return 200;
  }

  @Override
  public void close() {
    poller.shutdownNow();
    app.stop();
    if (feedback != null) {
      feedback.close();
    }
  }
}
