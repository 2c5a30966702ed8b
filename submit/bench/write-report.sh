#!/usr/bin/env bash
# Turns run-benchmarks.sh's results.tsv into docs/BENCHMARKS.md: machine, versions, command, one table per size
# (wall and CPU seconds of every stage and peer, recdata/DuckDB ratios for etl, split and quality), scaling, the
# targets of issues 8 and 21 as ratios measured in the same run, the peer checks (WORKDIR/peer-checks.tsv), then
# submit/bench/ANALYSIS.md verbatim.
# Usage: write-report.sh RESULTS.tsv OUT.md "COMMAND" THREADS DUCKDB_VERSION WORKDIR
# RECDATA_BENCH_COMMIT=REV names the commit that was measured when the report is rewritten later from a saved results.tsv.
set -euo pipefail
results="$1" out="$2" command_line="$3" threads="$4" duckdb_version="$5" work="$6"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$(dirname "$out")"

# value SIZE NAME FIELD: field 3 wall, 4 cpu, 5 rss MB, 6 load, 7 status; empty when not measured.
value() { awk -F'\t' -v s="$1" -v n="$2" -v f="$3" '$1 == s && $2 == n {v = $f} END {print v}' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || b == 0) print ""; else printf "%.2f", a / b}'; }
# The DuckDB peer each recdata stage is compared with (the ratio columns and the targets).
peer_of() {
  case "$1" in
    etl) echo duckdb-etl ;;
    split) echo duckdb-parquet ;;
    quality) echo duckdb-quality ;;
    split-from-csv) echo duckdb-csv ;;
    *) echo "" ;;
  esac
}
# stages and peers in table order: each DuckDB peer under the recdata stage it is compared with
names=(generate etl duckdb-etl split duckdb-parquet quality duckdb-quality als als-java-blas export split-from-csv duckdb-csv pandas
  naive-spark pipeline)
sizes=()
# smallest first, whatever order the runs were appended in (e.g. 1M, then 25M, then 5M)
while IFS= read -r s; do sizes+=("$s"); done < <(awk -F'\t' '$1 != "ml-100k" && $1 != "100K" && !seen[$1]++ {n = $1 + 0; if ($1 ~ /M$/) n *= 1000000; else if ($1 ~ /K$/) n *= 1000; print n "\t" $1}' "$results" | sort -n | cut -f2)
largest=""
smallest=""
if [[ ${#sizes[@]} -gt 0 ]]; then
  largest="${sizes[${#sizes[@]}-1]}"
  smallest="${sizes[0]}"
fi

describe() {
  case "$1" in
    generate) echo "\`generate\` (CSV, seed 42)" ;;
    etl) echo "\`etl\` CSV -> canonical Parquet" ;;
    split) echo "\`split\` canonical Parquet -> 3 Parquet splits" ;;
    quality) echo "\`quality\`" ;;
    als) echo "\`als\` explicit, rank 32, 10 iterations, \`--tune off\` (no search; still 4 fits: validation, test refit, global-time, served refit)" ;;
    als-java-blas) echo "the same \`als\` with native BLAS turned off (MLlib's Java Vector API path, as on a machine without a system BLAS)" ;;
    export) echo "\`export\`" ;;
    split-from-csv) echo "\`split\` one-off from the CSV (etl in memory)" ;;
    duckdb-etl) echo "DuckDB etl peer: CSV -> canonical Parquet (parse, reject, dedup, sort, id maps, items)" ;;
    duckdb-quality) echo "DuckDB quality peer: the same checks and metrics as SQL" ;;
    duckdb-csv) echo "DuckDB: CSV -> 3 Parquet splits (windows)" ;;
    duckdb-parquet) echo "DuckDB: canonical Parquet -> 3 Parquet splits" ;;
    pandas) echo "pandas: CSV -> 3 pickled splits (groupby cumcount, one core)" ;;
    naive-spark) echo "naive Spark: row_number + count windows, Parquet -> 3 splits" ;;
    pipeline) echo "\`pipeline\` command with its defaults (etl, split, quality, als with its default tuning, export; one JVM)" ;;
    pipeline-default) echo "\`recdata pipeline --out DIR\`: the default run on the embedded 100K sample" ;;
    *) echo "$1" ;;
  esac
}

# read before the report is rewritten: the report itself is not a local change of the code measured
commit="${RECDATA_BENCH_COMMIT:-$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)}"
if [[ -z "${RECDATA_BENCH_COMMIT:-}" ]] && ! git -C "$repo" diff --quiet HEAD -- . ':(exclude)docs/BENCHMARKS.md' 2>/dev/null; then commit="$commit (with local changes)"; fi

