package dev.recdata.etl.read;

import dev.recdata.common.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Tiny input files written by the tests, and compact views of what the reader made of them. */
final class Fixtures {
  private Fixtures() {}

  static Path write(Path dir, String name, String... lines) {
    return write(dir, name, StandardCharsets.UTF_8, lines);
  }

  static Path write(Path dir, String name, Charset charset, String... lines) {
    try {
      Path file = dir.resolve(name);
      Files.write(file, (String.join("\n", lines) + "\n").getBytes(charset));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "line: reason" per reject, in line order. */
  static List<String> rejects(SourceData data) {
    return data.rejects().orderBy(Schema.REJECT_FILE, Schema.REJECT_LINE).collectAsList().stream()
        .map(r -> r.getAs(Schema.REJECT_LINE) + ": " + r.getAs(Schema.REJECT_REASON))
        .toList();
  }

  /** "user item rating epochSeconds event" per interaction, sorted. */
  static List<String> interactions(SourceData data) {
    return interactions(data.interactions());
  }

  static List<String> interactions(Dataset<Row> interactions) {
    return interactions.orderBy(Schema.USER_ID, Schema.ITEM_ID).collectAsList().stream()
        .map(
            r ->
                r.getAs(Schema.USER_ID)
                    + " "
                    + r.getAs(Schema.ITEM_ID)
                    + " "
                    + r.getAs(Schema.RATING)
                    + " "
                    + r.<java.sql.Timestamp>getAs(Schema.TS).toInstant().getEpochSecond()
                    + " "
                    + r.getAs(Schema.EVENT))
        .toList();
  }
}
