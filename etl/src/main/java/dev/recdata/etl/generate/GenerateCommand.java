package dev.recdata.etl.generate;

import dev.recdata.common.Preflight;
import dev.recdata.common.Progress;
import dev.recdata.common.cli.ConfigFileOption;
import dev.recdata.common.cli.SeedOption;
import dev.recdata.common.cli.SparkOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recdata generate}: synthetic MovieLens-shaped ratings and movies of any size. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Writes synthetic MovieLens 25M-shaped data (ratings.csv, movies.csv) for demos and benchmarks.",
      "Same options and seed give byte-identical files, whatever --threads is.",
      "Defaults from --rows: users = ceil(rows / 154), items = max(2, min(rows, 200), round(59000 * (rows /"
          + " 25e6)^0.7)); 25,000,000 rows give 162,338 users and 59,000 movies."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:files written", "1:internal error", "2:bad option (the message names it)"})
public final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      description = "Folder to write ratings.csv and movies.csv into.")
  String out;

  @Option(
      names = "--rows",
      defaultValue = "100000",
      description = "Ratings to write (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--users", description = "Users (default: ceil(rows / 154)).")
  Integer users;

  @Option(
      names = "--items",
      description = "Movies (default: from --rows, MovieLens 25M proportions).")
  Integer items;

  @Mixin SeedOption seed;
  @Mixin ConfigFileOption config;

  // generate writes with plain Java threads (--threads), not Spark; it takes --master and -v like
  // every other command so a script can pass the same common options to all of them
  @Mixin SparkOptions spark;

  @Option(names = "--threads", description = "Worker threads (default: available processors).")
  Integer threads;

  @Override
  public Integer call() {
    GenerateOptions options =
        new GenerateOptions(
            out,
            users != null ? users : GenerateOptions.defaultUsers(rows),
            items != null ? items : GenerateOptions.defaultItems(rows),
            rows,
            seed.seed,
            threads != null ? threads : Runtime.getRuntime().availableProcessors());
    Progress progress = new Progress("generate");
    // Through Hadoop's FileSystem so --out may be s3a:// or hdfs:// (credentials from core-site or
    // the environment).
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    // Rendering 25M rows takes half a minute; an unreachable bucket should fail before that, not
    // after.
    Preflight.path(conf, "--out", out);
    GenerateSummary summary = GeneratedSample.generate(conf, options);
    progress.step(
        "generate",
        "wrote %,d ratings by %,d users of %,d movies (ratings.csv %,d bytes) to %s",
        summary.rows(),
        summary.users(),
        summary.items(),
        summary.ratingsBytes(),
        out);
    return 0;
  }
}
