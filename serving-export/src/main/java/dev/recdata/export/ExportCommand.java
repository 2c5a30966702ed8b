package dev.recdata.export;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Preflight;
import dev.recdata.common.RecdataException;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.SparkOptions;
import dev.recdata.export.tensor.Format;
import dev.recdata.export.training.Sampler;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    description = "Write training tensors (triplets, candidate lists, sequences, features) and serving outputs into OUT.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage error or bad input (missing etl or split folder, bad option, unreachable database)"
    })
public final class ExportCommand implements Callable<Integer> {
  @Mixin SparkOptions spark;
  @Mixin JdbcOptions jdbc;

  @Option(
      names = "--jdbc-schema",
      defaultValue = "recdata",
      description = "Schema of the published recommendations and item_embeddings tables (default: ${DEFAULT-VALUE}).")
  String jdbcSchema;
  @Spec CommandSpec spec;

  @Option(names = "--input", description = "Run folder holding etl/, splits/ and als/ (each can be given separately).")
  String input;

  @Option(names = "--etl", description = "etl output folder (default: INPUT/etl).")
  String etl;

  @Option(names = "--splits", description = "Split folder written by split (default: INPUT/splits).")
  String splits;

  @Option(names = "--als", description = "ALS output folder, the --out of als (default: INPUT/als; without one only the training side is written).")
  String als;

  @Option(names = "--out", required = true, description = "Output folder: the export goes into OUT itself (replaced atomically).")
  String out;

  @Option(names = "--negatives", defaultValue = "4", description = "Negatives per train positive (default: ${DEFAULT-VALUE}).")
  int negatives;

  @Option(names = "--sampler", defaultValue = "uniform", description = "uniform, popularity or impressions (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(names = "--popularity-exponent", defaultValue = "0.75", description = "Popularity weight (count + 1)^e (default: ${DEFAULT-VALUE}).")
  double popularityExponent;

  @Option(names = "--eval-negatives", defaultValue = "100", description = "Sampled negatives per evaluation candidate list (default: ${DEFAULT-VALUE}).")
  int evalNegatives;

  @Option(names = "--max-sequence-length", defaultValue = "200", description = "Items kept per user sequence (default: ${DEFAULT-VALUE}).")
  int maxSequenceLength;

  @Option(names = "--positive-threshold", defaultValue = "4.0", description = "A rating >= this is a positive; likes always are (default: ${DEFAULT-VALUE}).")
  float positiveThreshold;

  @Option(names = "--shard-bytes", defaultValue = "2GiB", description = "Split safetensors files above this size into row shards, e.g. 512MiB (default: ${DEFAULT-VALUE}).")
  String shardBytes;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--formats", defaultValue = "safetensors,npy,parquet", description = "Any of safetensors, npy, parquet (default: ${DEFAULT-VALUE}).")
  String formats;

  @Option(names = "--top-k", defaultValue = "5", description = "Serving: recommendations per user (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--similar-k", defaultValue = "10", description = "Serving: similar items per item (default: ${DEFAULT-VALUE}).")
  int similarK;

  ExportOptions options() {
    return new ExportOptions(negatives, Sampler.parse(sampler), popularityExponent, evalNegatives, maxSequenceLength,
        positiveThreshold, parseBytes(shardBytes), seed, Format.parseList(formats), topK, similarK);
  }

  ExportPaths paths() {
    return ExportPaths.of(input, etl, splits, als, out);
  }

  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  /** {@code 1048576}, {@code 512MiB}, {@code 2g}: binary multiples. */
  static long parseBytes(String value) {
    Matcher m = BYTES.matcher(value.trim());
    RecdataException.checkInput(m.matches(), "--shard-bytes %s is not a size: expected bytes, e.g. 1048576, 512MiB or 2GiB", value);
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (ArithmeticException | NumberFormatException e) {
      throw RecdataException.badInput("--shard-bytes %s is too large", value);
    }
  }

  @Override
  public Integer call() {
    ExportOptions o = options();
    ExportPaths p = paths();
    JdbcTarget target = jdbc.target();
    Preflight.jdbc(target, jdbcSchema, "the published recommendations");
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
    ExportSummary summary = ExportJob.run(session, p, o, target, jdbcSchema);
    PrintWriter stdout = spec.commandLine().getOut();
    summary.counts().fields().forEachRemaining(
        part -> part.getValue().fields().forEachRemaining(
            count -> stdout.printf(Locale.ROOT, "export: %s/%s %,d%n", part.getKey(), count.getKey(), count.getValue().asLong())));
    stdout.printf(Locale.ROOT, "export: wrote %s%n", summary.outputDir());
    stdout.flush();
    return 0;
  }
}
