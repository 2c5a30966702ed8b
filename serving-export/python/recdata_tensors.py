"""Read recdata's exported tensors with numpy (and torch) alone.

Debian 12 packages torch and numpy but not the `safetensors` module, so this follows the format's spec
(https://huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON header with
dtype, shape and data_offsets per tensor and a string `__metadata__`, then raw little-endian data. Where
`pip install safetensors` is possible, `safetensors.torch.load_file` reads the same files.

Row-sharded exports (above the size limit) have `NAME.safetensors.index.json` listing shard files in row
order; `load(path)` accepts either the single file or the index and concatenates shards.

Evaluation sets are ragged (`layout` "ragged" in their `__metadata__`): a user's candidates are
`item_idx[offsets[u]:offsets[u + 1]]`, every list as long as it is, nothing padded.

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
    """One file, or every shard of an index concatenated along the first (row) axis. A ragged set's `offsets`
    count from each shard's first value; the concatenation rebases them, so they index the whole set."""
    if not path.endswith(".index.json"):
        return load_file(path, mmap)
    with open(path) as f:
        index = json.load(f)
    folder = os.path.dirname(path)
    parts = [load_file(os.path.join(folder, shard["file"]), mmap) for shard in index["shards"]]
    out = {name: np.concatenate([p[name] for p in parts]) for name in parts[0] if name != "offsets"}
    if "offsets" in parts[0]:
        rebased, base = [np.zeros(1, dtype=np.int64)], 0
        for p in parts:
            rebased.append(np.asarray(p["offsets"][1:], dtype=np.int64) + base)
            base += int(p["offsets"][-1])
        out["offsets"] = np.concatenate(rebased)
    return out


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
    """An exported evaluation set (`val_eval_batches`, `test_eval_batches`) as whole torch tensors: per user
    `user_idx` [U], `length` [U] and `offsets` [U + 1]; per candidate, every user's list one after another,
    `item_idx` [T] and `label` [T] (int8, 1 = held-out positive), where T = offsets[-1]. User u's candidates
    are `item_idx[offsets[u]:offsets[u + 1]]`, in the export's seeded order; lists are not padded.

    `candidate_user_idx` [T] is each candidate's user, so one call `model(b.candidate_user_idx, b.item_idx)`
    scores every candidate, and `rank_metrics(scores, b)` ranks them. `padded(users)` gives users' lists as
    `[B, C]` tensors padded with item 0 to the longest of them plus a `mask`, for a ranker that wants a
    rectangle; item u is user u's list, and `collate` batches such items, so
    `DataLoader(b, batch_size=256, collate_fn=EvalBatches.collate)` yields padded batches.
    `num_users`, `num_items`, `num_negatives` (sampled negatives per user, at most) and `metadata` come
    from the header; `tensors` is the dict of the five.

    Exports from before the ragged layout (padded `[U, C]` tensors and a `mask`) are read into the same form.
    """

    NAMES = ("user_idx", "length", "offsets", "item_idx", "label")

    def __init__(self, path):
        import torch

        self.metadata = metadata(path)
        self.num_users, self.num_items = _table_sizes(path, self.metadata)
        self.num_negatives = int(self.metadata["num_negatives"])
        arrays = _ragged(load(path))
        self.tensors = {name: torch.from_numpy(np.array(arrays[name])) for name in self.NAMES}
        for name, tensor in self.tensors.items():
            setattr(self, name, tensor)
        self.candidate_user_idx = torch.repeat_interleave(self.user_idx, self.length)

    def __len__(self):
        return int(self.user_idx.shape[0])

    def __getitem__(self, index):
        begin, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return {"user_idx": self.user_idx[index], "item_idx": self.item_idx[begin:end],
                "label": self.label[begin:end], "length": self.length[index]}

    def padded(self, users=None):
        """Rows `users` (indexes into this set; all by default) as {user_idx [B], item_idx [B, C], label [B, C],
        length [B], mask [B, C] bool}, C the longest of their lists; padding is item 0 with label 0 and mask
        False: item 0 is a real item, so go by `mask`."""
        users = range(len(self)) if users is None else users
        return self.collate([self[int(u)] for u in users])

    @staticmethod
    def collate(rows):
        """Items of an EvalBatches (one user's list each) as one padded batch, as `padded` describes."""
        import torch

        width = max([int(row["length"]) for row in rows] + [1])
        items = torch.zeros((len(rows), width), dtype=torch.int64)
        labels = torch.zeros((len(rows), width), dtype=torch.int8)
        for r, row in enumerate(rows):
            items[r, : int(row["length"])] = row["item_idx"]
            labels[r, : int(row["length"])] = row["label"]
        length = torch.stack([torch.as_tensor(row["length"]) for row in rows]) if rows else torch.zeros(0)
        return {"user_idx": torch.stack([torch.as_tensor(row["user_idx"]) for row in rows]) if rows
                else torch.zeros(0, dtype=torch.int64),
                "item_idx": items, "label": labels, "length": length.long(),
                "mask": torch.arange(width).unsqueeze(0) < length.long().unsqueeze(1)}


