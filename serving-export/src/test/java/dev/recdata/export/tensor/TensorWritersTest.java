package dev.recdata.export.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.testing.DebianPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorWritersTest {
  @TempDir Path dir;

  /**
   * Two tensors filled side by side, row by row, as the exporters do, then read by the real client.
   */
  @Test
  void safetensorsAndNpyAreReadByTorchAndNumpy() {
    DebianPython.require("torch", "numpy");
    Path st = dir.resolve("t.safetensors");
    TreeMap<String, String> meta = new TreeMap<>();
    meta.put("seed", "7");
    try (SafetensorsWriter w =
        SafetensorsWriter.create(
            st,
            List.of(
                TensorSpec.of("ids", DType.I64, 5, 3),
                TensorSpec.of("w", DType.F32, 5),
                TensorSpec.of("m", DType.I8, 5)),
            meta)) {
      for (int row = 0; row < 5; row++) {
        w.tensor("ids").putLong(row).putLong(1L << 40 | row).putLong(-row);
        w.tensor("w").putFloat(row / 4f);
        w.tensor("m").putByte((byte) (row % 2));
      }
    }
    Path npy = dir.resolve("ids.npy");
    try (NpyWriter w = NpyWriter.create(npy, TensorSpec.of("ids", DType.I64, 4))) {
      for (long v = 10; v < 14; v++) {
        w.tensor().putLong(v);
      }
    }
    Path npy2 = dir.resolve("f.npy");
    try (NpyWriter w = NpyWriter.create(npy2, TensorSpec.of("f", DType.F32, 2, 2))) {
      w.tensor().putFloat(1.5f).putFloat(-2f).putFloat(0f).putFloat(3.25f);
    }
    String out =
        DebianPython.run(
            """
            import sys, numpy as np, torch
            sys.path.insert(0, sys.argv[4])
            import recdata_tensors
            t = recdata_tensors.load_torch(sys.argv[1])
            assert t['ids'].dtype == torch.int64 and tuple(t['ids'].shape) == (5, 3), t['ids']
            assert t['ids'][3].tolist() == [3, (1 << 40) | 3, -3]
            assert t['w'].dtype == torch.float32 and t['w'].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
            assert t['m'].dtype == torch.int8 and t['m'].tolist() == [0, 1, 0, 1, 0]
            assert recdata_tensors.metadata(sys.argv[1]) == {'seed': '7'}
            a = np.load(sys.argv[2]); assert a.dtype == np.int64 and a.tolist() == [10, 11, 12, 13]
            b = np.load(sys.argv[3], mmap_mode='r'); assert b.dtype == np.float32 and b.tolist() == [[1.5, -2.0], [0.0, 3.25]]
            print('ok')
            """,
            st.toString(),
            npy.toString(),
            npy2.toString(),
            Path.of("python").toAbsolutePath().toString());
    assertThat(out.strip()).isEqualTo("ok");
  }

  @Test
  void headersAreAlignedAndSized() throws Exception {
    byte[] npyHeader = NpyWriter.header(TensorSpec.of("x", DType.F32, 3, 7));
    assertThat(npyHeader.length % 64).isZero();
    assertThat(new String(npyHeader, 10, npyHeader.length - 10, "US-ASCII"))
        .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 7), }")
        .endsWith("\n");
    assertThat(new String(NpyWriter.header(TensorSpec.of("x", DType.I64, 3)), "US-ASCII"))
        .contains("'shape': (3,), }");
    assertThat(
            SafetensorsWriter.header(List.of(TensorSpec.of("a", DType.I64, 2)), new TreeMap<>())
                    .length
                % 8)
        .isZero();
    Path st = dir.resolve("a.safetensors");
    try (SafetensorsWriter w =
        SafetensorsWriter.create(st, List.of(TensorSpec.of("a", DType.I64, 2)), new TreeMap<>())) {
      w.tensor("a").putLong(1).putLong(2);
    }
    long headerLength =
        java.nio.ByteBuffer.wrap(Files.readAllBytes(st), 0, 8)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .getLong();
    assertThat(Files.size(st)).isEqualTo(8 + headerLength + 16);
  }

  /**
   * A writer that got fewer or more elements than the shape says fails instead of leaving a padded
   * file.
   */
  @Test
  void shortOrOverfullTensorsAreErrors() {
    Path st = dir.resolve("short.safetensors");
    SafetensorsWriter w =
        SafetensorsWriter.create(st, List.of(TensorSpec.of("a", DType.I64, 3)), new TreeMap<>());
    w.tensor("a").putLong(1);
    assertThatThrownBy(w::close).hasMessageContaining("got 8 of its 24 bytes");
    try (NpyWriter n = NpyWriter.create(dir.resolve("x.npy"), TensorSpec.of("x", DType.F32, 1))) {
      n.tensor().putFloat(1f);
      assertThatThrownBy(() -> n.tensor().putFloat(2f)).hasMessageContaining("is full");
      assertThatThrownBy(() -> n.tensor().putLong(2L)).hasMessageContaining("does not hold I64");
    }
  }

  /**
   * A ragged row must hold exactly as many values as its length column says: the offsets are built
   * from the lengths, so one row with a value more or less would shift every later user's list onto
   * another user's candidates. The writer refuses such a row and names the tensor.
   */
  @Test
  void aRaggedRowWhoseValuesDisagreeWithItsLengthIsRefused() {
    TensorColumn items = TensorColumn.ragged("item_idx", DType.I32);
    ParquetRows.Values[] agrees = {ParquetRows.Values.ofLongs("item_idx", 4, 8, 15)};
    ParquetRows.Values[] shortRow = {ParquetRows.Values.ofLongs("item_idx", 4, 8)};
    ParquetRows.Values[] longRow = {ParquetRows.Values.ofLongs("item_idx", 4, 8, 15, 16)};

    TensorSetWriter.append(agrees, items, 3, null, null);
    assertThatThrownBy(() -> TensorSetWriter.append(shortRow, items, 3, null, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tensor item_idx expects 3 values in this row, got 2");
    assertThatThrownBy(() -> TensorSetWriter.append(longRow, items, 3, null, null))
        .hasMessageContaining("tensor item_idx expects 3 values in this row, got 4");
  }
}
