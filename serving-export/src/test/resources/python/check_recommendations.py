"""Recomputes recdata's top-K recommendations from the exported factors with torch and numpy alone.

usage: check_recommendations.py SERVING_DIR SEEN_FILE K PYTHON_DIR
SEEN_FILE has `user_id item_id` lines: pairs never to recommend. Prints `ok USERS` when every line of
recommendations.jsonl matches (items exactly, scores to 1e-4), else exits non-zero with the first difference.
"""
import json
import sys

import numpy as np
import torch

serving, seen_file, k, python_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, python_dir)
import recdata_tensors as rt  # noqa: E402

users = rt.load_torch(serving + "/user_factors.safetensors")
items = rt.load_torch(serving + "/item_factors.safetensors")
meta = rt.metadata(serving + "/user_factors.safetensors")
item_meta = rt.metadata(serving + "/item_factors.safetensors")
for key in ("global_mean", "rank", "model_version"):
    assert meta[key] == item_meta[key], (key, meta[key], item_meta[key])

# the .npy copies hold the same tensors
for name, tensors in (("user_factors", users), ("item_factors", items)):
    for tensor, value in tensors.items():
        npy = np.load("%s/npy/%s/%s.npy" % (serving, name, tensor))
        assert npy.dtype == value.numpy().dtype, (name, tensor, npy.dtype)
        assert np.array_equal(npy, value.numpy()), (name, tensor)

rank = int(meta["rank"])
assert users["factors"].shape[1] == rank and items["factors"].shape[1] == rank
mu = float(meta["global_mean"])
# score = global_mean + user.bias + item.bias + user.factors . item.factors, in float64, published as float32
scores = (mu + users["bias"].double()[:, None]) + items["bias"].double()[None, :] + users["factors"].double() @ items["factors"].double().T
scores = scores.float().numpy().astype(np.float64)

user_row = {int(u): r for r, u in enumerate(users["user_id"].numpy())}
item_ids = items["item_id"].numpy()
item_col = {int(i): c for c, i in enumerate(item_ids)}
with open(seen_file) as f:
    for line in f:
        u, i = line.split()
        if int(u) in user_row and int(i) in item_col:
            scores[user_row[int(u)], item_col[int(i)]] = -np.inf

checked = 0
with open(serving + "/recommendations.jsonl") as f:
    previous = None
    for line in f:
        rec = json.loads(line)
        u = rec["user_id"]
        assert previous is None or u > previous, "lines not ordered by user_id"
        previous = u
        row = scores[user_row[u]]
        order = np.lexsort((item_ids, -row))  # score desc, then item_id asc
        order = [c for c in order[:k] if np.isfinite(row[c])]
        expected = [int(item_ids[c]) for c in order]
        if rec["items"] != expected:
            sys.exit("user %d: exported %s, recomputed %s (scores %s vs %s)" % (
                u, rec["items"], expected, rec["scores"], [row[c] for c in order]))
        diff = np.abs(np.array(rec["scores"]) - np.array([row[c] for c in order]))
        if diff.size and diff.max() > 1e-4:
            sys.exit("user %d: scores differ by %g" % (u, diff.max()))
        checked += 1
assert checked == len(user_row), (checked, len(user_row))
print("ok", checked)
