package dev.recdata.export.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.SparkSessions;
import dev.recdata.export.ExportOptions;
import dev.recdata.export.ExportPaths;
import dev.recdata.export.ExportReader.ExportInputs;
import dev.recdata.export.serving.AlsModelReader;
import dev.recdata.export.tensor.DType;
import dev.recdata.export.tensor.TensorColumn;
import dev.recdata.export.tensor.TensorSetWriter;
import dev.recdata.export.tensor.TensorSetWriter.TensorSet;
import dev.recdata.export.tensor.TensorSetWriter.Written;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes {@code export/training/}: triplets, validation and test candidate lists, sequences, item
 * and user features and their vocabularies (layout in serving-export/LAYOUT.md). Wires {@link
 * TrainingSets} and {@link Features} to {@link TensorSetWriter}, scores the held-out ALS model on
 * the test lists ({@link EvalBatchScore}) and returns what the manifest reports.
 */
public final class TrainingExport {
  private TrainingExport() {}

  public static final String FOLDER = "training";

  /** How the candidates of an evaluation list are ordered (tensor metadata and manifest). */
  public static final String CANDIDATE_ORDER =
      "positives and negatives mixed, by ascending keyed hash of (seed, user_idx, item_idx)"
          + " (signed 64-bit), ties by item_idx; padding (item_idx 0, mask 0) last";

  // __metadata__ keys every training tensor set carries, beside seed, id_map_version and count
  /** Rows of etl's user id map: the user embedding table's size (every user_idx is below it). */
  public static final String NUM_USERS = "num_users";

  /** Rows of etl's item id map: the item embedding table's size (every item_idx is below it). */
  public static final String NUM_ITEMS = "num_items";

  // __metadata__ keys of the sets that sample negatives or pad
  /** Triplets: negatives per train positive; evaluation lists: negatives per user (at most). */
  public static final String NUM_NEGATIVES = "num_negatives";

  /** How negatives were drawn: {@code --sampler} for triplets, always uniform for evaluation. */
  public static final String SAMPLER = "sampler";

  /**
   * The item index after a row's {@code length} entries ({@link TrainingSets#PADDING_ITEM_IDX}).
   */
  public static final String PADDING_ITEM_IDX = "padding_item_idx";

  /**
   * How an evaluation set's candidate lists are laid out: {@value #RAGGED}, every list's values one
   * after another with {@code offsets} (earlier exports padded them to the longest list, with a
   * {@code mask}, and had no such key).
   */
  public static final String LAYOUT = "layout";

  public static final String RAGGED = "ragged";

  /** Evaluation negatives are drawn uniformly whatever {@code --sampler} says (NegativeSampler). */
  static final String EVAL_SAMPLER = "uniform";

  /** The tie rule of every score on the evaluation lists (EvalBatchScore). */
  public static final String TIES =
      "equal scores rank by position in the list, earlier first (a stable sort by descending"
          + " score); candidates without a score rank last";

  static final String NO_ALS =
      "no ALS output to score with (the run folder has no als/): only the training side was"
          + " exported";

  static final String VALIDATION_NOT_HELD_OUT =
      "validation chose the ALS settings (and the held-out model may be fit on train +"
          + " validation), so a score on these lists would not be held out: compare on"
          + " test_eval_batches";

  /**
   * What the training side wrote: row counts per set, and what the manifest says about each set of
   * evaluation batches.
   */
  public record Summary(ObjectNode counts, List<EvalBatchesSummary> evalBatches) {}

