package dev.recdata.etl;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.Fingerprints;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.Versions;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.clean.CleaningPipeline;
import dev.recdata.etl.clean.CleaningResult;
import dev.recdata.etl.clean.IdMaps;
import dev.recdata.etl.feedback.FeedbackExtract;
import dev.recdata.etl.feedback.FeedbackExtractor;
import dev.recdata.etl.feedback.Watermark;
import dev.recdata.etl.read.FileReadOptions;
import dev.recdata.etl.read.InputReader;
import dev.recdata.etl.read.SourceData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The etl stage: read every input, extract new feedback, clean, and commit one canonical dataset with its
 * rejects, id maps and manifest. Reading and cleaning live in {@code read}, {@code feedback} and {@code clean};
 * this class only wires them and keeps the books (input = output + rejected + deduplicated + filtered).
 */
public final class EtlJob {
  private EtlJob() {}

  /** Folder of every feedback event ever extracted, carried from run to run so extraction can be incremental. */
  public static final String FEEDBACK_HISTORY = "feedback_history";

  /** Rejected rows above this share of the input fail a run unless --max-reject-ratio says otherwise. */
  public static final double DEFAULT_MAX_REJECT_RATIO = FileReadOptions.DEFAULT_MAX_REJECT_RATIO;

  /** An etl output is recognised by its manifest: only such a folder (or an empty one) is ever replaced. */
  public static final OutputOwner OWNER = OutputOwner.of("etl", Layout.MANIFEST);

  /** Manifest key under {@code counts}: rejected rows per {@link RejectReason} code. */
  public static final String REJECTED_BY_REASON = "rejected_by_reason";

  public static EtlSummary run(SparkSession spark, EtlOptions options) {
    Progress progress = new Progress("etl");
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String runId = RunIds.newRunId();
    String started = Instant.now().toString();
    JsonNode previous = Json.readIfExists(conf, options.previousOrOut() + "/" + Layout.MANIFEST);
    AtomicOutput output = AtomicOutput.begin(conf, options.out(), runId, OWNER);
    try {
      EtlSummary summary = runStaged(spark, options, progress, conf, runId, started, previous, output);
      output.commit();
      progress.info(
          "wrote %,d interactions (%,d users, %,d items) to %s in %.1f s",
          summary.output(), summary.users(), summary.items(), options.out(), progress.totalSeconds());
      return summary;
    } catch (Throwable e) {
      // Spark rethrows task failures as SparkException, a checked exception javac does not see here
      output.abort();
      throw e;
    }
  }

