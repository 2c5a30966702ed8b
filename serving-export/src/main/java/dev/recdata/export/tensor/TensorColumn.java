package dev.recdata.export.tensor;

import java.util.List;

/**
 * How one tensor of a set is filled from the columns of a Spark row: its first-axis row is the
 * values of {@code columns}, scalars and arrays alike, concatenated. {@code width} 0 means a 1-D
 * tensor (one value per row); otherwise a 2-D tensor of {@code [rows, width]}. Triplets are three
 * scalar columns into one {@code [N,3]} tensor. A {@linkplain #ragged ragged} tensor is one array
 * column whose rows differ in length: every row's values one after another in a 1-D tensor, the
 * set's {@code offsets} saying where each row starts (an evaluation batch's candidates).
 */
public record TensorColumn(
    String tensor, DType dtype, int width, List<String> columns, boolean ragged) {
  public TensorColumn {
    if (width < 0) {
      throw new IllegalArgumentException("tensor " + tensor + " has a negative width " + width);
    }
    if (ragged && (width != 0 || columns.size() != 1)) {
      throw new IllegalArgumentException(
          "ragged tensor " + tensor + " takes one array column and no width");
    }
    columns = List.copyOf(columns);
  }

  /** A 1-D tensor holding column {@code name} (tensor and column share the name). */
  public static TensorColumn scalar(String name, DType dtype) {
    return new TensorColumn(name, dtype, 0, List.of(name), false);
  }

  /** A 2-D tensor {@code [rows, width]} from the concatenated values of {@code columns}. */
  public static TensorColumn matrix(String tensor, DType dtype, int width, String... columns) {
    return new TensorColumn(tensor, dtype, width, List.of(columns), false);
  }

  /**
   * A 1-D tensor of every row's values of array column {@code name}, row after row; the row's
   * length is the set's {@linkplain TensorSetWriter.TensorSet#lengths length column}.
   */
  public static TensorColumn ragged(String name, DType dtype) {
    return new TensorColumn(name, dtype, 0, List.of(name), true);
  }

  /** Elements per first-axis row (for a ragged tensor: per value). */
  public int elementsPerRow() {
    return width == 0 ? 1 : width;
  }

  /** Bytes per first-axis row, or per value of a ragged tensor. */
  public long bytesPerRow() {
    return (long) elementsPerRow() * dtype.bytes();
  }

  /** The tensor's spec for {@code rows} rows, or for {@code rows} values when ragged. */
  public TensorSpec spec(long rows) {
    return width == 0
        ? TensorSpec.of(tensor, dtype, rows)
        : TensorSpec.of(tensor, dtype, rows, width);
  }
}
