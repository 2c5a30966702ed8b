"""Read recdata's exported tensors with numpy (and torch) alone.

Debian 12 packages torch and numpy but not the `safetensors` module, so this follows the format's spec
(https://huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON header with
dtype, shape and data_offsets per tensor and a string `__metadata__`, then raw little-endian data. Where
`pip install safetensors` is possible, `safetensors.torch.load_file` reads the same files.

Row-sharded exports (above the size limit) have `NAME.safetensors.index.json` listing shard files in row
order; `load(path)` accepts either the single file or the index and concatenates shards.

For PyTorch (imported only when used, so numpy alone reads everything else): `RecdataTripletDataset` and
`EvalBatches` wrap the training triplets and an evaluation set for `torch.utils.data.DataLoader`, with the
embedding table sizes `num_users` and `num_items` from the header's `__metadata__`.
"""
import json
import os
import struct

import numpy as np

_DTYPES = {"I64": np.int64, "I32": np.int32, "F32": np.float32, "I8": np.int8, "U8": np.uint8}


def read_header(path):
    """(header dict without __metadata__, metadata dict, byte offset where the data starts)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    metadata = header.pop("__metadata__", {})
    return header, metadata, 8 + n


def load_file(path, mmap=True):
    """{name: numpy array} of one safetensors file; arrays are read-only memory maps unless mmap=False."""
    header, _, start = read_header(path)
    out = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype = np.dtype(_DTYPES[entry["dtype"]]).newbyteorder("<")
        shape = tuple(entry["shape"])
        count = (end - begin) // dtype.itemsize
        if mmap and count > 0:
            array = np.memmap(path, dtype=dtype, mode="r", offset=start + begin, shape=(count,))
        else:
            with open(path, "rb") as f:
                f.seek(start + begin)
                array = np.frombuffer(f.read(end - begin), dtype=dtype)
        out[name] = array.reshape(shape)
    return out


def metadata(path):
    """The string __metadata__ of a file, or of an index (its "metadata")."""
    if path.endswith(".index.json"):
        with open(path) as f:
            return json.load(f).get("metadata", {})
    return read_header(path)[1]


def load(path, mmap=True):
    """One file, or every shard of an index concatenated along the first (row) axis."""
    if not path.endswith(".index.json"):
        return load_file(path, mmap)
    with open(path) as f:
        index = json.load(f)
    folder = os.path.dirname(path)
    parts = [load_file(os.path.join(folder, shard["file"]), mmap) for shard in index["shards"]]
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def load_torch(path):
    """Like load(), as torch tensors (copies, so they are writable)."""
    import torch

    return {name: torch.from_numpy(np.array(array)) for name, array in load(path, mmap=True).items()}


def _table_sizes(path, meta):
    """(num_users, num_items) of a training tensor set's __metadata__."""
    missing = [key for key in ("num_users", "num_items") if key not in meta]
    if missing:
        raise ValueError(
            "%s has no %s in its __metadata__: it was exported by a recdata that did not write the embedding "
            "table sizes; export it again" % (path, " or ".join(missing)))
    return int(meta["num_users"]), int(meta["num_items"])


class RecdataTripletDataset:
    """The exported triplets (`training/triplets.safetensors` or its `.index.json`) as a map-style dataset for
    torch.utils.data.DataLoader: item i is (user_idx, pos_idx, neg_idx), int64 tensors.

    `num_users` and `num_items` are the embedding table sizes from the header (every user_idx < num_users,
    every item index < num_items), `num_negatives` the negatives per positive, `metadata` the whole header.
    An index that is a list, array or tensor of rows gives three [B] tensors in one numpy gather, so
    `DataLoader(ds, batch_size=None, sampler=BatchSampler(RandomSampler(ds), 4096, drop_last=False))` loads
    a batch without B Python calls; `DataLoader(ds, batch_size=4096, shuffle=True)` works too, row by row.
    """

    def __init__(self, path):
        self.metadata = metadata(path)
        self.num_users, self.num_items = _table_sizes(path, self.metadata)
        self.num_negatives = int(self.metadata["num_negatives"])
        self.triplets = load(path)["triplets"]

    def __len__(self):
        return int(self.triplets.shape[0])

    def __getitem__(self, index):
        import torch

        if isinstance(index, torch.Tensor):
            index = index.numpy()
        rows = torch.from_numpy(np.array(self.triplets[index], dtype=np.int64))  # a copy: the map is read-only
        return rows[..., 0], rows[..., 1], rows[..., 2]