  private static EtlSummary runStaged(
      SparkSession spark,
      EtlOptions options,
      Progress progress,
      Configuration conf,
      String runId,
      String started,
      JsonNode previous,
      AtomicOutput output) {
    ObjectNode manifest = Json.object();
    manifest.put("stage", "etl");
    manifest.put("run_id", runId);
    manifest.put("started_at", started);

    // 1. Files.
    SparkSessions.describe(spark, "etl", "read inputs");
    List<Dataset<Row>> interactions = new ArrayList<>();
    List<Dataset<Row>> rejects = new ArrayList<>();
    List<Dataset<Row>> items = new ArrayList<>();
    List<Dataset<Row>> users = new ArrayList<>();
    ArrayNode inputs = manifest.putArray("inputs");
    for (String input : options.inputs()) {
      SourceData source = InputReader.read(spark, input, options.format(), options.mapping());
      interactions.add(source.interactions());
      rejects.add(source.rejects());
      if (source.items() != null) {
        items.add(source.items());
      }
      if (source.users() != null) {
        users.add(source.users());
      }
      ObjectNode node = inputs.addObject();
      node.put("path", input);
      node.put("source", source.source());
      ArrayNode files = node.putArray("files");
      for (String file : source.files()) {
        if (options.checksums()) {
          files.add(Fingerprints.of(conf, file));
        } else {
          files.addObject().put("path", file);
        }
      }
      progress.step("read", "read %s (%s, %d files)", input, source.source(), source.files().size());
    }

    List<FeedbackExtract> extracts = new ArrayList<>();
    // 2. Feedback: only rows newer than the previous watermark are read; older events come from the history
    //    this output folder already holds, so nothing is read twice and the window sees the whole history.
    if (options.feedback() != null) {
      SparkSessions.describe(spark, "etl", "extract feedback");
      ObjectNode feedbackNode = manifest.putObject("feedback");
      String sourceKey = options.feedback().target().redactedUrl() + "#" + options.feedback().table();
      Watermark previousWatermark = null;
      String previousHistory = null;
      if (previous != null && sourceKey.equals(previous.path("feedback").path("source").asText(null))) {
        previousWatermark = Watermark.fromJson(previous.path("feedback").path("watermark"));
        previousHistory = options.previousOrOut() + "/" + FEEDBACK_HISTORY;
        if (!HadoopPaths.exists(conf, previousHistory)) {
          previousHistory = null;
        }
      }
      FeedbackExtract extract = FeedbackExtractor.extract(spark, options.feedback(), previousWatermark);
      extracts.add(extract);
      Dataset<Row> history = extract.interactions().select(Schema.INTERACTIONS.fieldNames()[0], restOf());
      if (previousHistory != null) {
        history = spark.read().schema(Schema.INTERACTIONS).parquet(previousHistory).unionByName(history);
      }
      // Written once and read back, so cleaning reads files; the extract's persisted slice serves the rejects.
      history.write().mode(SaveMode.ErrorIfExists).parquet(output.path(FEEDBACK_HISTORY));
      Dataset<Row> storedHistory = spark.read().parquet(output.path(FEEDBACK_HISTORY));
      interactions.add(storedHistory);
      rejects.add(extract.rejects());
      feedbackNode.put("source", sourceKey);
      feedbackNode.put("continued_from", previousHistory == null ? null : options.previousOrOut());
      feedbackNode.put("table", options.feedback().table());
      feedbackNode.put("table_rows_read", extract.tableRowsRead());
      feedbackNode.set("previous_watermark", extract.previous() == null ? null : extract.previous().toJson());
      feedbackNode.set("watermark", extract.next() == null ? null : extract.next().toJson());
      feedbackNode.put("history_events", storedHistory.count());
      progress.step(
          "feedback",
          "extracted %,d new feedback rows from %s (history now %,d events)",
          extract.tableRowsRead(),
          options.feedback().table(),
          feedbackNode.get("history_events").asLong());
    }

    // 3. Clean.
    SparkSessions.describe(spark, "etl", "clean");
    Dataset<Row> all = interactions.stream().reduce(Dataset::unionByName).orElseThrow();
    CleaningResult cleaned = CleaningPipeline.apply(all, options.cleaning());

    // 4. Write interactions and rejects, then count from the written files (Parquet footers are cheap to read).
    SparkSessions.describe(spark, "etl", "write interactions");
    cleaned.interactions().write().parquet(output.path(Layout.INTERACTIONS));
    rejects.add(cleaned.rejects());
    Dataset<Row> allRejects = rejects.stream().reduce(Dataset::unionByName).orElseThrow();
    allRejects.write().parquet(output.path(Layout.REJECTS));
    extracts.forEach(FeedbackExtract::release);
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

    // 5. Side tables and id maps.
    SparkSessions.describe(spark, "etl", "write items, users and id maps");
    if (!items.isEmpty()) {
      items.stream().reduce(Dataset::unionByName).orElseThrow().write().parquet(output.path(Layout.ITEMS));
    }
    if (!users.isEmpty()) {
      users.stream().reduce(Dataset::unionByName).orElseThrow().write().parquet(output.path(Layout.USERS));
    }
    IdMaps.users(written).write().parquet(output.path(Layout.USER_MAP));
    IdMaps.items(written).write().parquet(output.path(Layout.ITEM_MAP));
    long userCount = spark.read().parquet(output.path(Layout.USER_MAP)).count();
    long itemCount = spark.read().parquet(output.path(Layout.ITEM_MAP)).count();
    progress.step("id_maps", "indexed %,d users and %,d items", userCount, itemCount);

    // 6. Manifest.
    // Cleaning wrote the interactions clustered by user; the split stage reads this to skip its shuffle.
    manifest.put(Schema.CLUSTERED_BY_KEY, Schema.USER_ID);
    ObjectNode counts = manifest.putObject("counts");
    counts.put("input", input);
    counts.put("output", out);
    counts.put("rejected", rejected);
    counts.put("deduplicated_total", deduplicated);
    counts.put("filtered_total", filtered);
    putAll(counts.putObject("deduplicated"), cleaned.deduplicated());
    putAll(counts.putObject("filtered"), cleaned.filtered());
    counts.put("users", userCount);
    counts.put("items", itemCount);
    // Keyed by code (a closed set, see RejectReason), so the map stays small however many distinct bad values.
    ObjectNode rejectReasons = counts.putObject(REJECTED_BY_REASON);
    for (Row row :
        writtenRejects.groupBy(col(Schema.REJECT_REASON_CODE)).count().orderBy(desc("count"), col(Schema.REJECT_REASON_CODE)).collectAsList()) {
      rejectReasons.put(row.getString(0), row.getLong(1));
    }
    manifest.set("parameters", Json.MAPPER.valueToTree(parameters(options)));
    manifest.set("versions", Versions.asJson());
    manifest.put("finished_at", Instant.now().toString());
    ObjectNode seconds = manifest.putObject("seconds");
    progress.secondsPerStep().forEach(seconds::put);
    seconds.put("total", progress.totalSeconds());
    Json.write(conf, output.path(Layout.MANIFEST), manifest);
    return new EtlSummary(runId, input, out, rejected, deduplicated, filtered, userCount, itemCount, manifest);
  }

