package dev.recdata.quality;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Preflight;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunContext;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.ConfigFileOption;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.JdbcSchemaOption;
import dev.recdata.common.cli.SparkOptions;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recdata quality}: checks a split (or etl) folder and stops the pipeline when a gating
 * check fails.
 */
@Command(
    name = "quality",
    mixinStandardHelpOptions = true,
    description = {
      "Computes metrics and runs checks (row conservation, pair and temporal leakage, ratio conformance, cold"
          + " start, duplicates, nulls, id range) on a split folder or an etl folder; writes"
          + " OUT/report.json, OUT/report.html and, with --jdbc-url, PostgreSQL tables."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:all gating checks passed",
      "1:internal error",
      "2:bad input or usage",
      "3:quality gate failed (a check failed, or warned with --fail-on warn); the reports are still written"
    })
public final class QualityCommand implements Callable<Integer> {
  @Mixin SparkOptions spark = new SparkOptions();
  @Mixin JdbcOptions jdbc = new JdbcOptions();

  @Option(
      names = "--input",
      required = true,
      description = "Split folder (written by split) or etl folder (with interactions/).")
  String input;

  @Option(
      names = "--out",
      required = true,
      description = "Output folder: the reports go into OUT itself (replaced atomically).")
  String out;

  @Mixin QualityCliOptions quality;
  @Mixin JdbcSchemaOption jdbcSchema;
  @Mixin ConfigFileOption config;

  @Option(
      names = "--run-id",
      description =
          "Quality run id (default: the checked split's run_id, so checking a split again replaces its run in"
              + " the tables).")
  String runId;

  @Override
  public Integer call() {
    QualityOptions options = quality.options(runId);
    RunContext context = new RunContext(null, quality.datasetName());
    String schema = QualityTableWriter.checkSchema(jdbcSchema.name);
    JdbcTarget target = jdbc.target();
    Preflight.jdbc(target, schema, "the quality tables");
    SparkSession session = SparkSessions.getOrCreate("recdata quality", spark.master);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--input", input);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--out", out);
    QualityReport report = QualityJob.run(session, input, out, options, target, schema, context);
    if (report.gateFailed()) {
      throw new RecdataException(
          RecdataException.EXIT_GATE_FAILED,
          "quality gate failed for "
              + input
              + ": "
              + report.gatingChecks().stream()
                  .map(c -> c.check() + " " + c.status().label() + " (" + c.message() + ")")
                  .collect(Collectors.joining("; "))
              + "; see "
              + new org.apache.hadoop.fs.Path(out, QualityOutput.REPORT_HTML));
    }
    return 0;
  }
}
