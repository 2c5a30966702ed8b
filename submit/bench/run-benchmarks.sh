#!/usr/bin/env bash
# recdata benchmark harness (not part of `mvn verify`). One command:
#
#   submit/bench/run-benchmarks.sh                      # 1M, 5M and 25M rows (25M: an hour or more on 2 cores)
#   submit/bench/run-benchmarks.sh --sizes 1M           # quick run
#
# For each size it generates MovieLens-25M-shaped data with `recdata generate` (25M rows: 162,338 users, 59,000
# items), then runs every stage as its own process under /usr/bin/time -v (wall time, CPU time, peak RSS of the
# whole process): etl, split, quality, als (explicit, rank 32, 10 iterations), export (when the command exists),
# the `pipeline` command (etl -> split -> quality -> als in one JVM), the one-off `split` straight from the CSV,
# and the peers on the same files and the same 2 cores: DuckDB for etl (CSV -> canonical Parquet, the same
# parse, reject, dedup, sort, id maps and items: src/DuckDbEtl.java), split (CSV -> 3 Parquet splits, canonical
# Parquet -> 3 Parquet splits) and quality (the same checks and metrics as SQL: src/DuckDbQuality.java), pandas
# (the usual groupby/cumcount chrono splitter, CSV -> 3 pickled splits; needs python3-pandas) and the naive Spark
# split (row_number + count windows over the whole table). Each DuckDB peer runs right after the recdata stage it
# is compared with, and src/PeerCheck.java then checks (not timed) that the etl and quality peers produced what
# recdata produced. It also times the one-off `recdata split --input ml-100k` three times. Results go to
# docs/BENCHMARKS.md (machine, versions, command, load average at the start of every measurement, wall and CPU
# seconds, recdata/DuckDB ratios) and raw to WORK/results.tsv (peer checks: WORK/peer-checks.tsv).
#
# Options: --sizes 1M,5M,25M   --work DIR (default /tmp/recdata-bench; 25M needs ~6 GB free)
#          --ml100k DIR (default ../shared/datasets/ml-100k beside the repository; skipped when missing)
#          --threads N (DuckDB threads and Spark local[N]; default 2)
#          --pipeline-sizes LIST (sizes that also run the `pipeline` command; default: all; "" for none)
#            (the default `recdata pipeline` on its embedded 100K sample always runs, as `pipeline-default`)
#          --out FILE (default docs/BENCHMARKS.md)   --append (keep WORK/results.tsv and add to it, e.g. one more size)
#          --skip LIST (measurements left out to save time, by name: quality, als, export, naive-spark,
#            split-from-csv, duckdb-csv, duckdb-etl, duckdb-quality, peer-check, ...; generate, etl and split
#            feed the others)
# Needs: Java 17, Maven (to build recdata and fetch org.duckdb:duckdb_jdbc once), GNU time (`apt-get install time`).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$repo/submit/bench"
sizes="1M,5M,25M"
work="${TMPDIR:-/tmp}/recdata-bench"
ml100k="$repo/../shared/datasets/ml-100k"
append=0
skip=""
threads=2
pipeline_sizes=""
pipeline_sizes_set=0
out="$repo/docs/BENCHMARKS.md"
duckdb_version="2.0.0.1"
command_line="submit/bench/run-benchmarks.sh $*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --ml100k) ml100k="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --pipeline-sizes) pipeline_sizes="$2"; pipeline_sizes_set=1; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --append) append=1; shift ;;
    --skip) skip="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "run-benchmarks: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ ! -x /usr/bin/time ]]; then
  echo "run-benchmarks: /usr/bin/time missing; install GNU time (Debian: apt-get install time)" >&2
  exit 2
fi

