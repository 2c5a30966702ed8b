package dev.recdata.etl.read;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of delimited text (RFC 4180 quoting: "a, b" is one field, "" is a quote inside
 * quotes). Records spanning several lines are not supported: line numbers are the unit of a reject.
 */
final class CsvLine {
  private CsvLine() {}

  /** The fields, or null when a quoted field is not closed on this line. */
  static List<String> split(String line, String delimiter) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && line.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          field.append(c);
        }
        i++;
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        i++;
      } else if (line.startsWith(delimiter, i)) {
        fields.add(field.toString());
        field.setLength(0);
        i += delimiter.length();
      } else {
        field.append(c);
        i++;
      }
    }
    if (quoted) {
      return null;
    }
    fields.add(field.toString());
    return fields;
  }

  /** Drops a trailing carriage return (CRLF files). */
  static String chomp(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
