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
 * Option defaults from a config file: {@code .properties} or {@code .yaml}/{@code .yml}, one flat key per option name
 * without the dashes ({@code window-days: 90}). A YAML list gives a repeatable option several values. A key that is not
 * an option is an error naming the key and the file, so a typo never silently falls back to the default.
 */
final class ConfigFileDefaults implements IDefaultValueProvider {
  private final Map<String, String> values;

  private ConfigFileDefaults(Map<String, String> values) {
    this.values = values;
  }

  static ConfigFileDefaults load(Path file, CommandSpec command) {
    if (!Files.isRegularFile(file)) {
      throw RecdataException.badInput("--config %s: no such file (expected a .properties, .yaml or .yml file)", file);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> values = name.endsWith(".yaml") || name.endsWith(".yml") ? readYaml(file) : readProperties(file);
    Set<String> known = new TreeSet<>();
    for (OptionSpec option : command.options()) {
      known.add(key(option));
    }
    for (String key : values.keySet()) {
      RecdataException.checkInput(
          known.contains(key), "--config %s: unknown key '%s'; expected option names without dashes: %s", file, key, known);
    }
    return new ConfigFileDefaults(values);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    return argSpec instanceof OptionSpec option ? values.get(key(option)) : null;
  }

  /** The option's longest name without dashes, as picocli's own properties provider keys it. */
  private static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw RecdataException.badInput(e, "--config %s: not a readable properties file: %s", file, e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k.strip(), properties.getProperty(k).strip()));
    return values;
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw RecdataException.badInput(e, "--config %s: not valid YAML: %s", file, e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return values; // an empty file: no defaults
    }
    RecdataException.checkInput(root.isObject(), "--config %s: expected a mapping of option names to values at the top", file);
    for (var field : root.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue; // "key:" with nothing after it leaves the option's own default
      }
      if (value.isArray()) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
          RecdataException.checkInput(
              item.isValueNode(), "--config %s: list '%s' must hold plain values, not nested lists or mappings", file, key);
          // Repeatable options split their value on commas, so a list becomes one comma-joined default.
          items.add(item.asText());
        }
        values.put(key, String.join(",", items));
      } else {
        RecdataException.checkInput(
            value.isValueNode(), "--config %s: key '%s' holds a mapping; keys are flat option names (key: value)", file, key);
        values.put(key, value.asText());
      }
    }
    return values;
  }
}