class EvalBatches:
    """An exported evaluation set (`val_eval_batches`, `test_eval_batches`) as whole torch tensors, one row per
    user: `user_idx` [U], `item_idx` [U, C], `label` [U, C] (int8, 1 = held-out positive), `length` [U] and
    `mask` [U, C] (bool: True for the row's `length` candidates, False for padding).

    Padding holds `padding_item_idx` (0), a real item index, so `item_idx` indexes an embedding table of
    `num_items` rows as it is; what is a candidate is said by `mask`, never by the value. `num_users`,
    `num_items`, `num_negatives` (sampled negatives per user, at most) and `metadata` come from the header.
    `tensors` is the dict of the five, which `rank_metrics` takes (as it takes the object itself); item u is
    row u as such a dict, so a DataLoader batches users.
    """

    NAMES = ("user_idx", "item_idx", "label", "length", "mask")

    def __init__(self, path):
        import torch

        self.metadata = metadata(path)
        self.num_users, self.num_items = _table_sizes(path, self.metadata)
        self.num_negatives = int(self.metadata["num_negatives"])
        self.padding_item_idx = int(self.metadata["padding_item_idx"])
        arrays = load(path)
        self.tensors = {name: torch.from_numpy(np.array(arrays[name])) for name in self.NAMES}
        self.tensors["mask"] = self.tensors["mask"].bool()
        for name, tensor in self.tensors.items():
            setattr(self, name, tensor)

    def __len__(self):
        return int(self.user_idx.shape[0])

    def __getitem__(self, index):
        return {name: tensor[index] for name, tensor in self.tensors.items()}


def rank_metrics(scores, batches, k=10):
    """HitRate@k and NDCG@k of `scores` [U, C] on exported evaluation batches, ranked by the rule the export's
    manifest scores ALS with (eval_batches in manifest.json), so a ranker is compared with it like for like.

    Each row's valid candidates (the first `length`) are ranked by descending score; NaN means no score and
    ranks below every scored candidate; ties (equal scores, or both NaN) go to the earlier position in the
    row, whose order is the export's seeded shuffle; padding (after `length`) is never ranked. Relevance is
    binary (`label` 1). `batches` is load()'s dict of an evaluation set or an EvalBatches. Means over the rows;
    a row without a positive scores 0. Returns {"hit_rate@k": float, "ndcg@k": float, "users": int}.
    """
    batches = getattr(batches, "tensors", batches)  # an EvalBatches, or a dict as load() returns
    labels = np.asarray(batches["label"]) == 1
    length = np.asarray(batches["length"])
    scores = np.asarray(scores, dtype=np.float64)
    users, width = labels.shape
    position = np.broadcast_to(np.arange(width), (users, width))
    unscored = np.isnan(scores) | (position >= length[:, None])
    # lexsort's last key is the primary one: scored first, then the highest score, then the position
    order = np.lexsort((position, np.where(unscored, 0.0, -scores), unscored), axis=-1)
    ranked = np.take_along_axis(labels & (position < length[:, None]), order, axis=1)[:, :k]
    discount = 1.0 / np.log2(np.arange(2, ranked.shape[1] + 2))
    dcg = (ranked * discount).sum(axis=1)
    positives = np.minimum((labels & (position < length[:, None])).sum(axis=1), ranked.shape[1])
    ideal = np.concatenate([[0.0], np.cumsum(discount)])[positives]
    ndcg = np.divide(dcg, ideal, out=np.zeros(users), where=ideal > 0)
    return {
        "hit_rate@%d" % k: float(ranked.any(axis=1).mean()) if users else 0.0,
        "ndcg@%d" % k: float(ndcg.mean()) if users else 0.0,
        "users": int(users),
    }
