package dev.recdata.cli;

import java.util.List;

/** Every stage command, in pipeline order. */
final class Commands {
  private Commands() {}

  static List<Object> all() {
    return List.of(
        new dev.recdata.etl.generate.GenerateCommand(),
        new dev.recdata.etl.EtlCommand(),
        new dev.recdata.splits.SplitCommand(),
        new dev.recdata.quality.QualityCommand(),
        new dev.recdata.als.AlsCommand(),
        new dev.recdata.export.ExportCommand(),
        new dev.recdata.export.serve.ServeCommand(),
        new dev.recdata.export.serve.SimulateCommand(),
        PipelineCommand.commandLine(),
        new RunsCommand());
  }
}
