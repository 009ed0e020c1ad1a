#!/usr/bin/env bash
# Part D import benchmark: `formulary import` against the sqlite3 shell's `.import` + index, on the
# same generated real-scale file, in the same run (see README.md beside this script).
#
# usage: Tests/Benchmarks/partd.sh [--scales "1 10"] [--runs N] [--baseline-only] [--regenerate] [--bin PATH]
#   --scales         which data sizes to run (multiples of 400 formularies x ~3,800 RxCUIs); default "1 10"
#   --runs N         runs of each tool per scale, interleaved (sqlite3, formulary, sqlite3, ...); the
#                    medians are compared (default 3)
#   --baseline-only  skip the build and the CLI; time sqlite3 only
#   --regenerate     rebuild the generated data even if it is present
#   --bin PATH       time this formulary binary instead of building .build-bench/release/formulary
# env: BENCH_TMP  folder for the temporary databases (default: $TMPDIR or /tmp); they are deleted at exit
#
# Every run checks that both tools loaded the file's row count. Targets (checked when the CLI runs,
# on the medians): at most 0.5 x the time of sqlite3 .import + CREATE INDEX at every scale; peak
# RSS < 150 MB (the largest of the runs); the 10x time <= 10.5 x the 1x time.
# Exit: 0 targets met; 1 the build, the CLI or sqlite3 failed, or the row counts differ; 2 usage or
# setup; 3 a target was missed.
set -euo pipefail
script=partd.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scales="1 10"
ratio_limit=0.5
baseline_only=0
rss_limit_mb=150
scaling_limit=10.5

while (($#)); do
  common_arg "$@"
  if ((shifted)); then shift "$shifted"; continue; fi
  case $1 in
    --scales) scales=${2:?--scales needs a value}; shift 2 ;;
    --baseline-only) baseline_only=1; shift ;;
    *) unknown_arg "$1" ;;
  esac
done
check_runs "$runs"
for s in $scales; do
  [[ $s =~ ^[1-9][0-9]*$ ]] || { echo "--scales takes positive integers, got '$s'" >&2; exit 2; }
done

command -v python3 >/dev/null || die "python3 is required"
command -v sqlite3 >/dev/null || die "sqlite3 is required (apt-get install -y sqlite3)"
require_gnu_time
((baseline_only || prebuilt)) || build_cli
((baseline_only)) || [[ -x $bin ]] || die "no executable at $bin" 1
make_tmp

# Generates data/partd-<N>x unless it is there and newer than the generator.
ensure_data() {
  local scale=$1 dir="$data/partd-${scale}x"
  if ((regenerate)) || [[ ! -f $dir/MANIFEST.json || $here/gen_partd.py -nt $dir/MANIFEST.json ]]; then
    echo "== generating $dir" >&2
    rm -rf "$dir" "$dir.partial"
    python3 "$here/gen_partd.py" "$dir.partial" --scale "$scale" || die "the generator failed" 1
    mv "$dir.partial" "$dir"
  fi
}

manifest() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1/MANIFEST.json" "$2"; }

declare -A rows f_secs f_mb s_secs s_mb
for scale in $scales; do
  ensure_data "$scale"
  dir="$data/partd-${scale}x"
  file="$dir/basic drugs formulary file  PPUF_2026Q1.txt"
  rows[$scale]=$(manifest "$dir" basic_rows)

  # sqlite3 baseline: a new table from the header row, then the lookup index.
  cat >"$tmp/baseline.sql" <<SQL
.bail on
.mode csv
.separator "|" "\r\n"
.import '$file' basic
CREATE INDEX basic_formulary_rxcui ON basic(FORMULARY_ID, RXCUI);
SQL
  s_all=() s_rss=() f_all=() f_rss=()
  for ((run = 1; run <= runs; run++)); do
    cat "$file" >/dev/null # same warm page cache for both tools
    echo "== ${scale}x run $run/$runs: sqlite3 .import + CREATE INDEX (${rows[$scale]} rows)" >&2
    rm -f "$tmp/baseline.db"
    timed "sqlite-$scale" sqlite3 "$tmp/baseline.db" <"$tmp/baseline.sql" \
      || { cat "$tmp/sqlite-$scale.log" >&2; die "sqlite3 failed" 1; }
    s_all+=("$secs") s_rss+=("$rss_mb")
    got=$(sqlite3 "$tmp/baseline.db" "SELECT count(*) FROM basic WHERE SELECTED_DRUG_YN IN ('Y','N')")
    same_rows "sqlite3 clean rows, ${scale}x" "${rows[$scale]}" "$got"
    rm -f "$tmp/baseline.db"

    ((baseline_only)) && continue
    cat "$file" >/dev/null
    echo "== ${scale}x run $run/$runs: formulary import --format partd" >&2
    run_formulary "formulary-$scale" --format partd "$dir"
    f_all+=("$secs") f_rss+=("$rss_mb")
    echo "   sqlite3 ${s_all[-1]} s, formulary $secs s ($rss_mb MB)" >&2
    got=$(sqlite3 "$tmp/bench.sqlite" "SELECT count(*) FROM entry")
    same_rows "formulary entries, ${scale}x" "${rows[$scale]}" "$got"
    rm -f "$tmp/bench.sqlite"*
  done
  s_secs[$scale]=$(median "${s_all[@]}") s_mb[$scale]=$(max_of "${s_rss[@]}")
  if ((!baseline_only)); then
    f_secs[$scale]=$(median "${f_all[@]}") f_mb[$scale]=$(max_of "${f_rss[@]}")
    echo "   ${scale}x runs: sqlite3 ${s_all[*]} s; formulary ${f_all[*]} s" >&2
  fi
done

# Report.
echo
echo "Part D basic formulary import — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), median of $runs run(s), peak RSS the largest"
printf '%-6s %12s %12s %13s %11s %13s %16s\n' scale rows formulary_s formulary_MB sqlite3_s sqlite3_MB "ratio(f/sqlite)"
for scale in $scales; do
  printf '%-6s %12s %12s %13s %11s %13s %16s\n' "${scale}x" "${rows[$scale]}" \
    "${f_secs[$scale]:--}" "${f_mb[$scale]:--}" "${s_secs[$scale]}" "${s_mb[$scale]}" \
    "$( ((baseline_only)) && echo - || ratio "${f_secs[$scale]}" "${s_secs[$scale]}")"
done

((baseline_only)) && exit 0

echo "targets:"
for scale in $scales; do
  r=$(ratio "${f_secs[$scale]}" "${s_secs[$scale]}")
  check "$(at_most "$r" $ratio_limit)" "${scale}x: at most $ratio_limit x sqlite3 .import + index (ratio $r)"
  check "$(below "${f_mb[$scale]}" $rss_limit_mb)" "${scale}x: peak RSS ${f_mb[$scale]} MB < $rss_limit_mb MB"
done
if [[ -n ${f_secs[1]:-} && -n ${f_secs[10]:-} ]]; then
  r=$(ratio "${f_secs[10]}" "${f_secs[1]}")
  echo "formulary 10x/1x time ratio: $r"
  check "$(at_most "$r" $scaling_limit)" "10x time <= $scaling_limit x the 1x time ($r)"
fi
exit $((missed ? 3 : 0))
