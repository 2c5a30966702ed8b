package dev.recdata.export.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The rows of Parquet files, read on the driver one row at a time, file after file in the order
 * given, through parquet-hadoop's column readers: no Spark job and no {@code Row} objects. A tensor
 * set's rows are millions of small rows (35M triplets at 25M ratings); Spark's {@code
 * toLocalIterator} ships each partition to the driver as serialised rows and turns every one into a
 * {@code Row} of boxed values, which cost more than sorting them. Here each projected column is
 * decoded straight into a reusable primitive buffer.
 *
 * <p>Reads the columns Spark writes for the sets' types: INT32 (int, and byte as INT(8)), INT64,
 * FLOAT and DOUBLE, each as a top-level column or as the elements of a top-level list. A null value
 * or element is an error naming the column; a null list is one too, and an empty list has no
 * values.
 */
final class ParquetRows implements AutoCloseable {
  /**
   * One column's values in the current row: integral ones in {@code longs}, others in {@code
   * doubles}.
   */
  static final class Values {
    final String column;
    boolean floating;
    long[] longs = new long[16];
    double[] doubles = new double[16];
    int size;

    Values(String column) {
      this.column = column;
    }

    /** A row's values, set by hand (tests). */
    static Values ofLongs(String column, long... longs) {
      Values values = new Values(column);
      values.longs = longs.clone();
      values.size = longs.length;
      return values;
    }

    long getLong(int i) {
      return floating ? (long) doubles[i] : longs[i];
    }

    double getDouble(int i) {
      return floating ? doubles[i] : longs[i];
    }

    private void add(ColumnReader reader, PrimitiveType.PrimitiveTypeName type) {
      if (size == (floating ? doubles.length : longs.length)) {
        if (floating) {
          doubles = Arrays.copyOf(doubles, size * 2);
        } else {
          longs = Arrays.copyOf(longs, size * 2);
        }
      }
      switch (type) {
        case INT32 -> longs[size++] = reader.getInteger();
        case INT64 -> longs[size++] = reader.getLong();
        case FLOAT -> doubles[size++] = reader.getFloat();
        case DOUBLE -> doubles[size++] = reader.getDouble();
        default -> throw new IllegalStateException(column + ": cannot read Parquet " + type);
      }
    }
  }

  /** How one projected column is laid out in the file. */
  private record Leaf(
      String column,
      String[] path,
      PrimitiveType.PrimitiveTypeName type,
      boolean list,
      int maxDefinition,
      int listDefinition) {}

  private final Configuration conf;
  private final List<Path> files;
  private final List<String> columns;
  private final Values[] values;
  private int fileIndex = -1;
  private ParquetFileReader reader;
  private MessageType projection;
  private Leaf[] leaves;
  private ColumnReader[] readers;
  private long[] readerValuesLeft;
  private long rowsLeftInGroup;

  /**
   * @param files read in this order
   * @param columns the top-level columns to read; {@link #values(int)} takes their positions here
   */
  ParquetRows(Configuration conf, List<Path> files, List<String> columns) {
    this.conf = conf;
    this.files = List.copyOf(files);
    this.columns = List.copyOf(columns);
    this.values = columns.stream().map(Values::new).toArray(Values[]::new);
  }

