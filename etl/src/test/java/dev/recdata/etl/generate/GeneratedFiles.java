package dev.recdata.etl.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reading back what the generator wrote: hashes, rating lines, and an RFC 4180 parse of movies.csv.
 */
final class GeneratedFiles {
  private GeneratedFiles() {}

  record Rating(int userId, int movieId, String rating, long timestamp) {}

  static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data lines of ratings.csv (the header is checked by the tests). */
  static List<Rating> ratings(Path dir) {
    List<String> lines = lines(dir.resolve(MovieLensGenerator.RATINGS_FILE));
    List<Rating> ratings = new ArrayList<>(lines.size());
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",", -1);
      if (fields.length != 4) {
        throw new AssertionError("expected 4 fields: " + line);
      }
      ratings.add(
          new Rating(
              Integer.parseInt(fields[0]),
              Integer.parseInt(fields[1]),
              fields[2],
              Long.parseLong(fields[3])));
    }
    return ratings;
  }

  /**
   * Records of an RFC 4180 file: fields separated by commas, a field in double quotes may hold
   * commas and doubled quotes, records end at LF outside quotes. Fails on a stray quote inside an
   * unquoted field.
   */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    boolean fieldStart = true;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (fieldStart && c == '"') {
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new AssertionError("unterminated quoted field at " + i);
          }
          char q = text.charAt(i);
          if (q == '"') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            field.append(q);
            i++;
          }
        }
        fieldStart = false;
        if (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n') {
          throw new AssertionError("text after a closing quote at " + i);
        }
        continue;
      }
      if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        fieldStart = true;
      } else if (c == '\n') {
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
        fieldStart = true;
      } else if (c == '"') {
        throw new AssertionError("quote inside an unquoted field at " + i);
      } else {
        field.append(c);
        fieldStart = false;
      }
      i++;
    }
    if (!record.isEmpty() || field.length() > 0) {
      throw new AssertionError("last record does not end with a newline");
    }
    return records;
  }
}