if [[ "$pipeline_sizes_set" == 0 ]]; then pipeline_sizes="$sizes"; fi
recdata="$repo/submit/bin/recdata"
master="local[$threads]"
mkdir -p "$work/logs"
results="$work/results.tsv"
peer_checks="$work/peer-checks.tsv"
if [[ "$append" == 0 ]]; then : > "$results"; : > "$peer_checks"; fi
skipped() { [[ ",$skip," == *",$1,"* ]]; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---- build: recdata, the DuckDB JDBC jar (Maven Central), the two peer drivers ---------------------------------
if [[ ! -f "$repo/submit/target/recdata.jar" ]]; then
  # package, not install: bin/recdata runs from submit/target, and ~/.m2 stays untouched
  log "building recdata (mvn -q -DskipTests -pl submit -am package)"
  (cd "$repo" && mvn -q -DskipTests -pl submit -am package)
fi
duckdb_jar="$bench/target/lib/duckdb_jdbc-$duckdb_version.jar"
if [[ ! -f "$duckdb_jar" ]]; then
  log "fetching org.duckdb:duckdb_jdbc:$duckdb_version"
  mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    -Dartifact="org.duckdb:duckdb_jdbc:$duckdb_version" -DoutputDirectory="$bench/target/lib"
fi
mkdir -p "$bench/target/classes"
javac -d "$bench/target/classes" -cp "$duckdb_jar:$repo/submit/target/recdata.jar:$repo/submit/target/lib/*" \
  "$bench"/src/*.java
# The naive Spark peer runs with exactly the JVM options of bin/recdata for a large input.
mapfile -t opens < <(sed -n '/^opens=(/,/^)/p' "$recdata" | grep -E '^\s+-' | sed 's/^\s*//')
spark_java=(java "${opens[@]}" -XX:+UseParallelGC -Xmx4g -Dlog4j2.configurationFile="$repo/submit/conf/log4j2.properties"
  -cp "$bench/target/classes:$repo/submit/target/recdata.jar:$repo/submit/target/lib/*")
duckdb_java=(java -cp "$bench/target/classes:$duckdb_jar")
export SPARK_LOCAL_IP=127.0.0.1

# ---- measuring ---------------------------------------------------------------------------------------------
# measure SIZE NAME COMMAND...: one process under /usr/bin/time -v; appends
# size, name, wall s, cpu s, peak RSS MB, load average (1 min) at start, exit status to results.tsv.
measure() {
  local size="$1" name="$2"
  shift 2
  if skipped "$name"; then return 0; fi
  local base="$work/logs/$size-$name"
  local load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  log "$size $name (load $load): $*"
  local status=0
  /usr/bin/time -v -o "$base.time" "$@" > "$base.log" 2>&1 || status=$?
  local wall cpu rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$base.time")"
  cpu="$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$base.time")"
  rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$base.time")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$name" "$wall" "$cpu" "$rss" "$load" "$status" >> "$results"
  if [[ "$status" != 0 ]]; then
    log "  FAILED with exit $status; last lines of $base.log:"
    tail -5 "$base.log" >&2
  else
    log "  ${wall} s wall, ${cpu} s CPU, ${rss} MB peak"
  fi
  return 0
}

# peer_check SIZE KIND RECDATA_OUT DUCKDB_OUT: not timed; PeerCheck compares a DuckDB peer's output with
# recdata's and its last line (ok, or what differs) goes to peer-checks.tsv for the report.
peer_check() {
  local size="$1" kind="$2"
  if skipped peer-check || skipped "duckdb-$kind" || skipped "$kind" || [[ ! -d "$3" || ! -d "$4" ]]; then return 0; fi
  local base="$work/logs/$size-peer-check-$kind"
  local status=0
  "${duckdb_java[@]}" PeerCheck "$kind" "$3" "$4" > "$base.log" 2>&1 || status=$?
  local summary
  summary="$(grep '^PEER-CHECK' "$base.log" | tail -1 | sed 's/^PEER-CHECK [a-z]*: //')"
  [[ -z "$summary" ]] && summary="PeerCheck failed with exit $status: $(tail -1 "$base.log")"
  printf '%s\t%s\t%s\t%s\n' "$size" "$kind" "$status" "$summary" >> "$peer_checks"
  if [[ "$status" == 0 ]]; then log "$size peer check $kind: $summary"; else log "$size peer check $kind FAILED: $summary"; fi
  return 0
}

rows_of() {
  local s="${1^^}"
  case "$s" in
    *M) echo $(( ${s%M} * 1000000 )) ;;
    *K) echo $(( ${s%K} * 1000 )) ;;
    *) echo "$s" ;;
  esac
}

# MLlib's ALS uses a system BLAS (libblas.so.3, e.g. Debian's libopenblas0-pthread) through JNI when one is
# installed, else its Java Vector API path: which one ran goes into the report, and with a native one each size
# also measures als on the Java path (als-java-blas).
native_blas=0
if ldconfig -p 2>/dev/null | grep -q 'libblas\.so\.3 '; then
  native_blas=1
  echo "native: $(readlink -f "$(ldconfig -p | awk '/libblas\.so\.3 / {print $NF; exit}')") through JNI (dev.ludovic.netlib JNIBLAS), OPENBLAS_NUM_THREADS=1 (bin/recdata's default); als-java-blas rows: the Java Vector API path" > "$work/blas.txt"
else
  echo "Java Vector API (dev.ludovic.netlib VectorBLAS): no system BLAS (libblas.so.3) installed" > "$work/blas.txt"
fi

# Warm-up (not measured): the first Spark command after a build writes bin/recdata's class-data-sharing archive.
if [[ -d "$ml100k" ]]; then
  log "warm-up: recdata split on ml-100k (writes the AppCDS archive on the first run after a build)"
  "$recdata" split --input "$ml100k" --out "$work/ml100k-warmup" > "$work/logs/warmup.log" 2>&1 || true
  # Alternated with the launcher's old settings (C2, parallel GC, no class-data sharing), so the gain is a ratio
  # measured under the same load.
  for i in 1 2 3; do
    measure ml-100k "split-oneoff-$i" "$recdata" split --master "$master" --input "$ml100k" --out "$work/ml100k-split"
    measure ml-100k "split-oneoff-old-launcher-$i" env RECDATA_CDS=0 RECDATA_SMALL=0 \
      "$recdata" split --master "$master" --input "$ml100k" --out "$work/ml100k-split"
  done
