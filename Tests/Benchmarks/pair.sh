#!/usr/bin/env bash
# Paired A/B of two formulary-bench builds: each round runs both back to back (the order
# alternates), and the ratio new/old of that round's medians is kept. On a host whose speed
# drifts (this project's swung by a factor of two within an afternoon), the median of the
# per-round ratios says more than two separate runs of analyze.sh.
#
# usage: Tests/Benchmarks/pair.sh OLD NEW [--rounds N] [--wide]
#   OLD, NEW: formulary-bench executables, each inside its own checkout at
#             CHECKOUT/.build-bench/release/formulary-bench (each runs from its checkout, with
#             its own criteria, reference and patient files). For example:
#               git worktree add /tmp/old f209892
#               (cd /tmp/old && swift build -c release --product formulary-bench --scratch-path .build-bench)
#               swift build -c release --product formulary-bench --scratch-path .build-bench
#               bash Tests/Benchmarks/pair.sh /tmp/old/.build-bench/release/formulary-bench \
#                 .build-bench/release/formulary-bench --rounds 16
#   --rounds N: rounds (default 12).
#   --wide: one patient x every formulary (5 passes a run) instead of one patient x one plan
#           (150 iterations a run).
# Prints each round's values and ratios, then per measure the median of each build and the
# median ratio. The database is the one analyze.sh builds (bundled data and the generated 1.5M-row
# Part D set), imported with this checkout's release CLI.
# Exit: 0 done; 1 a tool failed; 2 usage.
set -euo pipefail
script=pair.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rounds=12
wide=0
positional=()
while (($#)); do
  case $1 in
    --rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
    --wide) wide=1; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    -*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
((${#positional[@]} == 2)) || die "name two formulary-bench executables, OLD and NEW (see --help)"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive whole number, not '$rounds'"
old=$(cd "$(dirname "${positional[0]}")" && pwd)/$(basename "${positional[0]}")
new=$(cd "$(dirname "${positional[1]}")" && pwd)/$(basename "${positional[1]}")
for exe in "$old" "$new"; do
  [[ -x $exe ]] || die "not an executable: $exe"
done
checkout() { (cd "$(dirname "$1")/../.." && pwd); }

build_cli
make_tmp
analysis_database

# run EXE: one run's three measures, space-separated.
run() {
  local out
  if ((wide)); then
    out=$(cd "$(checkout "$1")" && "$1" --db "$db" --patient Formularies/patients/medicare-continuing.yaml --plan H9990-001-000 \
          --iterations 5 --all-formularies) || die "$1 failed" 1
    awk '$1 == "all_formularies_ms" { a = $2 } $1 == "all_formularies_store_ms" { b = $2 } $1 == "all_formularies_memory_ms" { c = $2 } END { print a, b, c }' <<<"$out"
  else
    out=$(cd "$(checkout "$1")" && "$1" --db "$db" --patient Formularies/patients/s1-baseline.yaml --plan 99990AZ0010001 \
          --iterations 150) || die "$1 failed" 1
    awk '$1 == "single_median_ms" { a = $2 } $1 == "single_one_thread_median_ms" { b = $2 } $1 == "single_memory_median_ms" { c = $2 } END { print a, b, c }' <<<"$out"
  fi
}

if ((wide)); then
  names=("404 formularies (ms)" "store reads, one thread (ms)" "analysis from memory (ms)")
else
  names=("one plan (ms)" "one plan, one thread (ms)" "analysis from memory, one thread (ms)")
fi
results="$tmp/rounds.txt"
: >"$results"
echo "== $rounds rounds: OLD $old, NEW $new" >&2
for r in $(seq "$rounds"); do
  if ((r % 2)); then a=$(run "$old"); b=$(run "$new"); else b=$(run "$new"); a=$(run "$old"); fi
  echo "$a $b" >>"$results"
  echo "round $r: old $a  new $b"
done
echo
printf '%-40s %10s %10s %10s\n' measure "old (med)" "new (med)" "new/old"
for i in 0 1 2; do
  old_values=$(awk -v c=$((i + 1)) '{ print $c }' "$results")
  new_values=$(awk -v c=$((i + 4)) '{ print $c }' "$results")
  ratio=$(awk -v c=$((i + 1)) '{ print $(c + 3) / $c }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  # shellcheck disable=SC2086
  printf '%-40s %10s %10s %10s\n' "${names[$i]}" "$(median $old_values)" "$(median $new_values)" "$ratio"
done
