package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
  /** Nothing listens on port 1: the connection is refused at once. */
  static final String DEAD_URL = "jdbc:postgresql://127.0.0.1:1/test";

  @Test
  void deadDatabaseIsBadInputNamingTheUrlButNoPassword() {
    JdbcTarget target = new JdbcTarget(DEAD_URL + "?password=hunter2", "postgres", "s3cret");
    long started = System.nanoTime();

    assertThatThrownBy(() -> Preflight.jdbc(target, "recdata", "the quality tables"))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("cannot connect to PostgreSQL at " + DEAD_URL + "?password=***")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("s3cret")
        .extracting(e -> ((RecdataException) e).exitCode())
        .isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat((System.nanoTime() - started) / 1e9).isLessThan(Preflight.TIMEOUT_SECONDS);
  }

  @Test
  void schemaNameIsCheckedBeforeConnecting() {
    assertThatThrownBy(
            () -> Preflight.jdbc(new JdbcTarget(DEAD_URL, "postgres", null), "Drop;Table", "x"))
        .hasMessageContaining("--jdbc-schema Drop;Table is not usable");
  }

  @Test
  void localPathsAnswerAndAnUnknownSchemeIsBadInput(@TempDir Path tmp) {
    Configuration conf = new Configuration();
    Preflight.path(conf, "--out", tmp.resolve("not-yet").toString());

    assertThatThrownBy(() -> Preflight.path(conf, "--out", "nosuch://key:secret@bucket/out"))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("cannot reach nosuch://bucket for --out nosuch://***@bucket/out")
        .hasMessageNotContaining("secret");
  }
}
