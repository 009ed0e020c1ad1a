#!/usr/bin/env bash
# QHP marketplace import benchmark: `formulary import` of a generated ~500 MB drugs.json (about
# 7,000 drugs x 1.5M plan entries) and its plans.json, against DuckDB's read_json + unnest into a
# table persisted to a DuckDB file, on the same files, in the same run.
#
# usage: Tests/Benchmarks/qhp.sh [--runs N] [--regenerate] [--bin PATH]
#   --runs N   runs of each tool, interleaved (DuckDB, formulary, DuckDB, ...); medians compared (default 3)
# DuckDB is timed inside its Python process (qhp_duckdb.py), from connect to CHECKPOINT, so neither
# the interpreter's start nor `import duckdb` counts; formulary is timed as a whole process (GNU time).
# Every run checks that both loaded the same number of plan entries.
# Targets (medians): at most 0.8 x DuckDB's time; peak RSS < 150 MB (the largest of the runs).
# Needs python3 with duckdb (`python3 -m pip install duckdb`; installed on first run if missing).
# Exit: 0 targets met; 1 a tool failed or the row counts differ; 2 usage or setup; 3 a target was missed.
set -euo pipefail
script=qhp.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rss_limit_mb=150
ratio_limit=0.8
while (($#)); do
  common_arg "$@"
  if ((shifted)); then shift "$shifted"; continue; fi
  case $1 in
    *) unknown_arg "$1" ;;
  esac
done

check_runs "$runs"
command -v python3 >/dev/null || die "python3 is required"
command -v sqlite3 >/dev/null || die "sqlite3 is required, to count the imported rows (apt-get install -y sqlite3)"
require_gnu_time
if ! python3 -c 'import duckdb' 2>/dev/null; then
  echo "== installing DuckDB for Python (pip install duckdb)" >&2
  python3 -m pip install --quiet duckdb >&2 || die "could not install duckdb"
fi
((prebuilt)) || build_cli
make_tmp

dir="$data/qhp"
if ((regenerate)) || [[ ! -f $dir/drugs.json || $here/gen_qhp.py -nt $dir/drugs.json ]]; then
  echo "== generating $dir" >&2
  rm -rf "$dir"
  python3 "$here/gen_qhp.py" --out "$dir" >&2 || die "the generator failed" 1
fi
mb=$(du -m "$dir/drugs.json" | cut -f1)

d_all=() d_rss=() f_all=() f_rss=()
for ((run = 1; run <= runs; run++)); do
  cat "$dir"/*.json >/dev/null # same warm page cache for both tools
  echo "== run $run/$runs: DuckDB read_json + unnest into a table, CHECKPOINT" >&2
  rm -f "$tmp/baseline.duckdb"*
  timed duckdb python3 "$here/qhp_duckdb.py" "$dir/drugs.json" "$tmp/baseline.duckdb" \
    || { cat "$tmp/duckdb.log" >&2; die "duckdb failed" 1; }
  d_line=$(tail -n 1 "$tmp/duckdb.log")
  d_all+=("$(json_field "$d_line" seconds)") d_rss+=("$rss_mb")
  d_rows=$(json_field "$d_line" rows)
  rm -f "$tmp/baseline.duckdb"*

  cat "$dir"/*.json >/dev/null
  echo "== run $run/$runs: formulary import --format qhp" >&2
  run_formulary formulary --format qhp --source bench "$dir/plans.json" "$dir/drugs.json"
  f_all+=("$secs") f_rss+=("$rss_mb")
  echo "   DuckDB ${d_all[-1]} s (in process), formulary $secs s ($rss_mb MB)" >&2
  f_rows=$(sqlite3 "$tmp/bench.sqlite" "SELECT (SELECT count(*) FROM entry) + (SELECT count(*) FROM plan_entry)")
  same_rows "plan entries, formulary vs DuckDB" "$d_rows" "$f_rows"
  rm -f "$tmp/bench.sqlite"*
done
d_secs=$(median "${d_all[@]}") d_mb=$(max_of "${d_rss[@]}")
f_secs=$(median "${f_all[@]}") f_mb=$(max_of "${f_rss[@]}")
echo "   runs: DuckDB ${d_all[*]} s; formulary ${f_all[*]} s" >&2

echo
echo "QHP drugs.json import — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs, DuckDB $(json_field "$d_line" duckdb), median of $runs run(s)"
echo "(DuckDB: connect to CHECKPOINT inside Python; its peak RSS is the whole Python process's)"
printf '%-10s %12s %12s %13s %10s %11s %16s\n' drugs_MB entries formulary_s formulary_MB duckdb_s duckdb_MB "ratio(f/duckdb)"
r=$(ratio "$f_secs" "$d_secs")
printf '%-10s %12s %12s %13s %10s %11s %16s\n' "$mb" "$f_rows" "$f_secs" "$f_mb" "$d_secs" "$d_mb" "$r"
echo "targets:"
check "$(at_most "$r" $ratio_limit)" "at most $ratio_limit x DuckDB's time (ratio $r)"
check "$(below "$f_mb" $rss_limit_mb)" "peak RSS $f_mb MB < $rss_limit_mb MB"
exit $((missed ? 3 : 0))
