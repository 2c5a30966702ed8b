package dev.recdata.export;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Preflight;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.ConfigFileOption;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.JdbcSchemaOption;
import dev.recdata.common.cli.SparkOptions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recdata export}: training tensors and serving outputs from a pipeline run. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write training tensors (triplets, candidate lists, sequences, features) and serving outputs into OUT.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage error or bad input (missing etl or split folder, bad option, unreachable database)",
      "3:publish guard: the model has no recommendations or covers too few users or items; nothing committed or published"
    })
public final class ExportCommand implements Callable<Integer> {
  @Mixin SparkOptions spark;
  @Mixin JdbcOptions jdbc;

  @Mixin JdbcSchemaOption jdbcSchema;
  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      description = "Run folder holding etl/, splits/ and als/ (each can be given separately).")
  String input;

  @Option(names = "--etl", description = "etl output folder (default: INPUT/etl).")
  String etl;

  @Option(
      names = "--splits",
      description = "Split folder written by split (default: INPUT/splits).")
  String splits;

  @Option(
      names = "--als",
      description =
          "ALS output folder, the --out of als (default: INPUT/als; without one only the training side is written).")
  String als;

  @Option(
      names = "--out",
      required = true,
      description = "Output folder: the export goes into OUT itself (replaced atomically).")
  String out;

  @Mixin ExportCliOptions export;
  @Mixin ConfigFileOption config;

  ExportOptions options() {
    return export.options();
  }

  ExportPaths paths() {
    return ExportPaths.of(input, etl, splits, als, out);
  }

  @Override
  public Integer call() {
    ExportOptions o = options();
    ExportPaths p = paths();
    JdbcTarget target = jdbc.target();
    Preflight.jdbc(target, jdbcSchema.name, "the published recommendations");
    SparkSession session = SparkSessions.getOrCreate("recdata export", spark.master);
    if (!spark.verbose) {
      session.sparkContext().setLogLevel("WARN");
    }
    Configuration conf = session.sparkContext().hadoopConfiguration();
    Preflight.path(conf, "--etl", p.etl());
    Preflight.path(conf, "--splits", p.splits());
    if (p.als() != null) {
      Preflight.path(conf, "--als", p.als());
    }
    Preflight.path(conf, "--out", p.exportDir());
    ExportSummary summary = ExportJob.run(session, p, o, target, jdbcSchema.name);
    PrintWriter stdout = spec.commandLine().getOut();
    summary
        .counts()
        .fields()
        .forEachRemaining(
            part ->
                part.getValue()
                    .fields()
                    .forEachRemaining(
                        count ->
                            stdout.printf(
                                Locale.ROOT,
                                "export: %s/%s %,d%n",
                                part.getKey(),
                                count.getKey(),
                                count.getValue().asLong())));
    stdout.printf(Locale.ROOT, "export: wrote %s%n", summary.outputDir());
    stdout.flush();
    return 0;
  }
}
