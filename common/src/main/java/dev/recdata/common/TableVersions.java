package dev.recdata.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The version of each set of PostgreSQL tables recdata writes ({@code quality}, {@code model}),
 * kept in {@code SCHEMA.schema_version}, and the lock under which one writer at a time creates or
 * migrates them. A writer calls everything here inside its own transaction, so a migration and the
 * first write after it commit or roll back together.
 */
public final class TableVersions {
  private TableVersions() {}

  public static final String TABLE = "schema_version";

  /**
   * Holds the schema's lock until the transaction ends: two stages starting at once (quality and
   * als of two pipelines) would otherwise both see no table and both create or migrate it.
   */
  /** A step run inside the caller's transaction. */
  @FunctionalInterface
  public interface Migration {
    void run(Connection c, String schema) throws SQLException;
  }

  /**
   * Creates a table set at {@code version}, or migrates its version 1 to it, inside the caller's
   * transaction, so a migration commits with the first run written after it, or not at all. Version
   * 1 recorded no version: its {@code runsTable} is recognised by the missing {@code
   * pipeline_run_id} column. Writers of the set are serialised by {@link #lock}; a set newer than
   * this build is refused ({@link #checkNotNewer}).
   */
  public static void prepare(
      Connection c,
      String schema,
      String tables,
      int version,
      String runsTable,
      Iterable<String> ddl,
      Migration fromV1)
      throws SQLException {
    lock(c, schema);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }
    Integer found = read(c, schema, tables);
    checkNotNewer(found, version, schema, tables);
    if (found != null && found == version) {
      return;
    }
    if (tableExists(c, schema, runsTable)
        && !columnExists(c, schema, runsTable, "pipeline_run_id")) {
      fromV1.run(c, schema);
    }
    execute(c, schema, ddl);
    write(c, schema, tables, version);
  }

  /**
   * Fills {@code dataset} of a version 1 runs table from the path each run recorded (version 1 knew
   * no name): the name {@link DatasetNames#fromPath} gives that path.
   */
  public static void nameDatasetsByPath(
      Connection c, String schema, String runsTable, String pathColumn) throws SQLException {
    List<String> paths = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT DISTINCT " + pathColumn + " FROM " + schema + "." + runsTable)) {
      while (rs.next()) {
        paths.add(rs.getString(1));
      }
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE "
                + schema
                + "."
                + runsTable
                + " SET dataset = ? WHERE "
                + pathColumn
                + " = ?")) {
      for (String path : paths) {
        st.setString(1, DatasetNames.fromPath(path));
        st.setString(2, path);
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  public static void lock(Connection c, String schema) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      st.setString(1, "recdata:" + schema);
      st.execute();
    }
  }

  /** The recorded version of {@code tables} in {@code schema}, or null when none is recorded. */
  public static Integer read(Connection c, String schema, String tables) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + schema
              + "."
              + TABLE
              + " (tables text PRIMARY KEY, version integer NOT NULL, updated_at timestamptz NOT NULL)");
    }
    try (PreparedStatement st =
        c.prepareStatement("SELECT version FROM " + schema + "." + TABLE + " WHERE tables = ?")) {
      st.setString(1, tables);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  public static void write(Connection c, String schema, String tables, int version)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO "
                + schema
                + "."
                + TABLE
                + " (tables, version, updated_at) VALUES (?, ?, now())"
                + " ON CONFLICT (tables) DO UPDATE SET version = EXCLUDED.version, updated_at = now()")) {
      st.setString(1, tables);
      st.setInt(2, version);
      st.executeUpdate();
    }
  }

  /**
   * Refuses tables newer than this build writes: an older recdata must not write rows of a shape
   * the tables have moved past.
   */
  public static void checkNotNewer(Integer found, int supported, String schema, String tables) {
    if (found != null && found > supported) {
      throw RecdataException.badInput(
          "the %s tables in schema %s are version %d, newer than the version %d this recdata writes;"
              + " use a newer recdata or another --jdbc-schema",
          tables, schema, found, supported);
    }
  }

  public static boolean tableExists(Connection c, String schema, String table) throws SQLException {
    return exists(
        c,
        "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        schema,
        table);
  }

  public static boolean columnExists(Connection c, String schema, String table, String column)
      throws SQLException {
    return exists(
        c,
        "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
            + " AND column_name = ?",
        schema,
        table,
        column);
  }

  private static boolean exists(Connection c, String sql, String... values) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        st.setString(i + 1, values[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Runs each statement in order, with {@code %1$s} replaced by the schema. */
  public static void execute(Connection c, String schema, Iterable<String> statements)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(String.format(sql, schema));
      }
    }
  }
}
