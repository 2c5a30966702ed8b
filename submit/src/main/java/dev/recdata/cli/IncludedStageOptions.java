package dev.recdata.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Puts each stage's option mixin on the pipeline's command line, so every stage option works there
 * as it does in the stage's own command. Stage commands can share a name that one command line
 * cannot; two rules settle it:
 *
 * <ul>
 *   <li>an option declared once for several stages ({@code SeedOption}, {@code
 *       PositiveThresholdOption}) is one pipeline option that sets every stage's copy: one {@code
 *       --seed} for the whole run;
 *   <li>a stage's own option whose name another stage or the pipeline also uses takes the stage's
 *       name in front: split's and als's {@code --k} are {@code --split-k} and {@code --als-k},
 *       etl's {@code --positive-threshold} is {@code --etl-positive-threshold}.
 * </ul>
 *
 * Config keys: each pipeline name without dashes ({@code rank}, {@code als-k}) and each stage's own
 * name behind the stage ({@code als.rank}, {@code als.k}), the same keys the stage's own command
 * takes.
 */
final class IncludedStageOptions {
  /**
   * One option on the pipeline's command line, the stages whose options it sets and their names
   * there.
   */
  record Included(OptionSpec option, List<String> stages, List<String> stageNames) {}

  private final List<Included> included;

  private IncludedStageOptions(List<Included> included) {
    this.included = List.copyOf(included);
  }

  /**
   * Adds the options of {@code mixinsByStage} (stage name to mixin object, in pipeline order) to
   * {@code pipeline}, whose own options are already declared, and lists them by stage in its help.
   */
  static IncludedStageOptions include(CommandSpec pipeline, Map<String, Object> mixinsByStage) {
    // Declarations of the same field (a shared option class) in several stages are one option.
    Map<Field, List<Declared>> byField = new LinkedHashMap<>();
    mixinsByStage.forEach(
        (stage, mixin) -> {
          for (OptionSpec option : CommandSpec.forAnnotatedObject(mixin).options()) {
            byField
                .computeIfAbsent((Field) option.userObject(), f -> new ArrayList<>())
                .add(new Declared(stage, option));
          }
        });
    Map<String, Integer> uses = new LinkedHashMap<>();
    pipeline
        .options()
        .forEach(own -> List.of(own.names()).forEach(name -> uses.merge(name, 1, Integer::sum)));
    byField
        .values()
        .forEach(
            declared ->
                List.of(declared.get(0).option.names())
                    .forEach(name -> uses.merge(name, 1, Integer::sum)));

    List<Included> included = new ArrayList<>();
    for (List<Declared> declared : byField.values()) {
      OptionSpec first = declared.get(0).option;
      List<String> stages = declared.stream().map(d -> d.stage).distinct().toList();
      boolean shared = stages.size() > 1;
      List<String> names = new ArrayList<>();
      for (String name : first.names()) {
        names.add(
            uses.get(name) > 1 && !shared
                ? "--" + stages.get(0) + "-" + name.replaceFirst("^-+", "")
                : name);
      }
      OptionSpec.Builder builder = OptionSpec.builder(first).names(names.toArray(String[]::new));
      if (shared) {
        builder.setter(everyOne(declared));
      }
      OptionSpec option = builder.build();
      pipeline.addOption(option);
      included.add(new Included(option, stages, List.of(first.names())));
    }
    IncludedStageOptions result = new IncludedStageOptions(included);
    pipeline
        .usageMessage()
        .sectionMap()
        .put(
            picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, result::optionList);
    return result;
  }

  private record Declared(String stage, OptionSpec option) {}

  private static ISetter everyOne(List<Declared> declared) {
    return new ISetter() {
      @Override
      public <T> T set(T value) throws Exception {
        T previous = null;
        for (Declared d : declared) {
          T old = d.option.setter().set(value);
          previous = previous == null ? old : previous;
        }
        return previous;
      }
    };
  }

  /** The included option with this pipeline name, or null for one of the pipeline's own. */
  Included find(OptionSpec option) {
    return included.stream().filter(i -> i.option == option).findFirst().orElse(null);
  }

  List<Included> all() {
    return included;
  }

  /**
   * Config keys of the pipeline: every option name without dashes, and each stage option's names in
   * its stage ({@code als.rank}); the values are the options' longest names on the pipeline's
   * command line.
   */
  Map<String, String> configKeys(CommandSpec pipeline) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (OptionSpec option : pipeline.options()) {
      for (String name : option.names()) {
        keys.put(name.replaceFirst("^-+", ""), option.longestName());
      }
    }
    for (Included i : included) {
      for (String stage : i.stages) {
        for (String name : i.stageNames) {
          keys.put(stage + "." + name.replaceFirst("^-+", ""), i.option.longestName());
        }
      }
    }
    return keys;
  }

  /**
   * The pipeline's own options, then one section per stage, each option under the first stage that
   * declares it.
   */
  private String optionList(Help help) {
    Set<OptionSpec> ofStages = new LinkedHashSet<>();
    included.forEach(i -> ofStages.add(i.option));
    List<OptionSpec> own =
        help.commandSpec().options().stream().filter(o -> !ofStages.contains(o)).toList();
    StringBuilder text = new StringBuilder(help.optionListExcludingGroups(own));
    Map<String, List<OptionSpec>> byStage = new LinkedHashMap<>();
    included.forEach(
        i -> byStage.computeIfAbsent(i.stages.get(0), s -> new ArrayList<>()).add(i.option));
    byStage.forEach(
        (stage, options) ->
            text.append(String.format("%n%s options (as in recdata %s):%n", stage, stage))
                .append(help.optionListExcludingGroups(options)));
    return text.toString();
  }
}
