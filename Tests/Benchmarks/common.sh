# Shared by the benchmark scripts in this folder: tool checks, the release build, timing and
# the PASS/FAIL report. Source it after setting `script` (the caller's name, for messages).
# shellcheck shell=bash

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
data="$here/data"
bin="$root/.build-bench/release/formulary"

runs=3       # runs of each tool; the medians are compared
regenerate=0 # 1: rebuild the generated data even if it is present
prebuilt=0   # 1: --bin named the binary to time, so nothing is built

die() { echo "${script:-bench}: $1" >&2; exit "${2:-2}"; }

# Installs GNU time when it is missing (root with apt only).
require_gnu_time() {
  [[ -x /usr/bin/time ]] && return
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing GNU time (apt-get install -y time)" >&2
    apt-get install -y time >/dev/null || die "could not install GNU time"
  else
    die "GNU time is required at /usr/bin/time (apt-get install -y time)"
  fi
}

# Builds the CLI in release under its own scratch path, so .build/ is never disturbed.
build_cli() {
  echo "== building the CLI (release, scratch path .build-bench)" >&2
  (cd "$root" && swift build -c release --product formulary --scratch-path .build-bench) >&2 \
    || die "swift build failed" 1
  [[ -x $bin ]] || die "no executable at $bin" 1
}

# A temporary folder for databases, removed at exit. Sets `tmp`.
make_tmp() {
  local parent=${BENCH_TMP:-${TMPDIR:-/tmp}}
  mkdir -p "$parent"
  tmp=$(mktemp -d "$parent/${script:-bench}.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
}

# timed NAME cmd... : runs cmd under GNU time; sets secs and rss_mb; returns cmd's status.
timed() {
  local name=$1; shift
  local rc=0
  /usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" >"$tmp/$name.log" 2>&1 || rc=$?
  read -r secs rss_kb < <(tail -n 1 "$tmp/$name.time")
  rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  return $rc
}

# median NUMBER... : the median (the mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# max NUMBER... : the largest.
max_of() { printf '%s\n' "$@" | sort -g | tail -n 1; }

# common_arg ARGS... : handles the options every script takes (--runs N, --regenerate, --bin PATH,
# --help). Sets `shifted` to how many arguments it used: 0 for an option it leaves to the script.
common_arg() {
  shifted=0
  case $1 in
    --runs) runs=${2:?--runs needs a value}; shifted=2 ;;
    --regenerate) regenerate=1; shifted=1 ;;
    --bin) bin=${2:?--bin needs a path}; prebuilt=1; shifted=2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
  esac
}
unknown_arg() { echo "unknown argument: $1 (see --help)" >&2; exit 2; }

# run_formulary NAME ARGS... : a fresh $tmp/bench.sqlite, then `formulary import --db it ARGS...` under
# `timed NAME`; shows the end of the output and fails the script (exit 1) when the import fails.
run_formulary() {
  local name=$1; shift
  rm -f "$tmp/bench.sqlite"*
  if ! timed "$name" "$bin" import --db "$tmp/bench.sqlite" "$@"; then
    echo "--- formulary import output (last 40 lines)" >&2
    tail -n 40 "$tmp/$name.log" >&2
    die "formulary import failed ($name)" 1
  fi
}

# Checks that --runs got a positive integer.
check_runs() { [[ $1 =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive integer, got '$1'"; }

# same_rows WHAT EXPECTED GOT : fails the script (exit 1) when the row counts differ.
same_rows() {
  [[ $2 == "$3" ]] || die "row counts differ for $1: expected $2, got $3" 1
  echo "   rows checked: $1 = $3" >&2
}

# json_field JSON KEY : one top-level field of a JSON object (a baseline's result line).
json_field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

missed=0
# check OK? MESSAGE : prints PASS or FAIL and remembers a miss.
check() {
  if [[ $1 == 1 ]]; then echo "  PASS  $2"; else echo "  FAIL  $2"; missed=1; fi
}
below() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) }'; }

# analysis_database: the database the analysis benchmarks read (analyze.sh, pair.sh) at
# $tmp/bench.sqlite: the bundled RxNorm subset, Part D sample and Formulary A, and the 1.5M-row
# Part D set made with `gen_partd.py --trd` (generated when missing or older than the generator).
# Needs build_cli and make_tmp first. Sets `db`.
analysis_database() {
  local dir="$data/partd-1x-trd" source
  if [[ ! -f $dir/MANIFEST.json || $here/gen_partd.py -nt $dir/MANIFEST.json ]]; then
    echo "== generating $dir" >&2
    rm -rf "$dir"
    python3 "$here/gen_partd.py" "$dir" --trd >&2 || die "the generator failed" 1
  fi
  db="$tmp/bench.sqlite"
  for source in "reference Formularies/reference/rxnorm_subset.csv" "sample Formularies/partd/2026Q1" "reference-a Formularies/qhp/reference-a" "bench $dir"; do
    set -- $source
    echo "== importing $2" >&2
    (cd "$root" && "$bin" import --db "$db" --source "$1" "$2" >/dev/null) || die "import of $2 failed" 1
  done
}
