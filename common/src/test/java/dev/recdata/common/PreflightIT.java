package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.testing.Postgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link Preflight} against the real PostgreSQL. */
class PreflightIT {
  @Test
  void schemaCheckLeavesNoSchemaOrTableBehind() throws Exception {
    try (Connection probe = Postgres.connect()) {
      String schema =
          ("preflight_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);

      Preflight.jdbc(
          new JdbcTarget(Postgres.URL, Postgres.USER, null), schema, "the quality tables");

      try (Statement s = probe.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the probe's schema was rolled back").isZero();
      }
    }
  }
}
