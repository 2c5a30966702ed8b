package dev.recdata.etl;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.ExecutionMode;
import dev.recdata.common.Fingerprints;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.SparkSessions;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.clean.CleaningPipeline;
import dev.recdata.etl.clean.CleaningResult;
import dev.recdata.etl.clean.IdMaps;
import dev.recdata.etl.feedback.FeedbackHistory;
import dev.recdata.etl.read.FileReadOptions;
import dev.recdata.etl.read.InputReader;
import dev.recdata.etl.read.SourceData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The etl stage: read every input, extract new feedback, clean, and commit one canonical dataset
 * with its rejects, id maps and manifest. Reading and cleaning live in {@code read}, {@code
 * feedback} and {@code clean}; this class only wires them and keeps the books (input = output +
 * rejected + deduplicated + filtered).
 */
public final class EtlJob {
  private EtlJob() {}

  public static EtlSummary run(SparkSession spark, EtlOptions options) {
    Progress progress = new Progress("etl");
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String runId = RunIds.newRunId();
    String started = Instant.now().toString();
    EtlOutput previous = EtlOutput.readIfPresent(conf, options.previousOrOut());
    AtomicOutput output = AtomicOutput.begin(conf, options.out(), runId, EtlOutput.OWNER);
    try {
      SparkSessions.describe(spark, "etl", "read inputs");
      Sources sources = readSources(spark, options, progress);
      FeedbackHistory.Extended feedback = null;
      if (options.feedback() != null) {
        SparkSessions.describe(spark, "etl", "extract feedback");
        feedback =
            FeedbackHistory.extend(
                spark,
                options.feedback(),
                previous,
                options.previousOrOut(),
                output.path(EtlOutput.FEEDBACK_HISTORY));
        progress.step(
            "feedback",
            "extracted %,d new feedback rows from %s (history now %,d events)",
            feedback.tableRowsRead(),
            options.feedback().table(),
            feedback.historyEvents());
        sources.interactions().add(feedback.history());
        sources.rejects().add(feedback.rejects());
      }

      // A feedback table's size is not known before it is read: generated code, as for any large
      // input.
      ExecutionMode.apply(
          spark,
          "etl",
          options.feedback() != null ? -1 : ExecutionMode.textRows(conf, inputFiles(sources)));
      SparkSessions.describe(spark, "etl", "clean");
      CleaningResult cleaned =
          CleaningPipeline.apply(union(sources.interactions()), options.cleaning());

      EtlOutput.Counts counts = write(spark, options, sources, cleaned, output, progress);
      if (feedback != null) {
        feedback.extract().release();
      }
      ObjectNode manifest =
          EtlOutput.write(
              conf,
              output.stagingDir(),
              runId,
              started,
              sources.recorded(),
              feedback,
              counts,
              parameters(options),
              progress.secondsPerStep(),
              progress.totalSeconds());
      output.commit();
      progress.info(
          "wrote %,d interactions (%,d users, %,d items) to %s in %.1f s",
          counts.output(), counts.users(), counts.items(), options.out(), progress.totalSeconds());
      return new EtlSummary(
          runId,
          counts.input(),
          counts.output(),
          counts.rejected(),
          counts.deduplicatedTotal(),
          counts.filteredTotal(),
          counts.users(),
          counts.items(),
          manifest);
    } catch (Throwable e) {
      // Spark rethrows task failures as SparkException, a checked exception javac does not see here
      output.abort();
      throw e;
    }
  }

  /**
   * What the input files hold, gathered for one union each, and how the manifest records the
   * inputs.
   */
  private record Sources(
      List<Dataset<Row>> interactions,
      List<Dataset<Row>> rejects,
      List<Dataset<Row>> items,
      List<Dataset<Row>> users,
      List<EtlOutput.Input> recorded) {}

  private static List<String> inputFiles(Sources sources) {
    List<String> files = new ArrayList<>();
    for (EtlOutput.Input input : sources.recorded()) {
      for (JsonNode file : input.files()) {
        files.add(file.path("path").asText());
      }
    }
    return files;
  }