  /** The rows in the files' footers, without reading any data. */
  static long count(Configuration conf, List<Path> files) {
    long rows = 0;
    for (Path file : files) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
        rows += reader.getRecordCount();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the footer of " + file, e);
      }
    }
    return rows;
  }

  /** Moves to the next row and decodes its projected columns; false after the last row. */
  boolean next() {
    try {
      while (rowsLeftInGroup == 0) {
        if (!nextRowGroup()) {
          return false;
        }
      }
      rowsLeftInGroup--;
      for (int c = 0; c < readers.length; c++) {
        readRow(c);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + files.get(fileIndex), e);
    }
  }

  /**
   * The current row's values of column {@code columns.get(c)}: the same object for every row,
   * refilled by {@link #next}.
   */
  Values values(int c) {
    return values[c];
  }

  private void readRow(int c) {
    Leaf leaf = leaves[c];
    ColumnReader column = readers[c];
    Values out = values[c];
    out.size = 0;
    boolean first = true;
    do {
      if (readerValuesLeft[c] == 0) {
        throw new IllegalStateException(
            "Parquet column " + leaf.column() + " ended before its row group's last row");
      }
      int definition = column.getCurrentDefinitionLevel();
      if (definition == leaf.maxDefinition()) {
        out.add(column, leaf.type());
      } else if (!leaf.list() || definition >= leaf.listDefinition() || !first) {
        throw new IllegalStateException("column " + leaf.column() + " has a null value");
      } else if (definition < leaf.listDefinition() - 1) {
        throw new IllegalStateException("column " + leaf.column() + " has a null list");
      }
      column.consume();
      readerValuesLeft[c]--;
      first = false;
    } while (leaf.list() && readerValuesLeft[c] > 0 && column.getCurrentRepetitionLevel() > 0);
  }

  private boolean nextRowGroup() throws IOException {
    if (reader != null) {
      PageReadStore pages = reader.readNextRowGroup();
      if (pages != null) {
        startRowGroup(pages);
        return true;
      }
      reader.close();
      reader = null;
    }
    if (fileIndex + 1 >= files.size()) {
      return false;
    }
    fileIndex++;
    reader = ParquetFileReader.open(HadoopInputFile.fromPath(files.get(fileIndex), conf));
    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
    List<Type> projected = new ArrayList<>();
    leaves = new Leaf[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      String name = columns.get(c);
      if (!schema.containsField(name)) {
        throw new IllegalStateException(files.get(fileIndex) + " has no column " + name);
      }
      Type field = schema.getType(name);
      projected.add(field);
      leaves[c] = leaf(schema, name, field);
      PrimitiveType.PrimitiveTypeName type = leaves[c].type();
      values[c].floating =
          type == PrimitiveType.PrimitiveTypeName.FLOAT
              || type == PrimitiveType.PrimitiveTypeName.DOUBLE;
    }
    projection = new MessageType(schema.getName(), projected);
    reader.setRequestedSchema(projection);
    return nextRowGroup();
  }

  private void startRowGroup(PageReadStore pages) {
    ColumnReadStoreImpl store =
        new ColumnReadStoreImpl(
            pages,
            new DummyRecordConverter(projection).getRootConverter(),
            projection,
            reader.getFooter().getFileMetaData().getCreatedBy());
    readers = new ColumnReader[leaves.length];
    readerValuesLeft = new long[leaves.length];
    for (int c = 0; c < leaves.length; c++) {
      ColumnDescriptor descriptor = projection.getColumnDescription(leaves[c].path());
      readers[c] = store.getColumnReader(descriptor);
      readerValuesLeft[c] = readers[c].getTotalValueCount();
    }
    rowsLeftInGroup = pages.getRowCount();
  }

  /**
   * The leaf under top-level {@code field}: the field itself, or a list's element (Spark's
   * three-level {@code LIST}: {@code optional group (LIST) { repeated group list { element } }}).
   */
  private static Leaf leaf(MessageType schema, String name, Type field) {
    List<String> path = new ArrayList<>(List.of(name));
    Type type = field;
    int listDefinition = -1;
    while (!type.isPrimitive()) {
      if (type.asGroupType().getFieldCount() != 1) {
        throw new IllegalStateException("column " + name + " is not a list of numbers: " + field);
      }
      type = type.asGroupType().getType(0);
      path.add(type.getName());
      if (type.isRepetition(Type.Repetition.REPEATED)) {
        listDefinition = schema.getMaxDefinitionLevel(path.toArray(String[]::new));
      }
    }
    if (type.isRepetition(Type.Repetition.REPEATED) && path.size() == 1) {
      throw new IllegalStateException("column " + name + " is a repeated primitive: " + field);
    }
    String[] leafPath = path.toArray(String[]::new);
    boolean list = listDefinition >= 0;
    if (list && type.isRepetition(Type.Repetition.REPEATED)) {
      listDefinition = schema.getMaxDefinitionLevel(leafPath);
    }
    return new Leaf(
        name,
        leafPath,
        type.asPrimitiveType().getPrimitiveTypeName(),
        list,
        schema.getMaxDefinitionLevel(leafPath),
        list ? listDefinition : 0);
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        reader = null;
      }
    }
  }
}
