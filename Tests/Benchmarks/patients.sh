#!/usr/bin/env bash
# Patient-records import benchmark: `formulary patient import` of a generated FHIR bulk export
# (NDJSON) of 10,000 pharmacy claims (CARIN Blue Button ExplanationOfBenefits, made by
# gen_patient_claims.py), end to end: reading, NDC → RxCUI through a database holding the drug
# reference and a generated RxNorm release mapping the claims' NDCs, fills into trials, and the
# profile YAML written to a file (mode 0600).
#
# usage: Tests/Benchmarks/patients.sh [--claims N] [--runs N] [--bin PATH]
# Target: the import of 10,000 claims < 1 s (median of N runs, default 5; release build).
# Exit: 0 target met; 1 a tool failed; 2 usage or setup; 3 the target was missed.
set -euo pipefail
script=patients.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

claims=10000
runs=5
custom_bin=
while (($#)); do
  case $1 in
    --claims) claims=${2:?--claims needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --bin) custom_bin=${2:?--bin needs a path}; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
require_gnu_time
if [[ -n $custom_bin ]]; then bin=$custom_bin; else build_cli; fi
[[ -x $bin ]] || die "no executable at $bin" 2
make_tmp

mkdir -p "$data"
claims_file="$data/patient-claims-$claims.ndjson"
rxnorm="$data/patient-claims-$claims-rxnorm"
if [[ ! -f $claims_file || $here/gen_patient_claims.py -nt $claims_file ]]; then
  echo "== generating $claims_file" >&2
  rm -rf "$rxnorm"
  python3 "$here/gen_patient_claims.py" "$claims_file" --claims "$claims" --rxnorm "$rxnorm" >&2 || die "the generator failed" 1
fi
db="$tmp/bench.sqlite"
cd "$root"
echo "== importing the drug reference into $db" >&2
"$bin" import --db "$db" Formularies/reference/rxnorm_subset.csv >/dev/null || die "import of the drug reference failed" 1
"$bin" import --db "$db" --source rxnorm-bench "$rxnorm" >/dev/null || die "import of the generated RxNorm release failed" 1

echo "== formulary patient import ($runs runs, file in the page cache)" >&2
cat "$claims_file" >/dev/null
for i in $(seq "$runs"); do
  rm -f "$tmp/profile.yaml"
  timed "run-$i" "$bin" patient import --db "$db" "$claims_file" --out "$tmp/profile.yaml" || {
    cat "$tmp/run-$i.log" >&2
    die "formulary patient import failed" 1
  }
  echo "$secs $rss_mb" >>"$tmp/runs.txt"
done
median=$(sort -n "$tmp/runs.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
rss=$(sort -n -k2 "$tmp/runs.txt" | tail -n 1 | awk '{ print $2 }')
fills=$(grep -c '^  - fillDate:' "$tmp/profile.yaml" || true)
trials=$(awk '/^trials:/ { t = 1; next } /^[a-z]/ { t = 0 } t && /^  - / { n++ } END { print n + 0 }' "$tmp/profile.yaml")
mode=$(stat -c '%a' "$tmp/profile.yaml")
mapped=$(grep -c '^    rxcui:' "$tmp/profile.yaml" || true)

echo
echo "Patient records import — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs"
printf '%-44s %12s\n' measure value
printf '%-44s %12s\n' "claims in the NDJSON" "$claims"
printf '%-44s %12s\n' "fills in the profile" "$fills"
printf '%-44s %12s\n' "fills with an RxCUI" "$mapped"
printf '%-44s %12s\n' "trials built from them" "$trials"
printf '%-44s %12s\n' "patient import, median of $runs (s)" "$median"
printf '%-44s %12s\n' "peak RSS (MB)" "$rss"
printf '%-44s %12s\n' "profile file mode" "$mode"
echo
echo "Targets:"
check "$( [[ $fills == "$claims" ]] && echo 1 || echo 0 )" "every claim is a fill ($fills of $claims)"
check "$( [[ $mode == 600 ]] && echo 1 || echo 0 )" "the profile is written with mode 0600"
if [[ $claims == 10000 ]]; then
  check "$(below "$median" 1)" "10,000 claims import in under 1 s ($median s)"
fi
exit $((missed ? 3 : 0))
