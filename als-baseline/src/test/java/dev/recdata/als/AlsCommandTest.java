package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AlsCommandTest {
  private static AlsCommand parse(String... args) {
    AlsCommand command = new AlsCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void optionsReachTheRecord() {
    AlsOptions o =
        parse(
                "--input",
                "in",
                "--out",
                "out",
                "--mode",
                "implicit",
                "--rank",
                "32",
                "--alpha",
                "40",
                "--k",
                "5",
                "--grid",
                "rank=16,32;alpha=1,10",
                "--select-by",
                "MAP@5",
                "--refit-on-train-val",
                "--nonnegative")
            .options();
    assertThat(o.mode()).isEqualTo(AlsOptions.Mode.IMPLICIT);
    assertThat(o.rank()).isEqualTo(32);
    assertThat(o.alpha()).isEqualTo(40.0);
    assertThat(o.selectBy()).isEqualTo("map@5");
    assertThat(o.grid().points()).hasSize(4).first().isEqualTo(Map.of("rank", 16.0, "alpha", 1.0));
    assertThat(o.refitOnTrainVal()).isTrue();
    assertThat(o.nonnegative()).isTrue();
    assertThat(o.centerByBiases()).isFalse(); // centring is explicit-only
  }

  @Test
  void defaultsRankWithTunedImplicitAlsAndExplicitCentresAndSelectsByRmse() {
    AlsOptions ranking = parse("--input", "in", "--out", "out").options();
    assertThat(ranking).isEqualTo(AlsOptions.commandDefaults());
    assertThat(ranking.mode()).isEqualTo(AlsOptions.Mode.IMPLICIT);
    assertThat(ranking.selectBy()).isEqualTo("ndcg@10");
    assertThat(ranking.protocol().tune()).isEqualTo(AlsOptions.Tune.AUTO);
    assertThat(ranking.protocol().tuneBudget()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(ranking.protocol().refitOnAll()).isTrue();
    assertThat(ranking.refitOnTrainVal()).isTrue();
    assertThat(ranking.protocol().serveFallback()).isEqualTo(AlsOptions.ServeFallback.POPULAR);
    assertThat(ranking.protocol().pinned()).isEmpty();
    AlsOptions pinned = parse("--input", "in", "--out", "out", "--rank", "32").options();
    assertThat(pinned.rank()).isEqualTo(32);
    assertThat(pinned.protocol().pinned()).containsExactly("rank");
    // params.json lists the pinned parameters: in one order whatever the JVM, not Set.copyOf's
    // per-JVM salted one
    AlsOptions several =
        parse(
                "--input",
                "in",
                "--out",
                "out",
                "--rank",
                "32",
                "--max-iter",
                "5",
                "--reg-param",
                "0.2",
                "--alpha",
                "2")
            .options();
    assertThat(several.protocol().pinned()).containsExactly("alpha", "maxIter", "rank", "regParam");
    AlsOptions grid =
        parse("--input", "in", "--out", "out", "--tune", "rank=2,3", "--tune-budget", "90s")
            .options();
    assertThat(grid.protocol().tune()).isEqualTo(AlsOptions.Tune.GRID);
    assertThat(grid.grid().size()).isEqualTo(2);
    assertThat(grid.protocol().tuneBudget()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(grid.protocol().tuneSampleRows())
        .isEqualTo(AlsOptions.Protocol.DEFAULT_TUNE_SAMPLE_ROWS);
    assertThat(
            parse("--input", "in", "--out", "out", "--tune-sample-rows", "0")
                .options()
                .protocol()
                .tuneSampleRows())
        .isZero();

    AlsOptions o = parse("--input", "in", "--out", "out", "--mode", "explicit").options();
    assertThat(o.mode()).isEqualTo(AlsOptions.Mode.EXPLICIT);
    assertThat(o.centerByBiases()).isTrue();
    assertThat(o.selectBy()).isEqualTo("rmse");
    assertThat(o.positiveThreshold()).isEqualTo(4.0f);
    assertThat(
            parse("--input", "in", "--out", "out", "--mode", "explicit", "--no-center-by-biases")
                .options()
                .centerByBiases())
        .isFalse();
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> parse("--input", "in", "--out", "out", "--mode", "both").options())
        .hasMessageContaining("--mode both is not known; expected one of explicit, implicit");
    assertThatThrownBy(() -> parse("--input", "in", "--out", "out", "--rank", "0").options())
        .hasMessageContaining("--rank 0 must be at least 1");
    assertThatThrownBy(
            () -> parse("--input", "in", "--out", "out", "--tune-budget", "soon").options())
        .hasMessageContaining("--tune-budget soon is not a duration; expected e.g. 90s, 10m");
    assertThatThrownBy(
            () -> parse("--input", "in", "--out", "out", "--tune-sample-rows", "-1").options())
        .hasMessageContaining("--tune-sample-rows -1 must be 0 (never sample) or more");
    assertThatThrownBy(() -> parse("--input", "in", "--out", "out", "--tune", "rank=two").options())
        .hasMessageContaining("rank=two is not a number");
    assertThatThrownBy(
            () -> parse("--input", "in", "--out", "out", "--serve-fallback", "bias").options())
        .hasMessageContaining("--serve-fallback bias is not known; expected one of popular, none");
  }

  @Test
  void helpListsExitCodes() {
    StringWriter text = new StringWriter();
    int code = new CommandLine(new AlsCommand()).setOut(new PrintWriter(text)).execute("--help");
    assertThat(code).isZero();
    assertThat(text.toString())
        .contains("--grid", "--select-by", "Exit codes:", "2   usage error or bad input");
  }
}
