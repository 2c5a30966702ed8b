package dev.recdata.common.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the shared reference data lives: {@code ../shared/datasets} from the project root. */
public final class TestData {
  private TestData() {}

  /**
   * MovieLens 100K, found by walking up from the module's working directory to the folder beside
   * {@code shared}.
   */
  public static Path ml100k() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolveSibling("shared").resolve("datasets").resolve("ml-100k");
      if (Files.isRegularFile(candidate.resolve("u.data"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new AssertionError(
        "MovieLens 100K not found: expected ../shared/datasets/ml-100k beside the project root");
  }
}