  public static Summary write(
      SparkSession spark,
      ExportInputs in,
      ExportOptions o,
      AtomicOutput output,
      Progress progress,
      TensorSetWriter.Background tensorFiles) {
    ObjectNode counts = Json.object();
    SparkSessions.describe(spark, ExportPaths.STAGE, "id map sizes");
    long userTable = tableSize(in.userMap(), Schema.USER_IDX, in.etl().userMap());
    long itemTable = tableSize(in.itemMap(), Schema.ITEM_IDX, in.etl().itemMap());
    SortedMap<String, String> common = new TreeMap<>();
    common.put(NUM_USERS, Long.toString(userTable));
    common.put(NUM_ITEMS, Long.toString(itemTable));
    common.put("seed", Long.toString(o.seed()));
    common.put("id_map_version", in.idMapVersion());
    common.put("etl_run_id", runId(in.etl().runId()));
    common.put("split_run_id", runId(in.split().runId()));
    common.put("positive_threshold", Float.toString(o.positiveThreshold()));

    SparkSessions.describe(spark, ExportPaths.STAGE, "item popularity and user profiles");
    int catalogSize = Math.toIntExact(itemTable);
    long[] popularity = new long[catalogSize];
    for (Row row : in.train().groupBy(Schema.ITEM_IDX).count().collectAsList()) {
      popularity[row.getInt(0)] = row.getLong(1); // one number per catalog item: a small aggregate
    }
    Broadcast<NegativeSampler> sampler =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(
                NegativeSampler.of(o.sampler(), popularity, o.popularityExponent(), o.seed()));
    Dataset<Row> profiles =
        TrainingSets.profiles(
                in.train(), in.validation(), in.test(), in.impressions(), o.positiveThreshold())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Row positives =
        profiles
            .agg(
                sum(size(col(TrainingSets.TRAIN_POSITIVES))),
                sum(size(col(TrainingSets.IMPRESSIONS))))
            .first();
    long trainPositives = positives.isNullAt(0) ? 0 : positives.getLong(0);
    counts.put("catalog_items", catalogSize);
    counts.put("train_positives", trainPositives);
    counts.put("impressions", positives.isNullAt(1) ? 0 : positives.getLong(1));
    progress.step(
        "profiles",
        "%,d users, %,d train positives, %,d catalog items",
        profiles.count(),
        trainPositives,
        catalogSize);

    // Triplets
    SparkSessions.describe(spark, ExportPaths.STAGE, "triplets");
    SortedMap<String, String> tripletMeta = new TreeMap<>(common);
    tripletMeta.put(SAMPLER, o.sampler().cliName());
    tripletMeta.put("negatives", Integer.toString(o.negatives()));
    tripletMeta.put(NUM_NEGATIVES, Integer.toString(o.negatives()));
    tripletMeta.put("popularity_exponent", Double.toString(o.popularityExponent()));
    tripletMeta.put("negatives_exclude", "the user's positives in every split");
    Written triplets =
        TensorSetWriter.write(
            TrainingSets.triplets(profiles, sampler, o.negatives(), o.seed()),
            new TensorSet(
                    "triplets",
                    List.of(
                        TensorColumn.matrix(
                            "triplets",
                            DType.I64,
                            3,
                            Schema.USER_IDX,
                            TrainingSets.POS_IDX,
                            TrainingSets.NEG_IDX)),
                    TrainingSets.TRIPLET_ORDER,
                    tripletMeta)
                .orderedByUniformKey(trainPositives * o.negatives()),
            o.formats(),
            o.shardBytes(),
            output,
            FOLDER,
            null,
            tensorFiles);
    counts.put("triplets", triplets.rows());
    progress.step(
        "triplets",
        "%,d triplets (%,d positives x %d negatives, %s)",
        triplets.rows(),
        trainPositives,
        o.negatives(),
        o.sampler().cliName());

    // Evaluation candidate lists, and the held-out ALS model's score on them
    AlsModelReader.HeldOutModel heldOut =
        in.als() == null ? null : AlsModelReader.readHeldOut(spark, in.etl().dir(), in.als());
    List<EvalBatchesSummary> evalBatches = new ArrayList<>();
    String[][] evalSets = {
      {"val_eval_batches", TrainingSets.VALIDATION_POSITIVES, "validation"},
      {"test_eval_batches", TrainingSets.TEST_POSITIVES, "test"}
    };
    for (int i = 0; i < evalSets.length; i++) {
      String name = evalSets[i][0];
      SparkSessions.describe(spark, ExportPaths.STAGE, name);
      TrainingSets.EvalCoverage coverage =
          TrainingSets.evalCoverage(profiles, evalSets[i][1], o.evalNegatives(), catalogSize);
      SortedMap<String, String> meta = new TreeMap<>(common);
      meta.put("split", evalSets[i][2]);
      meta.put("eval_negatives", Integer.toString(o.evalNegatives()));
      meta.put(NUM_NEGATIVES, Integer.toString(o.evalNegatives()));
      meta.put(SAMPLER, EVAL_SAMPLER);
      meta.put(LAYOUT, RAGGED);
      meta.put("negatives_exclude", "every item of the user in any split");
      meta.put("candidate_order", CANDIDATE_ORDER);
      meta.put("ties", TIES);
      meta.put("users_without_negatives", Long.toString(coverage.usersWithoutNegatives()));
      Dataset<Row> batches =
          TrainingSets.evalBatches(
              profiles, evalSets[i][1], i + 1, sampler, o.evalNegatives(), o.seed());
      Written eval =
          TensorSetWriter.write(
              batches,
              new TensorSet(
                      name,
                      List.of(
                          TensorColumn.scalar(Schema.USER_IDX, DType.I64),
                          TensorColumn.ragged(Schema.ITEM_IDX, DType.I64),
                          TensorColumn.ragged(TrainingSets.LABEL, DType.I8),
                          TensorColumn.scalar(TrainingSets.LENGTH, DType.I64)),
                      List.of(Schema.USER_IDX),
                      meta,
                      TrainingSets.LENGTH)
                  .presorted(),
              o.formats(),
              o.shardBytes(),
              output,
              FOLDER,
              null,
              tensorFiles);
      counts.put(name, eval.rows());
      progress.step(
          name,
          "%,d users, %,d candidates (%,d at most); %,d users left out (every catalogue item is"
              + " theirs: no negative to draw), %,d with fewer than %d negatives (all they have)",
          eval.rows(),
          eval.values(),
          eval.longest(),
          coverage.usersWithoutNegatives(),
          coverage.usersWithFewerNegatives(),
          o.evalNegatives());

      String omitted = null;
      if (heldOut == null) {
        omitted = NO_ALS;
      } else if (!evalSets[i][2].equals("test")) {
        omitted = VALIDATION_NOT_HELD_OUT;
      } else if (eval.rows() == 0) {
        omitted = "no user has a candidate list";
      }
      EvalBatchScore.Score score = null;
      if (omitted == null) {
        // the same rows as the tensors: the sampling and the order are functions of the seed
        SparkSessions.describe(spark, ExportPaths.STAGE, name + ": held-out ALS score");
        score = EvalBatchScore.of(batches, heldOut.model(), EvalBatchScore.K);
        progress.step(
            name + "_als",
            "held-out ALS model %s on %,d lists: hit_rate@%d %.4f, ndcg@%d %.4f (%,d users without"
                + " factors ranked in list order, %,d candidates without factors ranked last)",
            heldOut.dir(),
            score.users(),
            score.k(),
            score.hitRate(),
            score.k(),
            score.ndcg(),
            score.usersWithoutFactors(),
            score.candidatesWithoutFactors());
      }
      evalBatches.add(
          new EvalBatchesSummary(
              name,
              evalSets[i][2],
              eval.rows(),
              eval.values(),
              eval.longest(),
              coverage,
              score == null ? null : heldOut.dir(),
              score,
              omitted));
    }
    if (heldOut != null) {
      heldOut.model().users().unpersist();
      heldOut.model().items().unpersist();
    }

    // Sequences (tensors and sequences.txt in the same pass)
    SparkSessions.describe(spark, ExportPaths.STAGE, "sequences");
    SortedMap<String, String> seqMeta = new TreeMap<>(common);
    seqMeta.put("max_sequence_length", Integer.toString(o.maxSequenceLength()));
    seqMeta.put(PADDING_ITEM_IDX, Long.toString(TrainingSets.PADDING_ITEM_IDX));
    java.nio.file.Path text = tempFile();
    BufferedWriter lines;
    try {
      lines = Files.newBufferedWriter(text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sequences.txt", e);
    }
    Written sequences;
    try {
      sequences =
          TensorSetWriter.write(
              TrainingSets.sequences(in.train(), o.maxSequenceLength()),
              new TensorSet(
                      "sequences",
                      List.of(
                          TensorColumn.scalar(Schema.USER_IDX, DType.I64),
                          TensorColumn.matrix(
                              TrainingSets.ITEMS,
                              DType.I64,
                              o.maxSequenceLength(),
                              TrainingSets.ITEMS),
                          TensorColumn.scalar(TrainingSets.LENGTH, DType.I64),
                          TensorColumn.matrix(
                              TrainingSets.MASK,
                              DType.U8,
                              o.maxSequenceLength(),
                              TrainingSets.MASK)),
                      List.of(Schema.USER_IDX),
                      seqMeta)
                  .presorted(),
              o.formats(),
              o.shardBytes(),
              output,
              FOLDER,
              new TensorSetWriter.EachRow(
                  List.of(Schema.USER_IDX, TrainingSets.HISTORY),
                  row -> {
                    long user = row.getLong(Schema.USER_IDX);
                    try {
                      for (long item : row.getLongs(TrainingSets.HISTORY)) {
                        lines.write(user + " " + item + "\n");
                      }
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }),
              tensorFiles);
    } catch (RuntimeException | Error e) {
      closeQuietly(lines, text);
      throw e;
    }
    // sequences.txt is complete once the set's rows are filled: queued behind that fill
    tensorFiles.submit(
        () -> {
          try {
            lines.close();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot write sequences.txt", e);
          }
          copyOut(text, output, FOLDER + "/sequences.txt");
        });
    counts.put("sequences", sequences.rows());
    progress.step(
        "sequences", "%,d users, last %d items each", sequences.rows(), o.maxSequenceLength());

    // Features and vocabularies
    SparkSessions.describe(spark, ExportPaths.STAGE, "item and user features");
    List<String> genres = Features.vocabulary(in.items(), Schema.GENRES, true);
    List<TensorColumn> itemTensors =
        new ArrayList<>(List.of(TensorColumn.scalar(Schema.ITEM_IDX, DType.I64)));
    if (!genres.isEmpty()) {
      itemTensors.add(TensorColumn.matrix(Schema.GENRES, DType.F32, genres.size(), Schema.GENRES));
    }
    itemTensors.add(TensorColumn.scalar(Schema.YEAR, DType.I64));
    Written itemFeatures =
        TensorSetWriter.write(
            Features.items(in.itemMap(), in.items(), genres),
            new TensorSet("item_features", itemTensors, List.of(Schema.ITEM_IDX), common),
            o.formats(),
            o.shardBytes(),
            output,
            FOLDER,
            null,
            tensorFiles);
    counts.put("item_features", itemFeatures.rows());
    ObjectNode vocabularies = Json.object();
    vocabularies.set("genres", Json.MAPPER.valueToTree(genres));
    if (in.users() != null) {
      List<String> genders = Features.vocabulary(in.users(), Schema.GENDER, false);
      List<String> occupations = Features.vocabulary(in.users(), Schema.OCCUPATION, false);
      List<TensorColumn> userTensors =
          new ArrayList<>(
              List.of(
                  TensorColumn.scalar(Schema.USER_IDX, DType.I64),
                  TensorColumn.scalar(Schema.AGE, DType.I64)));
      if (!genders.isEmpty()) {
        userTensors.add(
            TensorColumn.matrix(Schema.GENDER, DType.F32, genders.size(), Schema.GENDER));
      }
      if (!occupations.isEmpty()) {
        userTensors.add(
            TensorColumn.matrix(
                Schema.OCCUPATION, DType.F32, occupations.size(), Schema.OCCUPATION));
      }
      Written userFeatures =
          TensorSetWriter.write(
              Features.users(in.userMap(), in.users(), genders, occupations),
              new TensorSet("user_features", userTensors, List.of(Schema.USER_IDX), common),
              o.formats(),
              o.shardBytes(),
              output,
              FOLDER,
              null,
              tensorFiles);
      counts.put("user_features", userFeatures.rows());
      vocabularies.set("occupations", Json.MAPPER.valueToTree(occupations));
      vocabularies.set("genders", Json.MAPPER.valueToTree(genders));
    }
    Json.write(output.conf(), output.path(FOLDER + "/vocabularies.json"), vocabularies);
    progress.step(
        "features",
        "%,d items, %d genres; users %s",
        itemFeatures.rows(),
        genres.size(),
        in.users() == null ? "absent" : "written");
    profiles.unpersist();
    sampler.destroy();
    return new Summary(counts, List.copyOf(evalBatches));
  }

  /**
   * The rows of an etl id map, which {@code num_users}/{@code num_items} promise is the embedding
   * table's size: etl numbers ids densely from 0, so every index is below it. A map whose largest
   * index is not its row count minus 1 would break that promise (and the popularity array), so it
   * is refused rather than exported with a size that lies.
   */
  static long tableSize(Dataset<Row> idMap, String idx, String where) {
    Row row = idMap.agg(count(lit(1)), max(col(idx))).first();
    long rows = row.getLong(0);
    long largest = row.isNullAt(1) ? -1 : ((Number) row.get(1)).longValue();
    RecdataException.checkInput(
        largest == rows - 1,
        "%s has %,d rows but its largest %s is %,d: expected the dense indexes 0..%,d etl writes",
        where,
        rows,
        idx,
        largest,
        rows - 1);
    return rows;
  }

  private static String runId(String upstream) {
    return upstream == null ? "unknown" : upstream;
  }

  private static java.nio.file.Path tempFile() {
    try {
      return Files.createTempFile("recdata-sequences-", ".txt");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a local scratch file", e);
    }
  }

  private static void copyOut(java.nio.file.Path local, AtomicOutput output, String relative) {
    try {
      Path target = new Path(output.path(relative));
      target
          .getFileSystem(output.conf())
          .copyFromLocalFile(true, true, new Path(local.toUri()), target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + local + " to " + relative, e);
    }
  }

  private static void closeQuietly(BufferedWriter lines, java.nio.file.Path text) {
    try {
      lines.close();
      Files.deleteIfExists(text);
    } catch (IOException e) {
      // the run is failing already; a temporary file left behind is not worth hiding why
    }
  }
}
