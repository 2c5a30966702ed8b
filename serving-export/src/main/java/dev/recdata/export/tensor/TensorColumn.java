package dev.recdata.export.tensor;

import java.util.List;

/**
 * How one tensor of a set is filled from the columns of a Spark row: its first-axis row is the
 * values of {@code columns}, scalars and arrays alike, concatenated. {@code width} 0 means a 1-D
 * tensor (one value per row); otherwise a 2-D tensor of {@code [rows, width]}. Triplets are three
 * scalar columns into one {@code [N,3]} tensor; an evaluation batch's candidates are one array
 * column into {@code [U,C]}.
 */
public record TensorColumn(String tensor, DType dtype, int width, List<String> columns) {
  public TensorColumn {
    if (width < 0) {
      throw new IllegalArgumentException("tensor " + tensor + " has a negative width " + width);
    }
    columns = List.copyOf(columns);
  }

  /** A 1-D tensor holding column {@code name} (tensor and column share the name). */
  public static TensorColumn scalar(String name, DType dtype) {
    return new TensorColumn(name, dtype, 0, List.of(name));
  }

  /** A 2-D tensor {@code [rows, width]} from the concatenated values of {@code columns}. */
  public static TensorColumn matrix(String tensor, DType dtype, int width, String... columns) {
    return new TensorColumn(tensor, dtype, width, List.of(columns));
  }

  /** Elements per first-axis row. */
  public int elementsPerRow() {
    return width == 0 ? 1 : width;
  }

  public long bytesPerRow() {
    return (long) elementsPerRow() * dtype.bytes();
  }

  public TensorSpec spec(long rows) {
    return width == 0
        ? TensorSpec.of(tensor, dtype, rows)
        : TensorSpec.of(tensor, dtype, rows, width);
  }
}
