#!/usr/bin/env bash
# Part D import benchmark: `formulary import` against the sqlite3 shell's `.import` + index, on the
# same generated real-scale file, in the same run (see README.md beside this script).
#
# usage: Tests/Benchmarks/partd.sh [--scales "1 10"] [--baseline-only] [--regenerate] [--bin PATH]
#   --scales         which data sizes to run (multiples of 400 formularies x ~3,800 RxCUIs); default "1 10"
#   --baseline-only  skip the build and the CLI; time sqlite3 only
#   --regenerate     rebuild the generated data even if it is present
#   --bin PATH       time this formulary binary instead of building .build-bench/release/formulary
# env: BENCH_TMP  folder for the temporary databases (default: $TMPDIR or /tmp); they are deleted at exit
#
# Targets (checked when the CLI runs): faster than sqlite3 .import + CREATE INDEX at every scale;
# peak RSS < 150 MB; the 10x time <= 10.5 x the 1x time.
# Exit: 0 targets met; 1 the build, the CLI or sqlite3 failed; 2 usage or setup; 3 a target was missed.
set -euo pipefail
script=partd.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scales="1 10"
baseline_only=0
regenerate=0
prebuilt=0
rss_limit_mb=150
scaling_limit=10.5

while (($#)); do
  case $1 in
    --scales) scales=${2:?--scales needs a value}; shift 2 ;;
    --baseline-only) baseline_only=1; shift ;;
    --regenerate) regenerate=1; shift ;;
    --bin) bin=${2:?--bin needs a path}; prebuilt=1; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
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
  cat "$file" >/dev/null # same warm page cache for both tools
  echo "== ${scale}x: sqlite3 .import + CREATE INDEX (${rows[$scale]} rows)" >&2
  rm -f "$tmp/baseline.db"
  timed "sqlite-$scale" sqlite3 "$tmp/baseline.db" <"$tmp/baseline.sql" \
    || { cat "$tmp/sqlite-$scale.log" >&2; die "sqlite3 failed" 1; }
  s_secs[$scale]=$secs s_mb[$scale]=$rss_mb
  got=$(sqlite3 "$tmp/baseline.db" "SELECT count(*) FROM basic WHERE SELECTED_DRUG_YN IN ('Y','N')")
  [[ $got == "${rows[$scale]}" ]] || die "sqlite3 imported $got clean rows, expected ${rows[$scale]}" 1
  rm -f "$tmp/baseline.db"

  if ((!baseline_only)); then
    cat "$file" >/dev/null
    echo "== ${scale}x: formulary import --format partd" >&2
    rm -f "$tmp/bench.sqlite"*
    if ! timed "formulary-$scale" "$bin" import --db "$tmp/bench.sqlite" --format partd "$dir"; then
      echo "--- formulary import output (last 40 lines)" >&2
      tail -n 40 "$tmp/formulary-$scale.log" >&2
      die "formulary import failed at ${scale}x" 1
    fi
    tail -n 3 "$tmp/formulary-$scale.log" | sed 's/^/   /' >&2
    f_secs[$scale]=$secs f_mb[$scale]=$rss_mb
    rm -f "$tmp/bench.sqlite"*
  fi
done

# Report.
echo
echo "Part D basic formulary import — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
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
  check "$(below "$r" 1)" "${scale}x: faster than sqlite3 .import + index (ratio $r < 1)"
  check "$(below "${f_mb[$scale]}" $rss_limit_mb)" "${scale}x: peak RSS ${f_mb[$scale]} MB < $rss_limit_mb MB"
done
if [[ -n ${f_secs[1]:-} && -n ${f_secs[10]:-} ]]; then
  r=$(ratio "${f_secs[10]}" "${f_secs[1]}")
  echo "formulary 10x/1x time ratio: $r"
  check "$(at_most "$r" $scaling_limit)" "10x time <= $scaling_limit x the 1x time ($r)"
fi
exit $((missed ? 3 : 0))