  private static Sources readSources(SparkSession spark, EtlOptions options, Progress progress) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Sources sources =
        new Sources(
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>());
    for (String input : options.inputs()) {
      SourceData source = InputReader.read(spark, input, options.format(), options.mapping());
      sources.interactions().add(source.interactions());
      sources.rejects().add(source.rejects());
      if (source.items() != null) {
        sources.items().add(source.items());
      }
      if (source.users() != null) {
        sources.users().add(source.users());
      }
      List<JsonNode> files = new ArrayList<>();
      for (String file : source.files()) {
        files.add(
            options.checksums() ? Fingerprints.of(conf, file) : Json.object().put("path", file));
      }
      sources.recorded().add(new EtlOutput.Input(input, source.source(), files));
      progress.step(
          "read", "read %s (%s, %d files)", input, source.source(), source.files().size());
    }
    return sources;
  }

  /**
   * Writes interactions, rejects, side tables and id maps, and counts from the written files
   * (Parquet footers are cheap to read); the books must balance: input = output + rejected +
   * deduplicated + filtered.
   */
  private static EtlOutput.Counts write(
      SparkSession spark,
      EtlOptions options,
      Sources sources,
      CleaningResult cleaned,
      AtomicOutput output,
      Progress progress) {
    SparkSessions.describe(spark, "etl", "write interactions");
    cleaned.interactions().write().parquet(output.path(Layout.INTERACTIONS));
    List<Dataset<Row>> rejects = new ArrayList<>(sources.rejects());
    rejects.add(cleaned.rejects());
    union(rejects).write().parquet(output.path(Layout.REJECTS));
    Dataset<Row> writtenRejects = spark.read().parquet(output.path(Layout.REJECTS));
    Dataset<Row> written = spark.read().parquet(output.path(Layout.INTERACTIONS));
    long rejected = writtenRejects.count();
    long out = written.count();
    long readerRejects = rejected - cleaned.rejected();
    long input = cleaned.rowsIn() + readerRejects;
    long deduplicated = cleaned.deduplicated().values().stream().mapToLong(Long::longValue).sum();
    long filtered = cleaned.filtered().values().stream().mapToLong(Long::longValue).sum();
    if (input != out + rejected + deduplicated + filtered) {
      throw new IllegalStateException(
          String.format(
              "row accounting does not add up: input %d != output %d + rejected %d + deduplicated %d + filtered %d",
              input, out, rejected, deduplicated, filtered));
    }
    progress.step(
        "clean",
        "%,d rows in: %,d out, %,d rejected, %,d deduplicated, %,d filtered",
        input,
        out,
        rejected,
        deduplicated,
        filtered);
    checkRejectRatio(options.inputs(), options.maxRejectRatio(), input, rejected, writtenRejects);

    SparkSessions.describe(spark, "etl", "write items, users and id maps");
    if (!sources.items().isEmpty()) {
      union(sources.items()).write().parquet(output.path(Layout.ITEMS));
    }
    if (!sources.users().isEmpty()) {
      union(sources.users()).write().parquet(output.path(Layout.USERS));
    }
    IdMaps.users(written).write().parquet(output.path(Layout.USER_MAP));
    IdMaps.items(written).write().parquet(output.path(Layout.ITEM_MAP));
    long userCount = spark.read().parquet(output.path(Layout.USER_MAP)).count();
    long itemCount = spark.read().parquet(output.path(Layout.ITEM_MAP)).count();
    progress.step("id_maps", "indexed %,d users and %,d items", userCount, itemCount);

    // Keyed by code (a closed set, see RejectReason), so the map stays small however many distinct
    // bad values.
    Map<String, Long> rejectReasons = new LinkedHashMap<>();
    for (Row row :
        writtenRejects
            .groupBy(col(Schema.REJECT_REASON_CODE))
            .count()
            .orderBy(desc("count"), col(Schema.REJECT_REASON_CODE))
            .collectAsList()) {
      rejectReasons.put(row.getString(0), row.getLong(1));
    }
    return new EtlOutput.Counts(
        input,
        out,
        rejected,
        deduplicated,
        filtered,
        cleaned.deduplicated(),
        cleaned.filtered(),
        userCount,
        itemCount,
        rejectReasons);
  }

  private static Dataset<Row> union(List<Dataset<Row>> parts) {
    return parts.stream().reduce(Dataset::unionByName).orElseThrow();
  }

  /**
   * For one-off use ({@code recdata split --input ml-100k/}): reads one input the way {@code read}
   * says and cleans it with the default cleaning, in memory, writing nothing. Above {@code
   * read.maxRejectRatio()} rejected rows fail the run just as a written etl run would; otherwise
   * the caller gets them to keep.
   */
  public static InMemoryEtl inMemory(SparkSession spark, String input, FileReadOptions read) {
    Progress progress = new Progress("etl");
    SourceData source = InputReader.read(spark, input, read.format(), read.mapping());
    CleaningResult cleaned =
        CleaningPipeline.apply(source.interactions(), CleaningOptions.defaults(Instant.now()));
    Dataset<Row> allRejects = source.rejects().unionByName(cleaned.rejects()).cache();
    long rejected = allRejects.count();
    long rowsIn = cleaned.rowsIn() + rejected - cleaned.rejected();
    checkRejectRatio(List.of(input), read.maxRejectRatio(), rowsIn, rejected, allRejects);
    long deduplicated = cleaned.deduplicated().values().stream().mapToLong(Long::longValue).sum();
    long filtered = cleaned.filtered().values().stream().mapToLong(Long::longValue).sum();
    progress.step(
        "in-memory",
        "read %s (%s) in memory: %,d rows in, %,d out, %,d rejected, %,d deduplicated",
        input,
        source.source(),
        rowsIn,
        cleaned.rowsOut(),
        rejected,
        deduplicated);
    return new InMemoryEtl(
        cleaned.interactions(),
        allRejects,
        rowsIn,
        cleaned.rowsOut(),
        rejected,
        deduplicated,
        filtered);
  }

  private static void checkRejectRatio(
      List<String> inputs, double maxRejectRatio, long input, long rejected, Dataset<Row> rejects) {
    if (input == 0) {
      throw RecdataException.badInput("the input holds no rows: %s", String.join(", ", inputs));
    }
    double ratio = (double) rejected / input;
    if (ratio > maxRejectRatio) {
      StringBuilder examples = new StringBuilder();
      for (Row row :
          rejects
              .orderBy(col(Schema.REJECT_FILE), col(Schema.REJECT_LINE))
              .limit(3)
              .collectAsList()) {
        examples
            .append("; ")
            .append(
                row.getAs(Schema.REJECT_FILE) == null
                    ? row.<String>getAs(Schema.SOURCE)
                    : row.<String>getAs(Schema.REJECT_FILE))
            .append(
                row.getAs(Schema.REJECT_LINE) == null
                    ? ""
                    : " line " + row.getAs(Schema.REJECT_LINE))
            .append(": ")
            .append(row.<String>getAs(Schema.REJECT_REASON));
      }
      throw RecdataException.badInput(
          "%,d of %,d rows (%.2f%%) were rejected, above --max-reject-ratio %s%s",
          rejected, input, 100.0 * ratio, maxRejectRatio, examples);
    }
  }

  private static Map<String, Object> parameters(EtlOptions options) {
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("inputs", options.inputs());
    p.put("format", options.format() == null ? null : options.format().name());
    p.put("mapping", options.mapping());
    p.put("cleaning", options.cleaning());
    p.put("max_reject_ratio", options.maxRejectRatio());
    if (options.feedback() != null) {
      p.put("feedback_table", options.feedback().table());
      p.put("jdbc_url", options.feedback().target().redactedUrl());
      p.put("feedback_partitions", options.feedback().partitions());
      p.put("feedback_lag_seconds", options.feedback().lagSeconds());
    }
    return p;
  }
}
