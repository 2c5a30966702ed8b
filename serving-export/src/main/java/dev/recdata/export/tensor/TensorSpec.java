package dev.recdata.export.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's name, element type and shape (row-major, first dimension = rows). Sizes are known
 * before any byte is written, which is what lets both formats stream rows straight to their place
 * in the file.
 */
public record TensorSpec(String name, DType dtype, long[] shape) {
  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            "tensor " + name + " has a negative dimension: " + Arrays.toString(shape));
      }
    }
  }

  public static TensorSpec of(String name, DType dtype, long... shape) {
    return new TensorSpec(name, dtype, shape);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long elements() {
    long n = 1;
    for (long dim : shape) {
      n = Math.multiplyExact(n, dim);
    }
    return n;
  }

  public long byteSize() {
    return Math.multiplyExact(elements(), dtype.bytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + dtype.safetensorsName() + Arrays.toString(shape);
  }
}
