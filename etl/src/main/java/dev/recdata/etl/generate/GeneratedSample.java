package dev.recdata.etl.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a generated sample to any Hadoop file system (s3a://, hdfs://, file://, plain paths). The
 * generator itself renders with local file I/O (it is a disk-bound writer, not a Spark job), so for
 * a remote target it renders into a local temporary folder and copies the two files up through the
 * target's {@link FileSystem}.
 */
public final class GeneratedSample {
  private GeneratedSample() {}

  public static GenerateSummary generate(Configuration conf, GenerateOptions options) {
    Path target = new Path(options.out());
    try {
      FileSystem fs = target.getFileSystem(conf);
      if (fs instanceof LocalFileSystem local) {
        // file:///x and /x both name a local folder; the generator wants the plain path.
        String localPath = local.pathToFile(fs.makeQualified(target)).getPath();
        return MovieLensGenerator.generate(withOut(options, localPath));
      }
      java.nio.file.Path scratch = Files.createTempDirectory("recdata-sample-");
      try {
        java.nio.file.Path rendered = scratch.resolve("sample");
        GenerateSummary summary =
            MovieLensGenerator.generate(withOut(options, rendered.toString()));
        fs.mkdirs(target);
        for (String file :
            new String[] {MovieLensGenerator.RATINGS_FILE, MovieLensGenerator.MOVIES_FILE}) {
          fs.copyFromLocalFile(
              false, true, new Path(rendered.resolve(file).toUri()), new Path(target, file));
        }
        return summary;
      } finally {
        deleteRecursively(scratch);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the generated sample to " + target, e);
    }
  }

  private static GenerateOptions withOut(GenerateOptions options, String out) {
    return new GenerateOptions(
        out, options.users(), options.items(), options.rows(), options.seed(), options.threads());
  }

  private static void deleteRecursively(java.nio.file.Path folder) throws IOException {
    try (Stream<java.nio.file.Path> paths = Files.walk(folder)) {
      for (java.nio.file.Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
