package dev.recdata.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recdata runs list|diff|gc}: what a pipeline root holds, what changed between two runs, and
 * removing what is no longer needed.
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description =
        "List, compare or clean the runs of a pipeline root (--out of `recdata pipeline`).",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Diff.class, RunsCommand.Gc.class})
public final class RunsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return dev.recdata.common.RecdataException.EXIT_BAD_INPUT;
  }

  /**
   * Hadoop configuration from the environment (core-site.xml on the classpath, HADOOP_CONF_DIR), no
   * Spark needed.
   */
  static Configuration conf() {
    return new Configuration();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "One line per run, oldest first: id, status (complete, failed, unfinished, running), whether latest names it,"
            + " when it finished, rows etl read, train/validation/test rows, the quality status, test NDCG of ALS and"
            + " of the best baseline, and the model served.",
        "A column the run did not reach (or its pipeline.json predates) shows -."
      })
  static final class ListRuns implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        description = "The pipeline root (the pipeline's --out).")
    String out;

    @Option(names = "--json", description = "One JSON array, one object per run, for programs.")
    boolean json;

    @picocli.CommandLine.Mixin dev.recdata.common.cli.ConfigFileOption config;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Configuration conf = conf();
      RunsFolder runs = new RunsFolder(conf, out);
      runs.checkIsPipelineRoot();
      String latest = runs.latestRunId();
      List<RunLine> lines =
          runs.runs().stream().map(run -> RunLine.of(conf, run, run.id().equals(latest))).toList();
      PrintWriter printed = spec.commandLine().getOut();
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        lines.forEach(line -> array.add(line.json()));
        printed.println(array.toPrettyString());
      } else {
        printed.print(RunLine.table(lines));
      }
      printed.flush();
      return 0;
    }
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = {
        "What changed from run A to run B: options that differ per stage, row counts and test metrics with their"
            + " changes, the quality verdict, the model selected and served.",
        "A and B are run ids, latest (the run OUT/latest names), previous (the complete run before it) or latest~N."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:the difference was printed (also when there is none)",
        "2:A or B is not a finished run of --out (the message names it)"
      })
  static final class Diff implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        description = "The pipeline root (the pipeline's --out).")
    String out;

    @picocli.CommandLine.Parameters(
        index = "0",
        paramLabel = "A",
        description = "The run to compare from.")
    String a;

    @picocli.CommandLine.Parameters(
        index = "1",
        paramLabel = "B",
        description = "The run to compare with A.")
    String b;

    @Option(
        names = "--json",
        description =
            "The difference as JSON, every count and metric with its delta, for programs.")
    boolean json;

    @picocli.CommandLine.Mixin dev.recdata.common.cli.ConfigFileOption config;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Configuration conf = conf();
      RunsFolder runs = new RunsFolder(conf, out);
      runs.checkIsPipelineRoot();
      RunsFolder.RunFolder runA = runs.finishedRun(a);
      RunsFolder.RunFolder runB = runs.finishedRun(b);
      RunDiff diff =
          RunDiff.of(
              runA,
              RunOutputs.recordedOrRead(conf, runA),
              runB,
              RunOutputs.recordedOrRead(conf, runB));
      PrintWriter printed = spec.commandLine().getOut();
      printed.print(json ? diff.json().toPrettyString() + System.lineSeparator() : diff.text());
      printed.flush();
      return 0;
    }
  }

  @Command(
      name = "gc",
      mixinStandardHelpOptions = true,
      description = {
        "Remove unfinished runs (killed before their pipeline.json; never one whose process on this host is alive)"
            + " and, with --keep N, every finished run but the N newest.",
        "Never removes the run OUT/latest names, nor anything under --out that the pipeline did not make."
      })
  static final class Gc implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        description = "The pipeline root (the pipeline's --out).")
    String out;

    @picocli.CommandLine.Mixin dev.recdata.common.cli.ConfigFileOption config;

    @Option(
        names = "--keep",
        description = "Keep the N newest finished runs (complete or failed); default: keep all.")
    Integer keep;

    @Override
    public Integer call() {
      dev.recdata.common.RecdataException.checkInput(
          keep == null || keep >= 1, "--keep %s: expected 1 or more", keep);
      Progress progress = new Progress("runs gc");
      List<String> removed = new RunsFolder(conf(), out).gc(keep, progress);
      progress.info("done; %d finished run(s) removed beyond --keep", removed.size());
      return 0;
    }
  }
}
