package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The JSON documents serving and OpenSearch read, as one-string-column Datasets ordered the way the
 * files are (see {@link JsonLinesWriter}). Spark's {@code to_json} writes compact JSON ({@code
 * {"user_id":1,...}}).
 */
final class ServingJson {
  private ServingJson() {}

  static final String LINE = "line";
  static final String ITEMS = "items";
  static final String SCORES = "scores";
  static final String EMBEDDING = "embedding";
  static final String MODEL_VERSION = "model_version";

  /**
   * {@code {"user_id": U, "items": [...], "scores": [...]}} per key, ranked, ordered by key: the
   * serving API's shape for both recommendations (key user_id) and similar items (key item_id).
   */
  static Dataset<Row> ranked(Dataset<Row> rows, String key, String value) {
    return rows.groupBy(key)
        .agg(
            sort_array(
                    collect_list(
                        struct(col(Recommendations.RANK), col(value), col(Recommendations.SCORE))))
                .as("ranked"))
        .orderBy(key)
        .select(
            to_json(
                    struct(
                        col(key),
                        transform(col("ranked"), r -> r.getField(value)).as(ITEMS),
                        transform(col("ranked"), r -> r.getField(Recommendations.SCORE))
                            .as(SCORES)))
                .as(LINE));
  }

  /** {@code {"user_id": 22434, "user_idx": 17}} per id, ordered by the index. */
  static Dataset<Row> idMap(Dataset<Row> map, String id, String idx) {
    return map.orderBy(idx).select(to_json(struct(col(id), col(idx))).as(LINE));
  }

  /**
   * The OpenSearch {@code _bulk} body: per item an action line {@code
   * {"index":{"_index":...,"_id":"ID"}}} and the document {@code
   * {"item_id":ID,"embedding":[...],"model_version":"..."}}, one row of two lines each.
   */
  static Dataset<Row> openSearchBulk(Dataset<Row> items, String index, String modelVersion) {
    return items
        .orderBy(Schema.ITEM_ID)
        .select(
            concat_ws(
                    "\n",
                    to_json(
                        struct(
                            struct(
                                    lit(index).as("_index"),
                                    col(Schema.ITEM_ID).cast("string").as("_id"))
                                .as("index"))),
                    to_json(
                        struct(
                            col(Schema.ITEM_ID),
                            col(FactorModel.FACTORS).as(EMBEDDING),
                            lit(modelVersion).as(MODEL_VERSION))))
                .as(LINE));
  }

  /**
   * The index body for {@code PUT /INDEX}: {@code embedding} as an HNSW knn_vector with cosine
   * similarity.
   */
  static ObjectNode openSearchMapping(int rank) {
    ObjectNode root = Json.object();
    root.putObject("settings").putObject("index").put("knn", true);
    ObjectNode properties = root.putObject("mappings").putObject("properties");
    properties.putObject(Schema.ITEM_ID).put("type", "long");
    ObjectNode embedding = properties.putObject(EMBEDDING);
    embedding.put("type", "knn_vector");
    embedding.put("dimension", rank);
    ObjectNode method = embedding.putObject("method");
    method.put("name", "hnsw");
    method.put("space_type", "cosinesimil");
    method.put("engine", "lucene");
    properties.putObject(MODEL_VERSION).put("type", "keyword");
    return root;
  }
}
