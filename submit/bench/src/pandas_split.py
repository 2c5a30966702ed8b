#!/usr/bin/env python3
"""Benchmark peer, not part of recdata: the per-user 70/20/10 temporal split the way a notebook does it in pandas.

Usage: pandas_split.py INPUT OUT
  INPUT  a MovieLens 20M/25M-layout folder (ratings.csv: userId,movieId,rating,timestamp)
  OUT    folder for train.pkl, validation.pkl, test.pkl

This is the usual chronological splitter (the one recommender libraries ship as "python_chrono_split"): sort by
user and time, number each user's rows with groupby().cumcount(), take each user's row count with
groupby().transform("size"), and cut at ceil(0.7 n) and ceil(0.9 n), the same rule as the DuckDB peer. pandas is
single-threaded, so it uses one of the cores the other peers get.

Output is pickled DataFrames, not Parquet: Debian 12 packages neither pyarrow nor fastparquet, pandas' Parquet
engines, and PyPI is not reachable here. Pickling is pandas' fastest native binary write, so the output step
favours pandas if anything.
"""
import os
import sys
import time

import numpy as np
import pandas as pd


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: pandas_split.py INPUT OUT", file=sys.stderr)
        return 2
    source, out = sys.argv[1], sys.argv[2]
    start = time.time()
    ratings = pd.read_csv(
        os.path.join(source, "ratings.csv"),
        dtype={"userId": np.int64, "movieId": np.int64, "rating": np.float32, "timestamp": np.int64},
    )
    ratings = ratings.sort_values(["userId", "timestamp", "movieId"], kind="stable")
    by_user = ratings.groupby("userId", sort=False)
    position = by_user.cumcount().to_numpy() + 1
    count = by_user["movieId"].transform("size").to_numpy()
    split = np.where(
        position <= np.ceil(0.7 * count), "train", np.where(position <= np.ceil(0.9 * count), "validation", "test")
    )
    os.makedirs(out, exist_ok=True)
    rows = {}
    for name in ("train", "validation", "test"):
        part = ratings[split == name]
        part.to_pickle(os.path.join(out, name + ".pkl"))
        rows[name] = len(part)
    print(
        "pandas %s: %d rows -> train %d, validation %d, test %d in %s in %.1f s"
        % (pd.__version__, len(ratings), rows["train"], rows["validation"], rows["test"], out, time.time() - start)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