fi

# The default pipeline a newcomer runs (README's first command after the build): the embedded 100K sample.
measure 100K pipeline-default "$recdata" pipeline --master "$master" --out "$work/default-pipeline"
rm -rf "$work/default-pipeline"

size_list=()
if [[ -n "$sizes" ]]; then IFS=',' read -r -a size_list <<< "$sizes"; fi
has_export=0
# the pandas peer runs when python3 has pandas (Debian: apt-get install python3-pandas; .ci/run installs it)
# (Debian's interpreter first: a pyenv or venv python3 on PATH usually lacks Debian's packages)
python="${RECDATA_BENCH_PYTHON:-$([[ -x /usr/bin/python3 ]] && echo /usr/bin/python3 || echo python3)}"
has_pandas=0
if "$python" -c 'import pandas' 2>/dev/null; then has_pandas=1; else log "$python has no pandas: the pandas peer is skipped"; fi
# export is measured only when this build has the command (it lists in `recdata --help`).
if "$recdata" --help 2>/dev/null | grep -qE '^  export '; then has_export=1; fi
for size in ${size_list[@]+"${size_list[@]}"}; do
  rows="$(rows_of "$size")"
  d="$work/$size"
  rm -rf "$d"
  mkdir -p "$d"
  # The split and its peers run back to back, so their ratios are measured under the same conditions.
  measure "$size" generate "$recdata" generate --out "$d/ml" --rows "$rows" --seed 42 --threads "$threads"
  measure "$size" etl "$recdata" etl --master "$master" --input "$d/ml" --out "$d/etl"
  measure "$size" duckdb-etl "${duckdb_java[@]}" DuckDbEtl "$d/ml" "$d/duckdb-etl" "$threads"
  measure "$size" split "$recdata" split --master "$master" --input "$d/etl" --out "$d/split"
  measure "$size" duckdb-parquet "${duckdb_java[@]}" DuckDbSplit parquet "$d/etl/interactions" "$d/duckdb-parquet" "$threads"
  measure "$size" duckdb-csv "${duckdb_java[@]}" DuckDbSplit csv "$d/ml" "$d/duckdb-csv" "$threads"
  if [[ "$has_pandas" == 1 ]]; then
    measure "$size" pandas "$python" "$bench/src/pandas_split.py" "$d/ml" "$d/pandas"
  fi
  measure "$size" naive-spark "${spark_java[@]}" NaiveSparkSplit "$d/etl/interactions" "$d/naive-spark" "$master"
  measure "$size" quality "$recdata" quality --master "$master" --input "$d/split" --out "$d/quality"
  measure "$size" duckdb-quality "${duckdb_java[@]}" DuckDbQuality "$d/split" "$d/duckdb-quality" "$threads"
  # one fit as issue 21's target describes it (rank 32, 10 iterations, test on the full catalogue, the
  # baselines); the default tuning is measured by the `pipeline` rows
  measure "$size" als "$recdata" als --master "$master" --input "$d/split" --out "$d/als" --mode explicit \
    --rank 32 --max-iter 10 --tune off
  if [[ "$native_blas" == 1 ]]; then
    # the same fits on MLlib's Java path, so the native BLAS's share is a ratio measured minutes apart
    measure "$size" als-java-blas env RECDATA_JAVA_OPTS=-Ddev.ludovic.netlib.blas.nativeLib=none \
      "$recdata" als --master "$master" --input "$d/split" --out "$d/als-java-blas" --mode explicit \
      --rank 32 --max-iter 10 --tune off
    rm -rf "$d/als-java-blas"
  fi
  if [[ "$has_export" == 1 ]]; then
    measure "$size" export "$recdata" export --master "$master" --etl "$d/etl" --splits "$d/split" --als "$d/als" \
      --out "$d/export"
  fi
  measure "$size" split-from-csv "$recdata" split --master "$master" --input "$d/ml" --out "$d/split-oneoff"
  if [[ ",$pipeline_sizes," == *",$size,"* ]]; then
    measure "$size" pipeline "$recdata" pipeline --master "$master" --input "$d/ml" --out "$d/pipeline"
  fi
  # Not timed: the etl and quality peers produced what recdata produced (same rows, counts, checks, metrics).
  peer_check "$size" etl "$d/etl" "$d/duckdb-etl"
  peer_check "$size" quality "$d/quality" "$d/duckdb-quality"
  # Keep the generated CSV for a re-run; the stage outputs of big sizes are large.
  rm -rf "$d/split-oneoff" "$d/pandas" "$d/duckdb-csv" "$d/duckdb-parquet" "$d/naive-spark" "$d/pipeline" \
    "$d/duckdb-etl" "$d/duckdb-quality" "$d"/*.duckdb-tmp
done

# ---- report --------------------------------------------------------------------------------------------------
RECDATA_BENCH_PYTHON="$python" "$bench/write-report.sh" "$results" "$out" "$command_line" "$threads" "$duckdb_version" "$work"
log "wrote $out"
