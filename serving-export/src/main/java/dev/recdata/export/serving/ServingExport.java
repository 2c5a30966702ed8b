package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.col;

import dev.recdata.common.AtomicOutput;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.SparkSessions;
import dev.recdata.etl.EtlOutput;
import dev.recdata.export.tensor.DType;
import dev.recdata.export.tensor.TensorColumn;
import dev.recdata.export.tensor.TensorSetWriter;
import dev.recdata.export.tensor.TensorSetWriter.TensorSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The serving half of {@code export}: factors with ids and biases, id maps, top-K recommendations
 * of unseen items, similar items and item embeddings for OpenSearch, written into {@code serving/}
 * of the export's staging folder (LAYOUT.md). The caller commits the {@link AtomicOutput};
 * publishing to PostgreSQL is {@link RecommendationsPublisher}.
 */
public final class ServingExport {
  private ServingExport() {}

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ServingExport.class);

  public static final String STAGE = "export";
  public static final String DIR = "serving";
  public static final String USER_FACTORS = "user_factors";
  public static final String ITEM_FACTORS = "item_factors";
  public static final String RECOMMENDATIONS = "recommendations";
  public static final String SIMILAR_ITEMS = "similar_items";
  public static final String ITEM_EMBEDDINGS = "item_embeddings";

  public static ServingSummary write(
      SparkSession spark,
      String etlDir,
      String alsDir,
      ServingOptions options,
      AtomicOutput output) {
    Progress progress = new Progress(STAGE);
    Configuration conf = output.conf();
    String serving = output.path(DIR);
    Instant generatedAt = Instant.now();
    Map<String, Long> counts = new LinkedHashMap<>();

    SparkSessions.describe(spark, STAGE, "read ALS model " + alsDir);
    FactorModel model = AlsModelReader.read(spark, etlDir, alsDir, options.modelVersion());
    String interactionsPath = new Path(etlDir, Layout.INTERACTIONS).toString();
    RecdataException.checkInput(
        HadoopPaths.exists(conf, interactionsPath),
        "%s has no interactions/: expected an etl output folder",
        etlDir);
    progress.step(
        "read",
        "read %s model %s (rank %d) from %s",
        model.mode(),
        model.modelVersion(),
        model.rank(),
        alsDir);

    SparkSessions.describe(spark, STAGE, "write factors and id maps");
    SortedMap<String, String> metadata = new TreeMap<>();
    metadata.put("seed", Long.toString(model.seed()));
    metadata.put("id_map_version", model.idMapVersion());
    metadata.put("etl_run_id", model.etlRunId());
    metadata.put("global_mean", Double.toString(model.globalMean()));
    metadata.put("rank", Integer.toString(model.rank()));
    metadata.put("model_version", model.modelVersion());
    metadata.put("mode", model.mode());
    metadata.put("recommendations_from", model.recommendationsFrom());
    metadata.put("score", "global_mean + user.bias + item.bias + user.factors . item.factors");
    counts.put(
        USER_FACTORS,
        factorSet(
            model.users(),
            USER_FACTORS,
            Schema.USER_IDX,
            Schema.USER_ID,
            model.rank(),
            metadata,
            options,
            output));
    counts.put(
        ITEM_FACTORS,
        factorSet(
            model.items(),
            ITEM_FACTORS,
            Schema.ITEM_IDX,
            Schema.ITEM_ID,
            model.rank(),
            metadata,
            options,
            output));
    counts.put(
        "id_map_users",
        idMap(
            spark,
            etlDir,
            Layout.USER_MAP,
            Schema.USER_ID,
            Schema.USER_IDX,
            "users",
            conf,
            serving));
    counts.put(
        "id_map_items",
        idMap(
            spark,
            etlDir,
            Layout.ITEM_MAP,
            Schema.ITEM_ID,
            Schema.ITEM_IDX,
            "items",
            conf,
            serving));
    progress.step(
        "factors",
        "wrote factors of %,d users and %,d items and the id maps",
        counts.get(USER_FACTORS),
        counts.get(ITEM_FACTORS));

    SparkSessions.describe(spark, STAGE, "top-" + options.topK() + " recommendations");
    Dataset<Row> interactions = spark.read().parquet(interactionsPath);
    Dataset<Row> seen = Recommendations.seen(interactions);
    String recommendationsParquet = new Path(serving, "parquet/" + RECOMMENDATIONS).toString();
    Dataset<Row> topK =
        model.recommendationsFrom().equals("als")
            ? Recommendations.forUsers(
                spark,
                model.users(),
                model.items(),
                seen,
                model.globalMean(),
                model.rank(),
                options.topK())
            : Recommendations.fromBaseline(
                spark,
                model.recommendationsFrom(),
                interactions,
                interactionsPath,
                clusteredByUser(conf, etlDir),
                model.users().select(Schema.USER_ID),
                seen,
                options.topK(),
                model.recentDays());
    if (!model.recommendationsFrom().equals("als")) {
      LOG.warn(
          "export: ALS lost to {} on validation: the recommendations are {}'s, not the model's"
              + " (als --serve-fallback none ships the model's)",
          model.recommendationsFrom(),
          model.recommendationsFrom());
    }
    topK.write().parquet(recommendationsParquet);
    // read back rather than cache: the scoring ran once, the JSON lines and the count come from the
    // files
    Dataset<Row> recommendations = spark.read().parquet(recommendationsParquet);
    counts.put(
        "recommendation_users",
        JsonLinesWriter.write(
            ServingJson.ranked(recommendations, Schema.USER_ID, Schema.ITEM_ID),
            conf,
            new Path(serving, RECOMMENDATIONS + ".jsonl").toString()));
    counts.put(RECOMMENDATIONS, recommendations.count());
    progress.step(
        "recommendations",
        "top-%d unseen items from %s for %,d users (%,d rows)",
        options.topK(),
        model.recommendationsFrom(),
        counts.get("recommendation_users"),
        counts.get(RECOMMENDATIONS));

    SparkSessions.describe(spark, STAGE, "top-" + options.similarK() + " similar items");
    String similarParquet = new Path(serving, "parquet/" + SIMILAR_ITEMS).toString();
    Recommendations.similarItems(spark, model.items(), model.rank(), options.similarK())
        .write()
        .parquet(similarParquet);
    Dataset<Row> similar = spark.read().parquet(similarParquet);
    JsonLinesWriter.write(
        ServingJson.ranked(similar, Schema.ITEM_ID, Recommendations.SIMILAR_ITEM_ID),
        conf,
        new Path(serving, SIMILAR_ITEMS + ".jsonl").toString());
    counts.put(SIMILAR_ITEMS, similar.count());
    progress.step(
        "similar",
        "top-%d similar items (%,d rows)",
        options.similarK(),
        counts.get(SIMILAR_ITEMS));

    SparkSessions.describe(spark, STAGE, "item embeddings for OpenSearch");
    counts.put(
        ITEM_EMBEDDINGS,
        JsonLinesWriter.write(
            ServingJson.openSearchBulk(
                model.items(), options.opensearchIndex(), model.modelVersion()),
            conf,
            new Path(serving, ITEM_EMBEDDINGS + ".opensearch.jsonl").toString()));
    Json.write(
        conf,
        new Path(serving, "opensearch_mapping.json").toString(),
        ServingJson.openSearchMapping(model.rank()));
    progress.step(
        "embeddings",
        "OpenSearch bulk body for index %s (%,d items)",
        options.opensearchIndex(),
        counts.get(ITEM_EMBEDDINGS));

    model.users().unpersist();
    model.items().unpersist();
    return new ServingSummary(
        model.modelVersion(),
        model.mode(),
        model.rank(),
        model.globalMean(),
        generatedAt,
        counts,
        progress.secondsPerStep());
  }

  /**
   * {@code IDX I64 [N]}, {@code ID I64 [N]}, {@code factors F32 [N, R]}, {@code bias F32 [N]},
   * ordered by index, through the same set writer as the training tensors (factor sets are small:
   * never sharded).
   */
  private static long factorSet(
      Dataset<Row> factors,
      String name,
      String idx,
      String id,
      int rank,
      SortedMap<String, String> metadata,
      ServingOptions options,
      AtomicOutput output) {
    TensorSet set =
        new TensorSet(
            name,
            List.of(
                TensorColumn.scalar(idx, DType.I64),
                TensorColumn.scalar(id, DType.I64),
                TensorColumn.matrix(FactorModel.FACTORS, DType.F32, rank, FactorModel.FACTORS),
                TensorColumn.scalar(FactorModel.BIAS, DType.F32)),
            List.of(idx),
            metadata);
    Dataset<Row> rows = factors.select(idx, id, FactorModel.FACTORS, FactorModel.BIAS);
    return TensorSetWriter.write(
            rows, set, options.formats(), Long.MAX_VALUE, output, DIR, null, null)
        .rows();
  }

  private static long idMap(
      SparkSession spark,
      String etlDir,
      String relative,
      String id,
      String idx,
      String name,
      Configuration conf,
      String serving) {
    Dataset<Row> map =
        spark
            .read()
            .parquet(new Path(etlDir, relative).toString())
            .select(col(id).cast("bigint").as(id), col(idx).cast("bigint").as(idx));
    map.write().parquet(new Path(serving, "parquet/id_map_" + name).toString());
    return JsonLinesWriter.write(
        ServingJson.idMap(map, id, idx),
        conf,
        new Path(serving, "id_maps/" + name + ".jsonl").toString());
  }

  /** Whether etl's manifest says its interactions files are clustered by user. */
  private static boolean clusteredByUser(Configuration conf, String etlDir) {
    EtlOutput etl = EtlOutput.readIfPresent(conf, etlDir);
    return etl != null && Schema.USER_ID.equals(etl.clusteredBy());
  }
}
