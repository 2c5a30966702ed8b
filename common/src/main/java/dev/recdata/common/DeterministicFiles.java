package dev.recdata.common;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a staged output folder byte-identical from run to run before it is committed: the same
 * input, options and seed then give the same files, byte for byte. Two things Spark and
 * parquet-java leave to chance are undone here.
 *
 * <ul>
 *   <li>File names: Spark names every file of a write {@code part-00003-<write
 *       uuid>-c000.snappy.parquet}; the uuid is dropped ({@code part-00003-c000.snappy.parquet})
 *       where the names stay unique.
 *   <li>Parquet footers: parquet-java (1.16 and 1.17) gathers each column chunk's encodings in a
 *       {@code HashSet<Encoding>} and writes them in that set's iteration order, which follows
 *       identity hash codes and so changes from one JVM to the next (apache/parquet-java#3215). The
 *       data pages are identical; the footer's {@code ColumnMetaData.encodings} lists are sorted
 *       here by their Thrift value. parquet-java has no option for this, so the footer is rewritten
 *       by hand. In Thrift's compact protocol an encoding is a one-byte varint, so the sorted
 *       footer is exactly as long as the original and is patched in place.
 * </ul>
 *
 * <p>Safe by construction: a footer is only rewritten when parsing it and writing it back unchanged
 * gives the original bytes (anything this code does not understand, such as an unknown field or a
 * signed footer, is left alone with a log line), and encrypted files ({@code PARE}) are never
 * touched. Running it twice changes nothing the second time.
 */
public final class DeterministicFiles {
  private static final Logger LOG = LoggerFactory.getLogger(DeterministicFiles.class);

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHECKSUM_HEADER = {'c', 'r', 'c', 0};

  /** Spark's per-write uuid between the task number and the rest of the name. */
  private static final Pattern SPARK_FILE_NAME =
      Pattern.compile(
          "(part-\\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(.*)");

  private static final Comparator<Encoding> BY_THRIFT_VALUE =
      Comparator.comparingInt(Encoding::getValue);

  private DeterministicFiles() {}

  /** What {@link #normalize} did: files renamed and Parquet footers rewritten. */
  public record Changes(int renamed, int footersRewritten) {}

  /** {@link #normalize(FileSystem, Path)} for a folder given as a string. */
  public static Changes normalize(Configuration conf, String root) {
    Path path = new Path(root);
    try {
      return normalize(path.getFileSystem(conf), path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot normalise the files under " + root, e);
    }
  }

  /** Renames and rewrites every file under {@code root} (recursively) as the class describes. */
  public static Changes normalize(FileSystem fs, Path root) {
    try {
      int[] counts = new int[2];
      if (fs.exists(root)) {
        walk(fs, root, counts);
      }
      return new Changes(counts[0], counts[1]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot normalise the files under " + root, e);
    }
  }

  private static void walk(FileSystem fs, Path dir, int[] counts) throws IOException {
    FileStatus[] children = fs.listStatus(dir);
    Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus child : children) {
      String name = child.getPath().getName();
      if (name.startsWith(".")) {
        continue; // checksums and other hidden files follow their data file
      }
      if (child.isDirectory()) {
        walk(fs, child.getPath(), counts);
      } else {
        files.add(child);
      }
    }
    for (FileStatus file : files) {
      if (file.getPath().getName().endsWith(".parquet") && sortFooterEncodings(fs, file)) {
        counts[1]++;
      }
    }
    counts[0] += dropWriteIds(fs, dir, children);
  }

  /**
   * Renames Spark's {@code part-N-<uuid>REST} files to {@code part-NREST} unless two would get one
   * name.
   */
  private static int dropWriteIds(FileSystem fs, Path dir, FileStatus[] children)
      throws IOException {
    Set<String> names = new HashSet<>();
    for (FileStatus child : children) {
      names.add(child.getPath().getName());
    }
    Map<String, String> renames = new HashMap<>();
    Set<String> newNames = new HashSet<>();
    for (FileStatus child : children) {
      String name = child.getPath().getName();
      Matcher matcher = SPARK_FILE_NAME.matcher(name);
      if (child.isFile() && matcher.matches()) {
        String newName = matcher.group(1) + matcher.group(2);
        if (names.contains(newName) || !newNames.add(newName)) {
          LOG.warn(
              "left the file names in {} as they are: more than one file would be named {}",
              dir,
              newName);
          return 0;
        }
        renames.put(name, newName);
      }
    }
    for (Map.Entry<String, String> rename : renames.entrySet()) {
      Path from = new Path(dir, rename.getKey());
      Path to = new Path(dir, rename.getValue());
      if (!fs.rename(from, to)) {
        throw new IOException("could not rename " + from + " to " + to);
      }
    }
    return renames.size();
  }

  /**
   * Sorts every column chunk's encodings in the footer of one Parquet file. Returns whether the
   * file changed; files that are already sorted, encrypted or not understood are left as they are.
   */
  static boolean sortFooterEncodings(FileSystem fs, FileStatus status) throws IOException {
    return sortFooterEncodings(fs, status, isLocal(fs));
  }

  /**
   * {@code inPlace}: patch the local file; otherwise copy it through {@code fs} (tests use both on
   * local files).
   */
  static boolean sortFooterEncodings(FileSystem fs, FileStatus status, boolean inPlace)
      throws IOException {
    Path path = status.getPath();
    long length = status.getLen();
    if (length < 12) {
      return false;
    }
    byte[] tail = new byte[8];
    byte[] footer;
    long footerStart;
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(length - 8, tail);
      if (Arrays.equals(Arrays.copyOfRange(tail, 4, 8), ENCRYPTED_MAGIC)) {
        return false; // an encrypted footer cannot be read, and must not be touched, without its
        // keys
      }
      if (!Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        LOG.warn("left {} as it is: it does not end with the Parquet magic", path);
        return false;
      }
      int footerLength =
          (tail[0] & 0xff)
              | (tail[1] & 0xff) << 8
              | (tail[2] & 0xff) << 16
              | (tail[3] & 0xff) << 24;
      footerStart = length - 8 - footerLength;
      if (footerLength <= 0 || footerStart < 4) {
        LOG.warn(
            "left {} as it is: its footer length {} does not fit the file", path, footerLength);
        return false;
      }
      footer = new byte[footerLength];
      in.readFully(footerStart, footer);
    }
    byte[] sorted = sortedFooter(footer, path.toString());
    if (sorted == null) {
      return false;
    }
    if (inPlace) {
      patchLocal(fs, path, footerStart, footer, sorted);
    } else {
      rewrite(fs, path, footerStart, sorted);
    }
    return true;
  }

  /**
   * The footer with every encodings list sorted, or null when nothing needs to change or the footer
   * cannot be rewritten safely ({@code where} names the file in the log line).
   */
  static byte[] sortedFooter(byte[] footer, String where) {
    FileMetaData metadata;
    try {
      metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
    } catch (IOException | RuntimeException e) {
      LOG.warn("left {} as it is: its footer does not parse ({})", where, e.toString());
      return null;
    }
    if (metadata.isSetEncryption_algorithm()) {
      return null; // a plaintext footer of an encrypted file carries a signature over these bytes
    }
    byte[] unchanged = serialize(metadata);
    if (!Arrays.equals(unchanged, footer)) {
      LOG.warn(
          "left {} as it is: its footer does not read and write back to the same bytes ({} bytes, {} written)",
          where,
          footer.length,
          unchanged.length);
      return null;
    }
    boolean changed = false;
    for (RowGroup rowGroup : metadata.getRow_groups()) {
      for (ColumnChunk chunk : rowGroup.getColumns()) {
        ColumnMetaData column = chunk.getMeta_data();
        if (column == null || column.getEncodings() == null) {
          continue;
        }
        List<Encoding> encodings = new ArrayList<>(column.getEncodings());
        encodings.sort(BY_THRIFT_VALUE);
        if (!encodings.equals(column.getEncodings())) {
          column.setEncodings(encodings);
          changed = true;
        }
      }
    }
    if (!changed) {
      return null;
    }
    byte[] sorted = serialize(metadata);
    if (sorted.length != footer.length) {
      LOG.warn(
          "left {} as it is: its sorted footer is {} bytes, not {}",
          where,
          sorted.length,
          footer.length);
      return null;
    }
    return sorted;
  }

  private static byte[] serialize(FileMetaData metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Util.writeFileMetaData(metadata, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a Parquet footer", e);
    }
    return out.toByteArray();
  }

  private static boolean isLocal(FileSystem fs) {
    return rawLocal(fs) != null;
  }

  private static RawLocalFileSystem rawLocal(FileSystem fs) {
    if (fs instanceof RawLocalFileSystem raw) {
      return raw;
    }
    if (fs instanceof FilterFileSystem filter
        && filter.getRawFileSystem() instanceof RawLocalFileSystem raw) {
      return raw;
    }
    return null;
  }

  /**
   * Writes the sorted footer over the old one in the local file, and brings Hadoop's {@code
   * .NAME.crc} beside it up to date: the CRC32 of every 512-byte (or whatever the header says)
   * chunk the footer touches is recomputed, which gives exactly the checksum file Hadoop would have
   * written for the new bytes. A checksum file this code does not recognise is deleted instead
   * (reading without one only skips the verification).
   */
  private static void patchLocal(
      FileSystem fs, Path path, long footerStart, byte[] footer, byte[] sorted) throws IOException {
    RawLocalFileSystem raw = rawLocal(fs);
    File file = raw.pathToFile(path);
    File checksums = null;
    if (fs instanceof ChecksumFileSystem checksummed) {
      File candidate = raw.pathToFile(checksummed.getChecksumFile(path));
      if (candidate.exists()) {
        checksums = candidate;
      }
    }
    int first = 0;
    while (first < footer.length && footer[first] == sorted[first]) {
      first++;
    }
    int last = footer.length - 1;
    while (last > first && footer[last] == sorted[last]) {
      last--;
    }
    long changedFrom = footerStart + first;
    long changedTo = footerStart + last;
    try (RandomAccessFile data = new RandomAccessFile(file, "rw")) {
      boolean checksumsMatch =
          checksums != null && checksumsMatch(data, checksums, changedFrom, changedTo);
      data.seek(changedFrom);
      data.write(sorted, first, last - first + 1);
      if (checksumsMatch) {
        updateChecksums(data, checksums, changedFrom, changedTo);
      } else if (checksums != null) {
        LOG.warn("deleted {}: not a CRC32 checksum file this code can update", checksums);
        if (!checksums.delete()) {
          throw new IOException("could not delete the stale checksum file " + checksums);
        }
      }
    }
  }

  /**
   * Whether {@code checksums} holds the CRC32s of the chunks from {@code from} to {@code to} as
   * they are now.
   */
  private static boolean checksumsMatch(RandomAccessFile data, File checksums, long from, long to)
      throws IOException {
    try (RandomAccessFile sums = new RandomAccessFile(checksums, "r")) {
      byte[] header = new byte[4];
      if (sums.length() < 8) {
        return false;
      }
      sums.readFully(header);
      int bytesPerChecksum = sums.readInt();
      if (!Arrays.equals(header, CHECKSUM_HEADER) || bytesPerChecksum <= 0) {
        return false;
      }
      long chunks = (data.length() + bytesPerChecksum - 1) / bytesPerChecksum;
      if (sums.length() != 8 + 4 * chunks) {
        return false;
      }
      for (long chunk = from / bytesPerChecksum; chunk <= to / bytesPerChecksum; chunk++) {
        sums.seek(8 + 4 * chunk);
        if (sums.readInt() != crc(data, chunk, bytesPerChecksum)) {
          return false;
        }
      }
      return true;
    }
  }

  private static void updateChecksums(RandomAccessFile data, File checksums, long from, long to)
      throws IOException {
    try (RandomAccessFile sums = new RandomAccessFile(checksums, "rw")) {
      sums.seek(4);
      int bytesPerChecksum = sums.readInt();
      for (long chunk = from / bytesPerChecksum; chunk <= to / bytesPerChecksum; chunk++) {
        sums.seek(8 + 4 * chunk);
        sums.writeInt(crc(data, chunk, bytesPerChecksum));
      }
    }
  }

  private static int crc(RandomAccessFile data, long chunk, int bytesPerChecksum)
      throws IOException {
    long start = chunk * bytesPerChecksum;
    byte[] bytes = new byte[(int) Math.min(bytesPerChecksum, data.length() - start)];
    data.seek(start);
    data.readFully(bytes);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  /**
   * Object stores and HDFS cannot write into a file: the file is copied to a hidden sibling with
   * the sorted footer and moved over the original (both inside the staging folder, so no reader
   * sees the swap).
   */
  private static void rewrite(FileSystem fs, Path path, long footerStart, byte[] sorted)
      throws IOException {
    Path copy = new Path(path.getParent(), "." + path.getName() + ".sorted-footer");
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = fs.open(path);
        OutputStream out = fs.create(copy, true)) {
      long remaining = footerStart;
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IOException("unexpected end of " + path);
        }
        out.write(buffer, 0, n);
        remaining -= n;
      }
      out.write(sorted);
      in.skipNBytes(sorted.length);
      in.transferTo(out); // the footer length and the magic, unchanged
    }
    if (!fs.delete(path, false) || !fs.rename(copy, path)) {
      throw new IOException("could not replace " + path + " with its copy " + copy);
    }
  }
}
