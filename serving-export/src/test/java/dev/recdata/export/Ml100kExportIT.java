package dev.recdata.export;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.DebianPython;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.common.testing.TestData;
import dev.recdata.etl.EtlJob;
import dev.recdata.etl.EtlOptions;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.read.ColumnMapping;
import dev.recdata.etl.read.InputFormat;
import dev.recdata.export.ExportReader.ExportInputs;
import dev.recdata.export.training.TrainingSets;
import dev.recdata.splits.SplitInputReader;
import dev.recdata.splits.SplitJob;
import dev.recdata.splits.SplitOptions;
import dev.recdata.splits.Strategy;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etl -> split -> export on MovieLens 100K, then the real client: Debian's torch reads the
 * safetensors and .npy files through recdata_tensors.py, wraps the triplets in a DataLoader and
 * checks dtypes, shapes, id ranges and that no negative is a positive of its user (the positives
 * come from the split, passed by Java).
 */
class Ml100kExportIT {
  private static final SparkSession spark = SharedSpark.session();

  @TempDir Path tmp;

  @Test
  void torchLoadsTheMl100kExport() throws Exception {
    DebianPython.require("torch", "numpy");
    Path run = tmp.resolve("run");
    EtlJob.run(
        spark,
        new EtlOptions(
            List.of(TestData.ml100k().toString()),
            InputFormat.AUTO,
            ColumnMapping.defaults(),
            null,
            CleaningOptions.defaults(Instant.parse("2026-01-01T00:00:00Z")),
            0.01,
            false,
            run.resolve("etl").toString()));
    var splitInput = SplitInputReader.read(spark, run.resolve("etl").toString());
    SplitJob.run(
        spark, splitInput, SplitOptions.of(Strategy.USER_RATIO), run.resolve("splits").toString());

    long started = System.nanoTime();
    ExportPaths paths =
        ExportPaths.of(run.toString(), null, null, null, run.resolve("export").toString());
    ExportSummary summary = ExportJob.run(spark, paths, ExportOptions.defaults(), null, null);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("ml-100k export: %.1f s, counts %s%n", seconds, summary.counts());

    // every positive (user_idx item_idx) in any split, for the Python side to check negatives
    // against
    ExportInputs in = ExportReader.read(spark, paths);
    Path positives = tmp.resolve("positives.txt");
    try (BufferedWriter out = Files.newBufferedWriter(positives)) {
      Iterator<Row> rows =
          in.train()
              .unionByName(in.validation())
              .unionByName(in.test())
              .where(TrainingSets.isPositive(4.0f))
              .select(col(Schema.USER_IDX), col(Schema.ITEM_IDX))
              .distinct()
              .toLocalIterator();
      while (rows.hasNext()) {
        Row r = rows.next();
        out.write(r.getInt(0) + " " + r.getInt(1) + "\n");
      }
    }
    JsonNode manifest = Json.MAPPER.readTree(run.resolve("export/manifest.json").toFile());
    long triplets = manifest.path("counts").path("training").path("triplets").asLong();
    assertThat(triplets)
        .isEqualTo(4 * manifest.path("counts").path("training").path("train_positives").asLong());

    String stdout =
        DebianPython.run(
            PYTHON,
            run.resolve("export/training").toString(),
            positives.toString(),
            Path.of("python").toAbsolutePath().toString(),
            manifest.path("lineage").path("etl").path("id_map_version").asText());
    assertThat(stdout).contains("ok triplets=" + triplets);
  }

  private static final String PYTHON =
      """
      import os, sys
      import numpy as np, torch
      from torch.utils.data import DataLoader, TensorDataset
      training, positives_file, module_dir, id_map_version = sys.argv[1:5]
      sys.path.insert(0, module_dir)
      import recdata_tensors as rt

      USERS, ITEMS = 943, 1682
      pos = np.loadtxt(positives_file, dtype=np.int64).reshape(-1, 2)
      positive_keys = np.unique(pos[:, 0] * ITEMS + pos[:, 1])

      path = os.path.join(training, 'triplets.safetensors')
      meta = rt.metadata(path)
      t = rt.load_torch(path)['triplets']
      assert t.dtype == torch.int64 and t.dim() == 2 and t.shape[1] == 3, (t.dtype, t.shape)
      n = t.shape[0]
      assert meta['count'] == str(n) and meta['seed'] == '42' and meta['sampler'] == 'uniform', meta
      assert meta['negatives'] == '4' and meta['id_map_version'] == id_map_version, meta
      assert meta['num_users'] == str(USERS) and meta['num_items'] == str(ITEMS), meta
      npy = np.load(os.path.join(training, 'npy', 'triplets', 'triplets.npy'), mmap_mode='r')
      assert npy.dtype == np.int64 and np.array_equal(npy, t.numpy())

      seen = 0
      for (batch,) in DataLoader(TensorDataset(t), batch_size=4096, shuffle=False):
          assert batch.dtype == torch.int64
          users, p, neg = batch[:, 0], batch[:, 1], batch[:, 2]
          assert int(users.min()) >= 0 and int(users.max()) < USERS
          assert int(torch.minimum(p, neg).min()) >= 0 and int(torch.maximum(p, neg).max()) < ITEMS
          keys = (users * ITEMS + neg).numpy()
          assert not np.isin(keys, positive_keys).any(), 'a negative is a positive of its user'
          assert np.isin((users * ITEMS + p).numpy(), positive_keys).all(), 'a pos_idx is not a positive'
          seen += batch.shape[0]
      assert seen == n

      for name in ('val_eval_batches', 'test_eval_batches'):
          e = rt.load(os.path.join(training, name + '.safetensors'))
          items, label, length, users, offsets = e['item_idx'], e['label'], e['length'], e['user_idx'], e['offsets']
          assert items.dtype == np.int64 and label.dtype == np.int8 and items.shape == label.shape
          assert offsets.dtype == np.int64 and offsets.shape == (users.shape[0] + 1,) and offsets[0] == 0
          assert users.shape[0] == length.shape[0] > 0 and (np.diff(offsets) == length).all()
          assert offsets[-1] == items.shape[0], name
          assert int(items.min()) >= 0 and int(items.max()) < ITEMS, name
          row = np.repeat(np.arange(users.shape[0]), length)
          positives = np.bincount(row, weights=label, minlength=users.shape[0])
          assert (positives >= 1).all()
          neg = label == 0
          keys = (users[row] * ITEMS + items)[neg]
          assert not np.isin(keys, positive_keys).any(), name + ': a sampled negative is a positive'
          assert (length - positives == 100).all(), name
          # seeded shuffled order: a row rarely starts with all of its positives
          positives_first = [label[offsets[r]:offsets[r] + int(positives[r])].all() for r in range(users.shape[0])]
          assert np.mean(positives_first) < 0.1, (name, np.mean(positives_first))

      s = rt.load(os.path.join(training, 'sequences.safetensors'))
      assert s['items'].shape == (s['user_idx'].shape[0], 200) and (s['length'] <= 200).all()
      assert ((s['mask'] == 1) == (np.arange(200)[None, :] < s['length'][:, None])).all()
      f = rt.load(os.path.join(training, 'item_features.safetensors'))
      assert f['genres'].dtype == np.float32 and f['genres'].shape[0] == ITEMS and f['year'].dtype == np.int64
      u = rt.load(os.path.join(training, 'user_features.safetensors'))
      assert u['occupation'].shape == (USERS, 21) and u['gender'].shape == (USERS, 2), (u['occupation'].shape, u['gender'].shape)
      print('ok triplets=%d' % n)
      """;
}