def _ragged(arrays):
    """An evaluation set's arrays in the ragged form; a padded export (item_idx [U, C] and mask) converted."""
    if "offsets" in arrays:
        return arrays
    length = np.asarray(arrays["length"], dtype=np.int64)
    valid = np.arange(np.asarray(arrays["item_idx"]).shape[1])[None, :] < length[:, None]
    return {"user_idx": arrays["user_idx"], "length": length,
            "offsets": np.concatenate([[0], np.cumsum(length)]).astype(np.int64),
            "item_idx": np.asarray(arrays["item_idx"])[valid], "label": np.asarray(arrays["label"])[valid]}


def rank_metrics(scores, batches, k=10):
    """HitRate@k and NDCG@k of `scores` on exported evaluation batches, ranked by the rule the export's manifest
    scores ALS with (eval_batches in manifest.json), so a ranker is compared with it like for like.

    `scores` holds one score per candidate, aligned with `item_idx` ([T], as `model(candidate_user_idx,
    item_idx)` gives), or a padded [U, C] matrix whose row u starts with user u's candidates (as for
    `padded()`; entries past a row's length are ignored). Each user's candidates are ranked by descending
    score; NaN means no score and ranks below every scored candidate; ties (equal scores, or both NaN) go
    to the earlier position in the list, whose order is the export's seeded shuffle. Relevance is binary
    (`label` 1). `batches` is load()'s dict of an evaluation set or an EvalBatches. Means over the users;
    a user without a positive scores 0. Returns {"hit_rate@k": float, "ndcg@k": float, "users": int}.
    """
    batches = _ragged({name: np.asarray(value) for name, value in getattr(batches, "tensors", batches).items()})
    offsets = batches["offsets"].astype(np.int64)
    users = len(offsets) - 1
    labels = batches["label"] == 1
    user = np.repeat(np.arange(users), np.diff(offsets))
    position = np.arange(len(labels)) - offsets[user]
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 2:
        scores = scores[user, position]
    unscored = np.isnan(scores)
    # lexsort's last key is the primary one: the user, then scored first, the highest score, the position
    order = np.lexsort((position, np.where(unscored, 0.0, -scores), unscored, user))
    top = position < k  # the sorted candidates stay in their user's slice, so position is now the rank
    discount = np.zeros(len(labels))
    discount[top] = 1.0 / np.log2(position[top] + 2.0)
    hits = labels[order] & top
    dcg = np.bincount(user, weights=hits * discount, minlength=users)
    positives = np.minimum(np.bincount(user, weights=labels, minlength=users).astype(np.int64),
                           np.minimum(np.diff(offsets), k))
    ideal = np.concatenate([[0.0], np.cumsum(1.0 / np.log2(np.arange(2, k + 2)))])[positives]
    ndcg = np.divide(dcg, ideal, out=np.zeros(users), where=ideal > 0)
    hit = np.bincount(user, weights=hits, minlength=users) > 0
    return {
        "hit_rate@%d" % k: float(hit.mean()) if users else 0.0,
        "ndcg@%d" % k: float(ndcg.mean()) if users else 0.0,
        "users": int(users),
    }
