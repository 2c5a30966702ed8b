package dev.recdata.common;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The stable name a dashboard groups runs by ({@code ml-100k}), where a path changes with every run
 * folder. Given with {@code --dataset-name}, or derived from the data's origin: the folder the etl
 * read, never the run folder a stage happened to read it from.
 */
public final class DatasetNames {
  private DatasetNames() {}

  /** A name as a dashboard filter shows it: no control characters, at most 120 characters. */
  private static final Pattern USABLE = Pattern.compile("[^\\p{Cntrl}]{1,120}");

  /** Endings of a file that holds the ratings; such a file is named by its folder instead. */
  private static final List<String> FILE_ENDINGS =
      List.of(
          ".csv", ".tsv", ".dat", ".data", ".txt", ".parquet", ".json", ".jsonl", ".gz", ".bz2");

  /** Endings of an archive of a whole dataset, dropped from its name. */
  private static final List<String> ARCHIVE_ENDINGS = List.of(".tar.gz", ".tgz", ".zip");

  /**
   * The name a pipeline's generated sample gets: the pipeline writes it to {@code
   * OUT/runs/RUN/input}, a name that says nothing and a path that differs in every run.
   */
  public static final String GENERATED_SAMPLE = "generated-sample";

  /** {@code --dataset-name} as given, checked; null stays null (derive it). */
  public static String check(String name) {
    if (name == null) {
      return null;
    }
    String trimmed = name.strip();
    RecdataException.checkInput(
        USABLE.matcher(trimmed).matches(),
        "--dataset-name '%s' is not usable: expected 1-120 printable characters",
        name);
    return trimmed;
  }

  /**
   * The dataset a path holds: its last folder name ({@code /data/ml-100k} and {@code
   * /data/ml-100k/u.data} are {@code ml-100k}), an archive's name without its ending, and {@link
   * #GENERATED_SAMPLE} for a pipeline's generated sample.
   */
  public static String fromPath(String path) {
    List<String> segments =
        List.of(path.replace('\\', '/').split("/")).stream()
            .filter(s -> !s.isEmpty() && !s.endsWith(":"))
            .toList();
    if (segments.isEmpty()) {
      return path;
    }
    int last = segments.size() - 1;
    String name = segments.get(last);
    String lower = name.toLowerCase(Locale.ROOT);
    for (String ending : ARCHIVE_ENDINGS) {
      if (lower.endsWith(ending) && lower.length() > ending.length()) {
        return name.substring(0, name.length() - ending.length());
      }
    }
    if (last > 0 && FILE_ENDINGS.stream().anyMatch(lower::endsWith)) {
      return fromPath(String.join("/", segments.subList(0, last)));
    }
    if (name.equals("input") && last >= 2 && segments.get(last - 2).equals("runs")) {
      return GENERATED_SAMPLE;
    }
    return name;
  }

  /**
   * The dataset of a feedback table source as etl records it ({@code URL#schema.table}): the table
   * name ({@code feedback}).
   */
  public static String fromFeedbackSource(String source) {
    String table = source.substring(source.lastIndexOf('#') + 1);
    return table.substring(table.lastIndexOf('.') + 1);
  }
}
