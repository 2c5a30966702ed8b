package dev.recdata.etl.read;

import static dev.recdata.common.RecdataException.badInput;

import dev.recdata.common.RecdataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An input resolved to a layout: which files hold the interactions and where their side files live.
 * Works on any Hadoop file system (local, hdfs://, s3a://), never java.nio.
 *
 * @param format the detected or forced layout, never AUTO
 * @param folder the folder the side files (u.item, movies.dat, ...) are looked up in
 * @param dataFiles the interaction files, qualified, in name order
 */
record InputFiles(
    InputFormat format, FileSystem fs, Configuration conf, Path folder, List<Path> dataFiles) {

  static final String ML_100K_RATINGS = "u.data";
  static final String DAT_RATINGS = "ratings.dat";
  static final String CSV_RATINGS = "ratings.csv";

  static InputFiles resolve(Configuration conf, String input, InputFormat format) {
    RecdataException.checkInput(
        input != null && !input.isBlank(),
        "no input given: pass a MovieLens folder or a data file");
    InputFormat wanted = format == null ? InputFormat.AUTO : format;
    Path path = new Path(input);
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw badInput("no such input: %s", input);
      }
      Path qualified = fs.makeQualified(path);
      FileStatus status = fs.getFileStatus(qualified);
      return status.isDirectory()
          ? inFolder(fs, conf, qualified, input, wanted)
          : ofFile(fs, conf, qualified, input, wanted);
    } catch (IOException e) {
      throw badInput(e, "cannot read input %s: %s", input, e.getMessage());
    }
  }

  /** The named file beside the ratings, when present. */
  Optional<Path> sibling(String name) {
    Path candidate = new Path(folder, name);
    try {
      return fs.isFile(candidate) ? Optional.of(candidate) : Optional.empty();
    } catch (IOException e) {
      throw badInput(e, "cannot read %s: %s", candidate, e.getMessage());
    }
  }

  private static InputFiles inFolder(
      FileSystem fs, Configuration conf, Path folder, String input, InputFormat format)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (FileStatus child : fs.listStatus(folder)) {
      String name = child.getPath().getName();
      // _SUCCESS, .crc and the like are bookkeeping of the program that wrote the folder, not data.
      if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
        files.add(child.getPath());
      }
    }
    files.sort(Comparator.comparing(Path::getName));
    InputFormat detected = format;
    if (format == InputFormat.AUTO) {
      if (has(files, ML_100K_RATINGS)) {
        detected = InputFormat.ML_100K;
      } else if (has(files, DAT_RATINGS)) {
        detected = InputFormat.ML_DAT;
      } else if (has(files, CSV_RATINGS)) {
        detected = InputFormat.ML_CSV;
      } else if (!files.isEmpty() && files.stream().allMatch(p -> isParquet(p.getName()))) {
        detected = InputFormat.PARQUET;
      } else {
        throw badInput(
            "no ratings file in %s: expected u.data, ratings.dat or ratings.csv (for other files"
                + " pass the format, csv or parquet, with a column mapping)",
            input);
      }
    }
    List<Path> data =
        switch (detected) {
          case ML_100K -> List.of(required(files, ML_100K_RATINGS, input, detected));
          case ML_DAT -> List.of(required(files, DAT_RATINGS, input, detected));
          case ML_CSV -> List.of(required(files, CSV_RATINGS, input, detected));
          case CSV -> matching(files, input, "csv", InputFiles::isCsv);
          case PARQUET -> matching(files, input, "parquet", InputFiles::isParquet);
          case AUTO -> throw new IllegalStateException("AUTO is resolved above");
        };
    return new InputFiles(detected, fs, conf, folder, data);
  }

  private static InputFiles ofFile(
      FileSystem fs, Configuration conf, Path file, String input, InputFormat format) {
    InputFormat detected = format;
    if (format == InputFormat.AUTO) {
      String name = file.getName();
      String lower = name.toLowerCase(Locale.ROOT);
      if (name.equals(ML_100K_RATINGS)) {
        detected = InputFormat.ML_100K;
      } else if (name.equals(DAT_RATINGS)) {
        detected = InputFormat.ML_DAT;
      } else if (name.equals(CSV_RATINGS)) {
        detected = InputFormat.ML_CSV;
      } else if (isParquet(lower)) {
        detected = InputFormat.PARQUET;
      } else if (isCsv(lower)) {
        detected = InputFormat.CSV;
      } else {
        throw badInput(
            "cannot tell the layout of %s: expected u.data, ratings.dat, ratings.csv, a .csv or a"
                + " .parquet file (or pass the format)",
            input);
      }
    }
    return new InputFiles(detected, fs, conf, file.getParent(), List.of(file));
  }

  private static boolean has(List<Path> files, String name) {
    return files.stream().anyMatch(p -> p.getName().equals(name));
  }

  private static Path required(List<Path> files, String name, String input, InputFormat format) {
    return files.stream()
        .filter(p -> p.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                badInput(
                    "no %s in %s: format %s needs it",
                    name, input, format.name().toLowerCase(Locale.ROOT)));
  }

  private static List<Path> matching(
      List<Path> files, String input, String kind, java.util.function.Predicate<String> accepts) {
    List<Path> matched =
        files.stream().filter(p -> accepts.test(p.getName().toLowerCase(Locale.ROOT))).toList();
    if (matched.isEmpty()) {
      throw badInput("no .%s files in %s", kind, input);
    }
    return matched;
  }

  static boolean isParquet(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  static boolean isCsv(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".csv")
        || lower.endsWith(".csv.gz")
        || lower.endsWith(".tsv")
        || lower.endsWith(".tsv.gz")
        || lower.endsWith(".txt");
  }

  /** Qualified path strings of the data files. */
  List<String> dataFileNames() {
    return dataFiles.stream().map(Path::toString).toList();
  }
}
