package dev.recdata.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.testing.DebianPython;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.export.training.Sampler;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch user's path through the training tensors, run by Debian's torch on the fixture export
 * (4 users, 12 items; user 1's test list and user 4's sequence are padded): embedding tables sized
 * from {@code num_users}/{@code num_items} in the safetensors header take every index the sets
 * hold, padding included, where the -1 padding of earlier exports made {@code nn.Embedding} raise;
 * {@code RecdataTripletDataset} and {@code EvalBatches} feed a {@code DataLoader}; and notebook
 * 02's cells that read the tensors and train run on this export.
 */
class TorchDatasetsPythonIT {
  private static final int USERS = 4;
  private static final int ITEMS = 12;

  @TempDir static Path tmp;

  /** A run folder holding only {@code export/}: all that notebook 02's training cells read. */
  static Path run;

  static JsonNode manifest;

  @BeforeAll
  static void exportTheFixture() throws Exception {
    run = tmp.resolve("run");
    // popularity-sampled triplets, so the evaluation lists' "uniform" is not just the default
    ExportJob.run(
        SharedSpark.session(),
        ExportPaths.of(
            ExportFixtures.sharedRun().toString(),
            null,
            null,
            null,
            run.resolve("export").toString()),
        ExportOptions.defaults()
            .withSampler(Sampler.POPULARITY)
            .withNegatives(4, 5)
            .withMaxSequenceLength(2),
        null,
        null);
    manifest = Json.MAPPER.readTree(run.resolve("export/manifest.json").toFile());
  }

  @Test
  void embeddingTablesSizedFromTheHeaderTakeEveryIndexOfEverySet() throws Exception {
    DebianPython.require("torch", "numpy");
    JsonNode python =
        Json.MAPPER.readTree(
            DebianPython.run(
                PYTHON,
                run.resolve("export/training").toString(),
                Path.of("python").toAbsolutePath().toString()));
    for (String set :
        new String[] {
          "triplets",
          "val_eval_batches",
          "test_eval_batches",
          "sequences",
          "item_features",
          "user_features"
        }) {
      assertThat(python.path("sizes").path(set).toString())
          .as("num_users, num_items in the header of %s", set)
          .isEqualTo("[" + USERS + "," + ITEMS + "]");
    }
    JsonNode counts = manifest.path("counts").path("training");
    assertThat(python.path("triplets_loaded").asLong())
        .as("rows through both DataLoaders")
        .isEqualTo(counts.path("triplets").asLong());
    assertThat(python.path("test_users_loaded").asLong())
        .isEqualTo(counts.path("test_eval_batches").asLong());
    assertThat(python.path("test_candidates").asLong())
        .as("the candidates of the lists, as the manifest counts them")
        .isEqualTo(
            manifest.path("eval_batches").path("test_eval_batches").path("candidates").asLong());
    assertThat(python.path("padded_test_entries").asLong())
        .as("the fixture's lists differ in length, so a padded batch pads")
        .isPositive();
    assertThat(python.path("padded_sequence_entries").asLong()).isPositive();
    assertThat(python.path("minus_one_raises").asBoolean())
        .as("the lookup this test makes would catch -1 padding")
        .isTrue();
    assertThat(python.path("test_hit_rate_of_labels").asDouble()).isEqualTo(1.0);
  }

