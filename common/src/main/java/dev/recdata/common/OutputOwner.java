package dev.recdata.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Which stage owns an output folder, and how to recognise a folder that stage wrote: its manifest
 * file (for example {@code manifest.json} or {@code report.json}) whose {@code "stage"} is the
 * stage's name. recdata replaces a folder only when it is absent, empty, or recognised this way
 * (Spark's {@code SaveMode.ErrorIfExists} is its default for the same reason): a typo in {@code
 * --out} must never delete a user's files.
 */
public record OutputOwner(String stage, String manifest) {
  public OutputOwner {
    if (stage == null || stage.isBlank() || manifest == null || manifest.isBlank()) {
      throw new IllegalArgumentException("an output owner needs a stage and a manifest file name");
    }
  }

  public static OutputOwner of(String stage, String manifest) {
    return new OutputOwner(stage, manifest);
  }

  /**
   * True when {@code folder} holds this stage's manifest naming this stage; a missing or unreadable
   * one is not.
   */
  public boolean wrote(FileSystem fs, Path folder) {
    Path file = new Path(folder, manifest);
    try {
      if (!fs.isFile(file)) {
        return false;
      }
      try (InputStream in = fs.open(file)) {
        JsonNode json = Json.MAPPER.readTree(in);
        return json != null && stage.equals(json.path(ManifestFile.STAGE).asText(null));
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
