package dev.recdata.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What every stage manifest shares: the {@code "stage"} that wrote it and its {@code
 * "format_version"}. Each stage's output contract ({@code EtlOutput}, {@code SplitOutput}, ...)
 * owns the rest of its file; this class only lets them recognise their own file and refuse a
 * version they cannot read, in one wording.
 */
public final class ManifestFile {
  private ManifestFile() {}

  public static final String STAGE = "stage";
  public static final String FORMAT_VERSION = "format_version";

  /** The version of manifests written before they carried {@code format_version}. */
  public static final int UNVERSIONED = 1;

  /**
   * A new manifest starting with the stage and format version, so every manifest opens the same
   * way.
   */
  public static ObjectNode start(String stage, int formatVersion) {
    ObjectNode manifest = Json.object();
    manifest.put(STAGE, stage);
    manifest.put(FORMAT_VERSION, formatVersion);
    return manifest;
  }

  /**
   * The JSON file {@code dir/name} when it exists and its {@code "stage"} is {@code stage}; null
   * when it is absent or names another stage. An unreadable file is exit 2 naming it.
   */
  public static JsonNode readIfStage(Configuration conf, Path dir, String name, String stage) {
    Path file = new Path(dir, name);
    if (!HadoopPaths.exists(conf, file)) {
      return null;
    }
    JsonNode json = Json.read(conf, file.toString());
    return json != null && stage.equals(json.path(STAGE).asText(null)) ? json : null;
  }

  /**
   * The manifest's {@code format_version} ({@link #UNVERSIONED} when it has none); exit 2 naming
   * the file and both versions when it is newer than {@code newest}, the last version this build
   * reads.
   */
  public static int version(JsonNode manifest, Path file, String stage, int newest) {
    JsonNode value = manifest.get(FORMAT_VERSION);
    if (value == null || value.isNull()) {
      return UNVERSIONED;
    }
    RecdataException.checkInput(
        value.canConvertToInt() && value.asInt() >= UNVERSIONED && value.asInt() <= newest,
        "%s has format_version %s, but this recdata reads %s outputs of format_version %d to %d: use the recdata"
            + " that wrote it, or a newer one",
        file,
        value,
        stage,
        UNVERSIONED,
        newest);
    return value.asInt();
  }

  /**
   * For a message about a folder that holds nothing a stage needs: "does not exist" or "holds a,
   * b/, c and 4 more".
   */
  public static String whatIsAt(Configuration conf, Path folder) {
    try {
      FileSystem fs = folder.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(folder);
      if (!status.isDirectory()) {
        return "is a file";
      }
      FileStatus[] entries = fs.listStatus(folder);
      if (entries.length == 0) {
        return "is empty";
      }
      String listed =
          Arrays.stream(entries)
              .map(e -> e.getPath().getName() + (e.isDirectory() ? "/" : ""))
              .sorted()
              .limit(6)
              .collect(Collectors.joining(", "));
      return "holds "
          + listed
          + (entries.length > 6 ? " and " + (entries.length - 6) + " more" : "");
    } catch (FileNotFoundException e) {
      return "does not exist";
    } catch (IOException e) {
      return "cannot be listed (" + e.getMessage() + ")";
    }
  }
}