  private static final String PYTHON =
      """
      import json, os, struct, sys
      import numpy as np, torch
      from torch.utils.data import BatchSampler, DataLoader, RandomSampler
      training, module_dir = sys.argv[1:3]
      sys.path.insert(0, module_dir)
      import recdata_tensors as rt

      def path(name):
          return os.path.join(training, name + '.safetensors')

      def header(name):  # read by hand: the sizes must be in the file, whatever reads it
          with open(path(name), 'rb') as f:
              (n,) = struct.unpack('<Q', f.read(8))
              return json.loads(f.read(n))['__metadata__']

      out = {'sizes': {}}
      for name in ('triplets', 'val_eval_batches', 'test_eval_batches', 'sequences', 'item_features',
                   'user_features'):
          meta = header(name)
          out['sizes'][name] = [int(meta['num_users']), int(meta['num_items'])]
      meta = header('triplets')
      num_users, num_items = int(meta['num_users']), int(meta['num_items'])
      torch.manual_seed(0)
      users_table = torch.nn.Embedding(num_users, 4)
      items_table = torch.nn.Embedding(num_items, 4)
      try:
          items_table(torch.tensor([-1]))
          out['minus_one_raises'] = False
      except IndexError:
          out['minus_one_raises'] = True

      # triplets: row by row with the default collate, and a batch per index list
      triplets = rt.RecdataTripletDataset(path('triplets'))
      assert (triplets.num_users, triplets.num_items) == (num_users, num_items)
      assert meta['sampler'] == 'popularity' and triplets.num_negatives == int(meta['num_negatives']) == 4, meta
      rows = []
      for users, positives, negatives in DataLoader(triplets, batch_size=7, shuffle=True):
          assert users.dtype == positives.dtype == negatives.dtype == torch.int64 and users.dim() == 1
          users_table(users), items_table(positives), items_table(negatives)
          rows += torch.stack([users, positives, negatives], 1).tolist()
      batched = DataLoader(triplets, batch_size=None,
                           sampler=BatchSampler(RandomSampler(triplets), 5, drop_last=False))
      rows_batched = []
      for users, positives, negatives in batched:
          assert users.shape == positives.shape == negatives.shape and users.shape[0] <= 5
          rows_batched += torch.stack([users, positives, negatives], 1).tolist()
      expected = sorted(rt.load(path('triplets'))['triplets'].tolist())
      assert sorted(rows) == sorted(rows_batched) == expected
      out['triplets_loaded'] = len(rows)

      # evaluation lists: ragged, every candidate scored in one call; padded batches with a mask
      for name in ('val_eval_batches', 'test_eval_batches'):
          b = rt.EvalBatches(path(name))
          meta = header(name)
          assert (b.num_users, b.num_items) == (num_users, num_items)
          assert meta['sampler'] == 'uniform' and b.num_negatives == int(meta['num_negatives']) == 5, meta
          assert meta['layout'] == 'ragged' and 'padding_item_idx' not in meta, meta
          assert b.offsets.shape == (len(b) + 1,) and int(b.offsets[0]) == 0
          assert int(b.offsets[-1]) == b.item_idx.shape[0] == b.label.shape[0] == int(meta['values'])
          assert torch.equal(b.offsets[1:] - b.offsets[:-1], b.length), name
          assert int(b.length.max()) == int(meta['max_length'])
          assert int(b.item_idx.min()) >= 0 and int(b.item_idx.max()) < b.num_items, name
          assert int(b.user_idx.max()) < b.num_users
          scores = (users_table(b.candidate_user_idx) * items_table(b.item_idx)).sum(-1)
          assert scores.shape == b.item_idx.shape
          loaded = list(DataLoader(b, batch_size=2, collate_fn=rt.EvalBatches.collate))
          padding = 0
          for batch in loaded:
              mask = batch['mask']
              assert batch['item_idx'].shape == batch['label'].shape == mask.shape
              assert torch.equal(mask, torch.arange(mask.shape[1]).unsqueeze(0) < batch['length'].unsqueeze(1))
              assert (batch['item_idx'][~mask] == 0).all() and (batch['label'][~mask] == 0).all()
              assert items_table(batch['item_idx']).shape == (*batch['item_idx'].shape, 4)
              padding += int((~mask).sum())
          assert torch.equal(torch.cat([batch['item_idx'][batch['mask']] for batch in loaded]), b.item_idx)
          assert torch.equal(torch.cat([batch['user_idx'] for batch in loaded]), b.user_idx)
          if name == 'test_eval_batches':
              out['test_users_loaded'] = sum(len(batch['user_idx']) for batch in loaded)
              out['test_candidates'] = int(b.item_idx.shape[0])
              out['padded_test_entries'] = padding
              out['test_hit_rate_of_labels'] = rt.rank_metrics(b.label.double(), b)['hit_rate@10']

      # sequences: items [U, L] and mask the same way
      s = rt.load_torch(path('sequences'))
      meta = header('sequences')
      mask = s['mask'].bool()
      assert s['mask'].dtype == torch.uint8 and mask.shape == s['items'].shape
      assert torch.equal(mask, torch.arange(s['items'].shape[1]).unsqueeze(0) < s['length'].unsqueeze(1))
      assert int(meta['padding_item_idx']) == 0 and (s['items'][~mask] == 0).all()
      assert int(s['items'].max()) < num_items and items_table(s['items']).shape == (*s['items'].shape, 4)
      out['padded_sequence_entries'] = int((~mask).sum())
      print(json.dumps(out))
      """;

  /**
   * Notebook 02's cells that load the tensors, define the model and train it, for one epoch on this
   * export. NotebooksIT runs the whole notebook on a MovieLens pipeline run; this checks in seconds
   * that the tables are sized from the header: this export has no serving/id_maps (no ALS output),
   * which the notebook used to count lines of.
   */
  @Test
  void notebook02TrainsOnTablesSizedFromTheHeader() throws Exception {
    DebianPython.require("torch", "numpy", "pandas", "matplotlib");
    JsonNode python =
        Json.MAPPER.readTree(
            DebianPython.run(
                NOTEBOOK_CELLS,
                Path.of("../notebooks").toAbsolutePath().normalize().toString(),
                run.toString()));
    assertThat(python.path("tables").toString()).isEqualTo("[" + USERS + "," + ITEMS + "]");
    assertThat(python.path("epochs").asInt()).isEqualTo(1);
    assertThat(python.path("loss").asDouble()).isPositive().isLessThan(10.0);
    assertThat(python.path("validation_ndcg").asDouble()).isBetween(0.0, 1.0);
  }

  private static final String NOTEBOOK_CELLS =
      """
      import contextlib, json, math, os, sys
      notebooks, run = sys.argv[1:3]
      os.environ.update({'RECDATA_RUN': run, 'RECDATA_EPOCHS': '1', 'MPLBACKEND': 'Agg'})
      os.chdir(notebooks)  # the notebook finds serving-export/python relative to its folder
      with open('02_train_ranker_on_triplets.ipynb') as f:
          cells = {cell['id']: ''.join(cell['source']) for cell in json.load(f)['cells']}
      scope = {}
      with contextlib.redirect_stdout(sys.stderr):  # what the cells print; stdout is for the result
          for cell in ('02-01', '02-03', '02-05'):  # load, model and evaluate, train
              exec(compile(cells[cell], cell, 'exec'), scope)
      model, history = scope['model'], scope['history']
      loss = float(history['loss'].iloc[-1])
      assert math.isfinite(loss)
      print(json.dumps({
          'tables': [model.users.num_embeddings, model.items.num_embeddings],
          'epochs': len(history),
          'loss': loss,
          'validation_ndcg': float(history['NDCG@10'].iloc[-1]),
      }))
      """;
}
