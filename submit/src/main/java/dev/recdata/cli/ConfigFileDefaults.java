package dev.recdata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.recdata.common.RecdataException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a config file: {@code .properties} or {@code .yaml}/{@code .yml}. A key is
 * an option name without the dashes ({@code window-days: 90}) or a stage and its option's name
 * ({@code als.rank: 16}; in YAML also nested one level, {@code als: {rank: 16}}), so one file can
 * serve the pipeline and the stage commands: keys of another command's stage are left to that
 * command. A YAML list gives a repeatable option several values. A key that is no option is an
 * error naming the key and the file, so a typo never silently falls back to the default.
 */
final class ConfigFileDefaults implements IDefaultValueProvider {
  /** Value by the option's longest name. */
  private final Map<String, String> values;

  private ConfigFileDefaults(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @param keys config key to the longest name of the option it sets, in the command being run
   * @param elsewhere stage-qualified keys of the other commands, which this command ignores
   */
  static ConfigFileDefaults load(Path file, Map<String, String> keys, Set<String> elsewhere) {
    if (!Files.isRegularFile(file)) {
      throw RecdataException.badInput(
          "--config %s: no such file (expected a .properties, .yaml or .yml file)", file);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> entries =
        name.endsWith(".yaml") || name.endsWith(".yml") ? readYaml(file) : readProperties(file);
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> keyOf = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      String key = entry.getKey();
      String option = keys.get(key);
      if (option == null && elsewhere.contains(key)) {
        continue; // another command's stage option: that command reads it from the same file
      }
      RecdataException.checkInput(
          option != null,
          "--config %s: unknown key '%s'; expected option names without dashes or stage.name: %s",
          file,
          key,
          new TreeSet<>(keys.keySet()));
      String earlier = values.putIfAbsent(option, entry.getValue());
      RecdataException.checkInput(
          earlier == null || earlier.equals(entry.getValue()),
          "--config %s: keys '%s' and '%s' both set %s, to %s and %s; keep one",
          file,
          keyOf.get(option),
          key,
          option,
          earlier,
          entry.getValue());
      keyOf.putIfAbsent(option, key);
    }
    return new ConfigFileDefaults(values);
  }

  /**
   * Keys of a stage command: each option name without dashes, also behind the command's name
   * ({@code als.rank}).
   */
  static Map<String, String> keysOf(CommandSpec command) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (OptionSpec option : command.options()) {
      for (String name : option.names()) {
        String bare = name.replaceFirst("^-+", "");
        keys.put(bare, option.longestName());
        keys.put(command.name() + "." + bare, option.longestName());
      }
    }
    return keys;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    return argSpec instanceof OptionSpec option ? values.get(option.longestName()) : null;
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw RecdataException.badInput(
          e, "--config %s: not a readable properties file: %s", file, e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties
        .stringPropertyNames()
        .forEach(k -> values.put(k.strip(), properties.getProperty(k).strip()));
    return values;
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw RecdataException.badInput(
          e,
          "--config %s: not valid YAML: %s",
          file,
          e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return values; // an empty file: no defaults
    }
    RecdataException.checkInput(
        root.isObject(),
        "--config %s: expected a mapping of option names to values at the top",
        file);
    for (var field : root.properties()) {
      if (field.getValue().isObject()) {
        // als: {rank: 16} is als.rank: 16
        for (var nested : field.getValue().properties()) {
          put(values, file, field.getKey() + "." + nested.getKey(), nested.getValue());
        }
      } else {
        put(values, file, field.getKey(), field.getValue());
      }
    }
    return values;
  }

  private static void put(Map<String, String> values, Path file, String key, JsonNode value) {
    if (value.isNull()) {
      return; // "key:" with nothing after it leaves the option's own default
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        RecdataException.checkInput(
            item.isValueNode(),
            "--config %s: list '%s' must hold plain values, not nested lists or mappings",
            file,
            key);
        // Repeatable options split their value on commas, so a list becomes one comma-joined
        // default.
        items.add(item.asText());
      }
      values.put(key, String.join(",", items));
    } else {
      RecdataException.checkInput(
          value.isValueNode(),
          "--config %s: key '%s' holds a mapping; keys are option names, at most one level under a stage (als: {rank: 16})",
          file,
          key);
      values.put(key, value.asText());
    }
  }
}
