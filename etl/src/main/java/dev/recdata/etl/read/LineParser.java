package dev.recdata.etl.read;

import dev.recdata.etl.RejectReason.Rejection;
import java.io.Serializable;

/**
 * Parses one line of a text file into the values of a row. Implementations work on the raw bytes so
 * the hot path (ratings) allocates nothing but the row itself.
 */
interface LineParser extends Serializable {
  /**
   * Fills {@code values} (laid out as the parser's schema) from {@code bytes[0, length)}, without
   * the line terminator.
   *
   * @return null when the line is valid, else why it is rejected: a reason code and the readable
   *     reason ("expected 4 tab-separated fields, found 3")
   */
  Rejection parse(byte[] bytes, int length, Object[] values);
}
