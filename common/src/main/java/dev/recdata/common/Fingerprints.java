package dev.recdata.common;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Sizes and SHA-256 checksums of input files, recorded in manifests for lineage. */
public final class Fingerprints {
  private Fingerprints() {}

  /** {@code {"path": ..., "bytes": ..., "sha256": ...}} for one file. */
  public static ObjectNode of(Configuration conf, String file) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      ObjectNode node = Json.object();
      node.put("path", status.getPath().toString());
      node.put("bytes", status.getLen());
      node.put("sha256", sha256(fs, path));
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fingerprint " + file, e);
    }
  }

  /**
   * Fingerprints of every regular, non-hidden file under {@code dir} (recursively), sorted by path.
   */
  public static ArrayNode ofTree(Configuration conf, String dir) {
    ArrayNode files = Json.MAPPER.createArrayNode();
    Path root = new Path(dir);
    try {
      FileSystem fs = root.getFileSystem(conf);
      java.util.List<String> paths = new java.util.ArrayList<>();
      var it = fs.listFiles(root, true);
      while (it.hasNext()) {
        var status = it.next();
        String name = status.getPath().getName();
        if (!name.startsWith(".") && !name.startsWith("_")) {
          paths.add(status.getPath().toString());
        }
      }
      java.util.Collections.sort(paths);
      for (String p : paths) {
        files.add(of(conf, p));
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String sha256(FileSystem fs, Path path) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = fs.open(path)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
