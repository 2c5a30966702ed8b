package dev.recdata.cli;

import dev.recdata.common.RecdataException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The MovieLens archives GroupLens publishes at {@code BASE/NAME.zip}, each with the SHA-256 and
 * size of the archive where they are established. The values are the ones TensorFlow Datasets
 * registers for the same URLs ({@code tensorflow_datasets/url_checksums/movielens.txt}); ml-10m and
 * ml-32m are not registered there, so those two are checked against the {@code NAME.zip.md5} file
 * GroupLens publishes beside each archive.
 */
enum MovieLensArchive {
  ML_100K(
      "ml-100k", "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229", 4_924_029L),
  ML_1M("ml-1m", "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20", 5_917_549L),
  ML_10M("ml-10m", null, null),
  ML_20M(
      "ml-20m", "96f243c338a8665f6bcc89c53edf6ee39162a846940de6b7c8c48aeada765ff3", 198_702_078L),
  ML_25M(
      "ml-25m", "8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa", 261_978_986L),
  ML_32M("ml-32m", null, null),
  ML_LATEST_SMALL(
      "ml-latest-small",
      "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
      978_202L);

  static final String GROUPLENS = "https://files.grouplens.org/datasets/movielens";

  /** The name GroupLens uses, e.g. {@code ml-100k}; the archive is {@code NAME.zip}. */
  final String id;

  /**
   * Lower-case hex SHA-256 of the archive, or null: then the published {@code NAME.zip.md5} is the
   * reference.
   */
  final String sha256;

  /**
   * Size of the archive in bytes when the SHA-256 is known, so a truncated download is named as
   * such.
   */
  final Long bytes;

  MovieLensArchive(String id, String sha256, Long bytes) {
    this.id = id;
    this.sha256 = sha256;
    this.bytes = bytes;
  }

  String fileName() {
    return id + ".zip";
  }

  static List<String> ids() {
    return Arrays.stream(values()).map(a -> a.id).toList();
  }

  static MovieLensArchive fromCli(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(a -> a.id.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                RecdataException.badInput(
                    "--movielens %s is not a MovieLens archive; expected one of %s", name, ids()));
  }
}