{
  echo "# Benchmarks"
  echo
  echo "Written by \`$command_line\` (see [submit/bench/run-benchmarks.sh](../submit/bench/run-benchmarks.sh));"
  echo "raw numbers in \`$work/results.tsv\`, every process's output and \`/usr/bin/time -v\` report in \`$work/logs/\`."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| finished | $(date -u +'%Y-%m-%d %H:%M UTC') |"
  echo "| machine | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr) |"
  echo "| recdata | $("$repo/submit/bin/recdata" --version 2>/dev/null | tr '\n' ',' | sed 's/,$//; s/,/, /g') |"
  echo "| commit | $commit |"
  echo "| peers | DuckDB JDBC $duckdb_version (threads=$threads); $("${RECDATA_BENCH_PYTHON:-/usr/bin/python3}" -c "import pandas; print(\"pandas \" + pandas.__version__)" 2>/dev/null || echo "no pandas"); Spark local[$threads] with recdata's session settings |"
  echo "| BLAS | $(cat "$work/blas.txt" 2>/dev/null || echo "not recorded") |"
  echo "| settings | defaults: bin/recdata's 4 GB heap (-Xmx4g), \`--master local[$threads]\`, bin/recdata's JVM options (AppCDS archive written in a warm-up run; C1 + serial GC only for one-off etl and split runs on inputs under 8 MiB) |"
  echo
  echo "Every number is one process measured whole with \`/usr/bin/time -v\` (JVM and Spark start included): wall"
  echo "seconds, CPU seconds (user + system) and peak resident memory. **load** is the 1-minute load average when the"
  echo "process started. The machine is shared: when load is above the core count ($(nproc)), wall times are inflated"
  echo "by waiting for a core, so compare **ratios within one run** (recdata against its peers, measured minutes apart"
  echo "on the same files) and CPU seconds, not absolute wall times across runs."
  echo

  if [[ -n "$(value 100K pipeline-default 3)" ]]; then
    echo "## Default \`recdata pipeline\` (embedded 100K sample, whole process)"
    echo
    echo "| run | wall s | CPU s | peak MB | load | exit |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| $(describe pipeline-default) | $(value 100K pipeline-default 3) | $(value 100K pipeline-default 4) | $(value 100K pipeline-default 5) | $(value 100K pipeline-default 6) | $(value 100K pipeline-default 7) |"
    echo
  fi

  if awk -F'\t' '$1 == "ml-100k" {found = 1} END {exit !found}' "$results"; then
    echo "## One-off \`recdata split --input ml-100k\` (whole process)"
    echo
    echo "| run | wall s | CPU s | peak MB | load |"
    echo "|---|---:|---:|---:|---:|"
    awk -F'\t' '$1 == "ml-100k" {printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6}' "$results"
    echo
    echo '`split-oneoff-old-launcher` runs are the same command with `RECDATA_CDS=0 RECDATA_SMALL=0`: the JVM'
    echo "options bin/recdata used before (C2 JIT, parallel GC, no class-data sharing), alternated with the new ones."
    echo
  fi

  for size in ${sizes[@]+"${sizes[@]}"}; do
    echo "## $size rows"
    echo
    echo "| stage | wall s | CPU s | recdata / DuckDB, wall | recdata / DuckDB, CPU | peak MB | load | exit |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for name in "${names[@]}"; do
      wall="$(value "$size" "$name" 3)"
      if [[ -z "$wall" ]]; then
        [[ "$name" == export ]] && echo "| \`export\` | not measured (--skip, or no \`recdata export\` command in this build) | | | | | | |"
        continue
      fi
      cpu="$(value "$size" "$name" 4)"
      rw="" rc=""
      peer="$(peer_of "$name")"
      if [[ -n "$peer" ]]; then
        rw="$(ratio "$wall" "$(value "$size" "$peer" 3)")"
        rc="$(ratio "$cpu" "$(value "$size" "$peer" 4)")"
        [[ -n "$rw" ]] && rw="**${rw}x**"
        [[ -n "$rc" ]] && rc="${rc}x"
      fi
      echo "| $(describe "$name") | $wall | $cpu | $rw | $rc | $(value "$size" "$name" 5) | $(value "$size" "$name" 6) | $(value "$size" "$name" 7) |"
    done
    total="$(awk -F'\t' -v s="$size" '$1 == s && ($2 == "etl" || $2 == "split" || $2 == "quality" || $2 == "als" || $2 == "export") {w += $3; c += $4; if ($5 > m) m = $5} END {printf "%.1f\t%.1f\t%d", w, c, m}' "$results")"
    IFS=$'\t' read -r tw tc tm <<< "$total"
    summed=""
    for n in etl split quality als export; do
      if [[ -n "$(value "$size" "$n" 3)" ]]; then summed="${summed:+$summed + }$n"; fi
    done
    echo "| **whole pipeline, stage by stage** ($summed) | **$tw** | $tc | | | $tm (largest stage) | | |"
    echo
    echo "Ratios: recdata's stage over the DuckDB peer listed under it, wall and CPU seconds of the whole processes"
    echo "(etl over the DuckDB etl peer, split over DuckDB's canonical Parquet split, quality over the DuckDB quality"
    echo "peer; the one-off split from the CSV over DuckDB's CSV split)."
    echo
  done

  if [[ ${#sizes[@]} -gt 1 ]]; then
    echo "## Scaling $smallest -> $largest"
    echo
    echo "Wall-time ratio against the row ratio ($(ratio "$(awk -v s="${largest%M}" 'BEGIN {print s}')" "$(awk -v s="${smallest%M}" 'BEGIN {print s}')")x rows); below the row ratio means fixed start-up cost is still a large share."
    echo
    echo "| stage | $smallest wall s | $smallest CPU s | $largest wall s | $largest CPU s | time ratio | $smallest peak MB | $largest peak MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for name in "${names[@]}"; do
      a="$(value "$smallest" "$name" 3)"
      b="$(value "$largest" "$name" 3)"
      [[ -z "$a" || -z "$b" ]] && continue
      echo "| $(describe "$name") | $a | $(value "$smallest" "$name" 4) | $b | $(value "$largest" "$name" 4) | $(ratio "$b" "$a") | $(value "$smallest" "$name" 5) | $(value "$largest" "$name" 5) |"
    done
    echo
  fi

  if [[ -n "$largest" ]]; then
    echo "## Targets (issues 8 and 21), measured at $largest rows in this run"
    echo
    echo "The targets are set for 25M rows; at a smaller size they show the trend only. Ratios are of wall seconds"
    echo "(CPU seconds in brackets); met is judged on wall seconds."
    echo
    echo "| target | measured | goal | met |"
    echo "|---|---|---|---|"
    # peer_target NAME TEXT GOAL: recdata's stage NAME against its DuckDB peer, wall (CPU) ratio, met at <= GOAL
    peer_target() {
      local name="$1" text="$2" goal="$3" peer rw rc
      peer="$(peer_of "$name")"
      rw="$(ratio "$(value "$largest" "$name" 3)" "$(value "$largest" "$peer" 3)")"
      rc="$(ratio "$(value "$largest" "$name" 4)" "$(value "$largest" "$peer" 4)")"
      echo "| $text | recdata $(value "$largest" "$name" 3) s ($(value "$largest" "$name" 4) CPU-s), DuckDB $(value "$largest" "$peer" 3) s ($(value "$largest" "$peer" 4) CPU-s): **${rw}x** (${rc}x) | <= ${goal}x | $(awk -v r="$rw" -v g="$goal" 'BEGIN {print r == "" ? "not measured" : (r <= g ? "yes" : "no, by " sprintf("%.0f%%", (r / g - 1) * 100))}') |"
    }
    peer_target etl "etl, CSV -> canonical Parquet, vs the DuckDB etl peer (issue 21)" 2
    peer_target split "split, canonical Parquet -> 3 Parquet splits, vs DuckDB $duckdb_version (issues 8, 21)" 1.0
    peer_target quality "quality, vs the same checks and metrics as DuckDB SQL (issue 21)" 3
    split_w="$(value "$largest" split 3)"
    etl_w="$(value "$largest" etl 3)"
    es="$(awk -v a="$etl_w" -v b="$split_w" 'BEGIN {printf "%.1f", a + b}')"
    duck_csv="$(value "$largest" duckdb-csv 3)"
    r="$(ratio "$es" "$duck_csv")"
    oneoff="$(value "$largest" split-from-csv 3)"
    r2="$(ratio "$oneoff" "$duck_csv")"
    echo "| etl + split from the MovieLens CSV, vs DuckDB's CSV split | etl + split ${es} s (one-off split from CSV ${oneoff} s), DuckDB ${duck_csv} s: **${r}x** (one-off ${r2}x) | <= 1.5x | $(awk -v r="$r" 'BEGIN {print r == "" ? "not measured" : (r <= 1.5 ? "yes" : "no, by " sprintf("%.0f%%", (r / 1.5 - 1) * 100))}') |"
    best="$(awk -F'\t' '$1 == "ml-100k" && $2 !~ /old/ && $7 == 0 {if (m == "" || $3 < m) m = $3} END {print m}' "$results")"
    med="$(awk -F'\t' '$1 == "ml-100k" && $2 !~ /old/ && $7 == 0 {print $3}' "$results" | sort -n | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}')"
    echo "| one-off \`split --input ml-100k\`, whole process | best ${best:-n/a} s, median ${med:-n/a} s | < 6 s | $(awk -v r="$med" 'BEGIN {print (r != "" && r < 6) ? "yes" : (r == "" ? "not measured" : "no, by " sprintf("%.1f s", r - 6))}') |"
    # issue 21's absolute targets: seconds of whole processes
    abs_target() {
      local text="$1" measured="$2" goal="$3"
      echo "| $text | ${measured:-not measured}$([[ -n "$measured" ]] && echo " s") | <= ${goal} s | $(awk -v r="$measured" -v g="$goal" 'BEGIN {print r == "" ? "not measured" : (r <= g ? "yes" : "no, " sprintf("%.1fx the goal", r / g))}') |"
    }
    abs_target "default \`recdata pipeline\` (100K sample), whole process (issue 21)" "$(value 100K pipeline-default 3)" 20
    abs_target "1M rows, \`pipeline\` command, whole process (issue 21)" "$(value 1M pipeline 3)" 45
    abs_target "$largest, quality, whole process (issue 21)" "$(value "$largest" quality 3)" 60
    abs_target "$largest, als rank 32 x 10, one fit + full-catalogue test + baselines (issue 21)" "$(value "$largest" als 3)" 180
    abs_target "$largest, export (tensors + serving files) (issue 21)" "$(value "$largest" export 3)" 120
    abs_target "$largest, whole pipeline, stage by stage (issue 21)" "$(awk -F'\t' -v s="$largest" '$1 == s && ($2 == "etl" || $2 == "split" || $2 == "quality" || $2 == "als" || $2 == "export") {w += $3; n++} END {if (n == 5) printf "%.1f", w}' "$results")" 600
    rss="$(awk -F'\t' -v s="$largest" '$1 == s && ($2 == "etl" || $2 == "split" || $2 == "quality" || $2 == "als" || $2 == "export") {if ($5 > m) m = $5} END {print m}' "$results")"
    echo "| $largest, peak RSS of any stage process (issue 21) | ${rss} MB | <= 4096 MB | $(awk -v r="$rss" 'BEGIN {print (r != "" && r <= 4096) ? "yes" : "no"}') |"
    peak="$(value "$largest" pipeline 5)"
    peak_note="\`pipeline\` command"
    if [[ -z "$peak" ]]; then
      peak="$(awk -F'\t' -v s="$largest" '$1 == s && ($2 == "etl" || $2 == "split" || $2 == "quality" || $2 == "als" || $2 == "export") {if ($5 > m) m = $5} END {print m}' "$results")"
      peak_note="largest stage process"
    fi
    echo "| peak memory of the pipeline, default settings | ${peak} MB ($peak_note) | < 6144 MB | $(awk -v r="$peak" 'BEGIN {print (r != "" && r < 6144) ? "yes" : "no"}') |"
    fails="$(awk -F'\t' -v s="$largest" '$1 == s && ($2 == "etl" || $2 == "split" || $2 == "quality" || $2 == "als" || $2 == "export") && $7 != 0 {print $2}' "$results" | tr '\n' ' ')"
    tw="$(awk -F'\t' -v s="$largest" '$1 == s && ($2 == "etl" || $2 == "split" || $2 == "quality" || $2 == "als" || $2 == "export") {w += $3} END {printf "%.0f", w}' "$results")"
    missing="$(for n in etl split quality als export; do [[ -z "$(value "$largest" "$n" 3)" ]] && printf '%s ' "$n"; done || true)"
    met="$([[ -z "$fails" ]] && echo yes || echo "no: $fails failed")"
    [[ -n "$missing" && -z "$fails" ]] && met="not measured"
    echo "| full pipeline incl. quality, ALS rank 32 x 10 and export finishes | ${tw} s stage by stage$( [[ -n "$missing" ]] && echo ", not measured: ${missing% }") | finishes, time reported | $met |"
    echo
  fi

  if [[ -s "$work/peer-checks.tsv" ]]; then
    echo "## Peer checks"
    echo
    echo "Not timed: after the measurements of each size, submit/bench/src/PeerCheck.java compares in DuckDB what a"
    echo "peer wrote with what recdata wrote. etl: every interactions row as a multiset (sums of row hashes; when they"
    echo "differ, the rows in one output only), the (user, ts, item) order of both outputs, the id maps, the items and"
    echo "the manifest counts. quality: every check's status and"
    echo "observed value, every metric (medians and p90 are Spark's percentile_approx against DuckDB's exact"
    echo "quantile_disc and are reported, not failed), the per-user fraction histogram and the chart points. Logs:"
    echo "\`$work/logs/SIZE-peer-check-*.log\`."
    echo
    echo "| size | peer | exit | result |"
    echo "|---|---|---:|---|"
    awk -F'\t' '{printf "| %s | DuckDB %s | %s | %s |\n", $1, $2, $3, $4}' "$work/peer-checks.tsv"
    echo
  fi

  if [[ -f "$repo/submit/bench/ANALYSIS.md" ]]; then
    cat "$repo/submit/bench/ANALYSIS.md"
  fi
} > "$out"
