package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.countDistinct;

import dev.recdata.common.HadoopPaths;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.export.ExportOutput;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Refuses to publish a model that would serve far less than the version it replaces: no
 * recommendations at all, or fewer than {@code minCoverageRatio} of the users or of the distinct
 * recommended items now published in {@code SCHEMA.recommendations}. A refusal is exit 3 (like a
 * failed quality gate) naming the figures, before anything is committed or published, so the
 * previous version stays served; {@code --force-publish} overrides it.
 */
public final class PublishGuard {
  private PublishGuard() {}

  /** Users and distinct items a recommendations table covers. */
  public record Coverage(String modelVersion, long users, long items, long rows) {
    String describe() {
      return String.format(
          Locale.ROOT, "%,d users, %,d distinct items, %,d rows", users, items, rows);
    }
  }

  /** What {@code recommendations} (user_id, item_id columns) covers. */
  public static Coverage of(Dataset<Row> recommendations, String modelVersion) {
    Row row =
        recommendations
            .agg(
                countDistinct(Schema.USER_ID),
                countDistinct(Schema.ITEM_ID),
                org.apache.spark.sql.functions.count("*"))
            .first();
    return new Coverage(modelVersion, row.getLong(0), row.getLong(1), row.getLong(2));
  }

  /** What {@code SCHEMA.recommendations} covers now; null when it does not exist or is empty. */
  public static Coverage published(JdbcTarget jdbc, String schema) {
    JdbcTarget.checkSchema(schema);
    String table = schema + "." + RecommendationsPublisher.RECOMMENDATIONS;
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement()) {
      try (ResultSet exists = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return null;
        }
      }
      try (ResultSet r =
          s.executeQuery(
              "SELECT count(DISTINCT user_id), count(DISTINCT item_id), count(*),"
                  + " max(model_version) FROM "
                  + table)) {
        r.next();
        return r.getLong(3) == 0
            ? null
            : new Coverage(r.getString(4), r.getLong(1), r.getLong(2), r.getLong(3));
      }
    } catch (SQLException e) {
      throw new RecdataException(
          RecdataException.EXIT_INTERNAL,
          "cannot read the published recommendations at "
              + jdbc.redactedUrl()
              + ": "
              + jdbc.safeMessage(e));
    }
  }

  /**
   * What the export in {@code dir} serves (its {@code serving/parquet/recommendations}); null when
   * {@code dir} holds no export or one without a serving side.
   */
  public static Coverage exported(SparkSession spark, String dir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ExportOutput export = ExportOutput.readIfPresent(conf, dir);
    if (export == null || !export.hasServing()) {
      return null;
    }
    String recommendations =
        new Path(export.serving(), "parquet/" + ServingExport.RECOMMENDATIONS).toString();
    if (!HadoopPaths.exists(conf, recommendations)) {
      return null;
    }
    return of(spark.read().parquet(recommendations), export.modelVersion());
  }

  /**
   * Exit 3 unless {@code candidate} has recommendations and covers at least {@code
   * minCoverageRatio} of {@code previous}'s users and items (previous null: only the first
   * condition).
   */
  public static void check(
      Coverage candidate, Coverage previous, double minCoverageRatio, String where) {
    if (candidate.rows() == 0) {
      throw new RecdataException(
          RecdataException.EXIT_GATE_FAILED,
          String.format(
              Locale.ROOT,
              "publish guard: model %s has no recommendations (%s); not published, %s stays served"
                  + " (--force-publish to publish it anyway)",
              candidate.modelVersion(),
              candidate.describe(),
              previous == null
                  ? "the previous version"
                  : "model " + previous.modelVersion() + " in " + where));
    }
    if (previous == null) {
      return;
    }
    boolean users = candidate.users() >= minCoverageRatio * previous.users();
    boolean items = candidate.items() >= minCoverageRatio * previous.items();
    if (!users || !items) {
      throw new RecdataException(
          RecdataException.EXIT_GATE_FAILED,
          String.format(
              Locale.ROOT,
              "publish guard: model %s covers %s, below %.2f of model %s in %s (%s): %s; not published, the previous"
                  + " version stays served (--min-coverage-ratio, or --force-publish to publish it anyway)",
              candidate.modelVersion(),
              candidate.describe(),
              minCoverageRatio,
              previous.modelVersion(),
              where,
              previous.describe(),
              !users && !items ? "users and items" : !users ? "users" : "items"));
    }
  }
}