  /**
   * For one-off use ({@code recdata split --input ml-100k/}): reads one input the way {@code read} says and cleans it
   * with the default cleaning, in memory, writing nothing. Above {@code read.maxRejectRatio()} rejected rows fail the
   * run just as a written etl run would; otherwise the caller gets them to keep.
   */
  public static InMemoryEtl inMemory(SparkSession spark, String input, FileReadOptions read) {
    Progress progress = new Progress("etl");
    SourceData source = InputReader.read(spark, input, read.format(), read.mapping());
    CleaningResult cleaned = CleaningPipeline.apply(source.interactions(), CleaningOptions.defaults(Instant.now()));
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
    return new InMemoryEtl(cleaned.interactions(), allRejects, rowsIn, cleaned.rowsOut(), rejected, deduplicated, filtered);
  }

  private static String[] restOf() {
    String[] names = Schema.INTERACTIONS.fieldNames();
    return java.util.Arrays.copyOfRange(names, 1, names.length);
  }

  private static void checkRejectRatio(
      List<String> inputs, double maxRejectRatio, long input, long rejected, Dataset<Row> rejects) {
    if (input == 0) {
      throw RecdataException.badInput("the input holds no rows: %s", String.join(", ", inputs));
    }
    double ratio = (double) rejected / input;
    if (ratio > maxRejectRatio) {
      StringBuilder examples = new StringBuilder();
      for (Row row : rejects.orderBy(col(Schema.REJECT_FILE), col(Schema.REJECT_LINE)).limit(3).collectAsList()) {
        examples
            .append("; ")
            .append(row.getAs(Schema.REJECT_FILE) == null ? row.<String>getAs(Schema.SOURCE) : row.<String>getAs(Schema.REJECT_FILE))
            .append(row.getAs(Schema.REJECT_LINE) == null ? "" : " line " + row.getAs(Schema.REJECT_LINE))
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

  private static void putAll(ObjectNode node, Map<String, Long> values) {
    values.forEach(node::put);
  }

}
