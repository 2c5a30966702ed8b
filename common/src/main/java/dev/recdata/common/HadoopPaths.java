package dev.recdata.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Small questions about paths on any Hadoop file system (local, hdfs://, s3a://), asked the same
 * way everywhere.
 */
public final class HadoopPaths {
  private HadoopPaths() {}

  public static boolean exists(Configuration conf, Path path) {
    try {
      return path.getFileSystem(conf).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  public static boolean exists(Configuration conf, String path) {
    return exists(conf, new Path(path));
  }
}
