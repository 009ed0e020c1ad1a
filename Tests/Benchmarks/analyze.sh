#!/usr/bin/env bash
# Analysis benchmark: the analyzer in process (one patient × one plan; one patient × every
# formulary of the 1.5M-row Part D set, here generated with the bundled sample's real TRD RxCUIs
# so the analysis finds its drugs), and `formulary analyze` end to end on a warm database.
#
# usage: Tests/Benchmarks/analyze.sh [--runs N]
# Targets: one patient × one plan < 1 ms median; × every formulary (~400) < 100 ms;
#          `formulary analyze` end to end < 150 ms (median of N runs, default 20).
# Exit: 0 targets met; 1 a tool failed; 2 usage or setup; 3 a target was missed.
set -euo pipefail
script=analyze.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=20
while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
require_gnu_time
build_cli
echo "== building formulary-bench (release)" >&2
(cd "$root" && swift build -c release --product formulary-bench --scratch-path .build-bench) >&2 || die "swift build failed" 1
bench="$root/.build-bench/release/formulary-bench"
make_tmp
analysis_database
cd "$root"

single_patient=Formularies/patients/s1-baseline.yaml
single_plan=99990AZ0010001
wide_patient=Formularies/patients/medicare-continuing.yaml
wide_plan=H9990-001-000
echo "== in process: $single_patient × $single_plan" >&2
"$bench" --db "$db" --patient "$single_patient" --plan "$single_plan" --iterations 1000 >"$tmp/single.txt" || die "formulary-bench failed" 1
echo "== in process: $wide_patient × every formulary" >&2
"$bench" --db "$db" --patient "$wide_patient" --plan "$wide_plan" --iterations 300 --all-formularies >"$tmp/wide.txt" || die "formulary-bench failed" 1
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
single_ms=$(get single_median_ms "$tmp/single.txt")
single_p90=$(get single_p90_ms "$tmp/single.txt")
single_serial=$(get single_one_thread_median_ms "$tmp/single.txt")
single_store=$(get single_store_median_ms "$tmp/single.txt")
single_memory=$(get single_memory_median_ms "$tmp/single.txt")
single_memory_two=$(get single_memory_two_cores_median_ms "$tmp/single.txt")
wide_single=$(get single_median_ms "$tmp/wide.txt")
wide_ms=$(get all_formularies_ms "$tmp/wide.txt")
wide_store=$(get all_formularies_store_ms "$tmp/wide.txt")
wide_memory=$(get all_formularies_memory_ms "$tmp/wide.txt")
formularies=$(get formularies "$tmp/wide.txt")
cores=$(get cores "$tmp/wide.txt")

echo "== end to end: formulary analyze ($runs runs, warm database)" >&2
"$bin" analyze --db "$db" --patient "$single_patient" --json >/dev/null || die "formulary analyze failed" 1
for i in $(seq "$runs"); do
  /usr/bin/time -f '%e' -o "$tmp/e2e-$i.time" "$bin" analyze --db "$db" --patient "$single_patient" --json >/dev/null
done
e2e_ms=$(cat "$tmp"/e2e-*.time | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f", a[int((NR + 1) / 2)] * 1000 }')

echo
echo "Analysis — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs"
printf '%-52s %12s\n' measure value
printf '%-52s %12s\n' "one patient x one plan, median (ms)" "$single_ms"
printf '%-52s %12s\n' "one patient x one plan, p90 (ms)" "$single_p90"
printf '%-52s %12s\n' "  on one thread, as the web server runs it (ms)" "$single_serial"
printf '%-52s %12s\n' "  of which store reads alone (ms)" "$single_store"
printf '%-52s %12s\n' "  of which analysis from memory, one thread (ms)" "$single_memory"
printf '%-52s %12s\n' "  the same analysis from memory on two cores (ms)" "$single_memory_two"
printf '%-52s %12s\n' "$(basename "$wide_patient") x $wide_plan alone (ms)" "$wide_single"
printf '%-52s %12s\n' "one patient x every formulary ($formularies), median (ms)" "$wide_ms"
printf '%-52s %12s\n' "  store reads alone, one thread (ms)" "$wide_store"
printf '%-52s %12s\n' "  analysis from memory, $cores cores (ms)" "$wide_memory"
printf '%-52s %12s\n' "formulary analyze end to end, median of $runs (ms)" "$e2e_ms"
echo "targets:"
check "$(below "$single_ms" 1)" "one plan: ${single_ms} ms < 1 ms"
check "$(below "$wide_ms" 100)" "every formulary: ${wide_ms} ms < 100 ms"
check "$(below "$e2e_ms" 150)" "end to end: ${e2e_ms} ms < 150 ms"
exit $((missed ? 3 : 0))
