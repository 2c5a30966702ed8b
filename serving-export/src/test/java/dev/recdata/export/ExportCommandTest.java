package dev.recdata.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import dev.recdata.export.tensor.Format;
import dev.recdata.export.training.Sampler;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExportCommandTest {
  private static ExportCommand parse(String... args) {
    ExportCommand command = new ExportCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    ExportCommand command = parse("--input", "/runs/r1", "--out", "/out");
    ExportOptions o = command.options();
    assertThat(o).isEqualTo(ExportOptions.defaults());
    assertThat(o.shardBytes()).isEqualTo(2L << 30);
    assertThat(command.paths())
        .isEqualTo(
            new ExportPaths("/runs/r1/etl", "/runs/r1/splits", "/runs/r1/als", "/out", false));
  }

  @Test
  void separateFoldersWinOverTheRunFolderAndOptionsParse() {
    ExportCommand command =
        parse(
            "--input",
            "/r",
            "--splits",
            "/s",
            "--out",
            "/o",
            "--sampler",
            "impressions",
            "--negatives",
            "8",
            "--shard-bytes",
            "512MiB",
            "--formats",
            "npy, parquet",
            "--seed",
            "9");
    assertThat(command.paths().splits()).isEqualTo("/s");
    assertThat(command.paths().etl()).isEqualTo("/r/etl");
    ExportOptions o = command.options();
    assertThat(o.sampler()).isEqualTo(Sampler.IMPRESSIONS);
    assertThat(o.negatives()).isEqualTo(8);
    assertThat(o.shardBytes()).isEqualTo(512L << 20);
    assertThat(o.formats()).containsExactlyInAnyOrder(Format.NPY, Format.PARQUET);
  }

  @Test
  void badValuesAreBadInputNamingTheOption() {
    assertThatThrownBy(() -> parse("--input", "/r", "--out", "/o", "--sampler", "hard").options())
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("--sampler hard");
    assertThatThrownBy(() -> parse("--input", "/r", "--out", "/o", "--formats", "csv").options())
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("csv");
    assertThatThrownBy(
            () -> parse("--input", "/r", "--out", "/o", "--shard-bytes", "lots").options())
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("--shard-bytes lots");
    assertThatThrownBy(() -> parse("--out", "/o").paths())
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("--input RUN_DIR");
    assertThatThrownBy(() -> parse("--input", "/r", "--out", "/o", "--negatives", "0").options())
        .isInstanceOf(RecdataException.class)
        .extracting(e -> ((RecdataException) e).exitCode())
        .isEqualTo(2);
  }
}
