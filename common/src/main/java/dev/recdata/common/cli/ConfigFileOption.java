package dev.recdata.common.cli;

import java.io.File;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, taken by every command. The CLI reads the file before it parses the
 * command line (its keys become the options' defaults, so flags win); this declaration is what lets
 * picocli accept the option and list it.
 */
public final class ConfigFileOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Defaults for the options from a .properties or .yaml/.yml file: one key per option name without the"
              + " dashes (window-days=90) or per stage and name (als.rank=16); lists for repeatable options;"
              + " unknown keys are errors; flags on the command line win.")
  public File file;
}
