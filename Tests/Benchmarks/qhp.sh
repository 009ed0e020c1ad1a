#!/usr/bin/env bash
# QHP marketplace import benchmark: `formulary import` of a generated ~500 MB drugs.json (about
# 7,000 drugs x 1.5M plan entries) and its plans.json, against DuckDB's read_json + unnest into a
# table, on the same files, in the same run.
#
# usage: Tests/Benchmarks/qhp.sh [--regenerate] [--bin PATH]
# Targets: no slower than DuckDB; peak RSS < 150 MB.
# Exit: 0 targets met; 1 a tool failed; 2 usage or setup; 3 a target was missed.
set -euo pipefail
script=qhp.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

regenerate=0
prebuilt=0
rss_limit_mb=150
while (($#)); do
  case $1 in
    --regenerate) regenerate=1; shift ;;
    --bin) bin=${2:?--bin needs a path}; prebuilt=1; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v python3 >/dev/null || die "python3 is required"
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

cat "$dir"/*.json >/dev/null # same warm page cache for both tools
echo "== DuckDB read_json + unnest into a table" >&2
timed duckdb python3 "$here/qhp_duckdb.py" "$dir/drugs.json" "$tmp/baseline.duckdb" \
  || { cat "$tmp/duckdb.log" >&2; die "duckdb failed" 1; }
d_secs=$secs d_mb=$rss_mb
rm -f "$tmp/baseline.duckdb"*

cat "$dir"/*.json >/dev/null
echo "== formulary import --format qhp" >&2
if ! timed formulary "$bin" import --db "$tmp/bench.sqlite" --format qhp --source bench "$dir/plans.json" "$dir/drugs.json"; then
  tail -n 40 "$tmp/formulary.log" >&2
  die "formulary import failed" 1
fi
grep -E "drug plan entries|drugs:" "$tmp/formulary.log" | sed 's/^/   /' >&2
f_secs=$secs f_mb=$rss_mb

echo
echo "QHP drugs.json import — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs, DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)')"
printf '%-10s %12s %13s %10s %11s %16s\n' drugs_MB formulary_s formulary_MB duckdb_s duckdb_MB "ratio(f/duckdb)"
r=$(ratio "$f_secs" "$d_secs")
printf '%-10s %12s %13s %10s %11s %16s\n' "$mb" "$f_secs" "$f_mb" "$d_secs" "$d_mb" "$r"
echo "targets:"
check "$(at_most "$r" 1)" "no slower than DuckDB (ratio $r <= 1)"
check "$(below "$f_mb" $rss_limit_mb)" "peak RSS $f_mb MB < $rss_limit_mb MB"
exit $((missed ? 3 : 0))
