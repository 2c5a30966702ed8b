package dev.recdata.export.tensor;

/**
 * Element types we write, with their names in the two formats: safetensors' dtype strings and
 * NumPy's little-endian {@code descr}. Ids are {@link #I64}, factors {@link #F32}.
 */
public enum DType {
  I64("I64", "<i8", 8),
  I32("I32", "<i4", 4),
  F32("F32", "<f4", 4),
  I8("I8", "|i1", 1),
  U8("U8", "|u1", 1);

  private final String safetensorsName;
  private final String numpyDescr;
  private final int bytes;

  DType(String safetensorsName, String numpyDescr, int bytes) {
    this.safetensorsName = safetensorsName;
    this.numpyDescr = numpyDescr;
    this.bytes = bytes;
  }

  public String safetensorsName() {
    return safetensorsName;
  }

  public String numpyDescr() {
    return numpyDescr;
  }

  public int bytes() {
    return bytes;
  }
}
