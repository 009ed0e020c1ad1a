#!/usr/bin/env bash
# FHIR import benchmark: `formulary import --format fhir` on a generated ~1 GB FHIR XML Bundle
# (~250,000 FormularyItems), against `xmllint --stream` and Python lxml `iterparse` extracting the same
# fields (fhir_lxml.py), on the same file, in the same run. The Bundle comes from gen_fhir.py (generated
# once into data/fhir/, regenerated when the generator changes).
#
# usage: Tests/Benchmarks/fhir.sh [--bin PATH] [--regenerate] [--runs N]
#   --bin PATH     time this binary instead of building .build-bench/release/formulary; it is called as
#                  `PATH import --db <tmp> --format fhir <file>` (the CLI's shape)
#   --regenerate   rebuild the generated Bundle even if it is present
#   --runs N       runs of each tool, interleaved (formulary, xmllint, lxml, formulary, ...); the medians
#                  are compared (default 3)
# env: BENCH_TMP  folder for the temporary database (default: $TMPDIR or /tmp); deleted at exit
#
# Every run checks that formulary stored as many FormularyItems, FormularyDrugs and InsurancePlans
# (plans + formularies) as lxml found, and as many FormularyItems as the generator wrote. Targets (medians): at most 0.35 x lxml's time; at most 1.5 x
# `xmllint --stream --noout` (the libxml2 parse floor); peak RSS < 100 MB (the largest of the runs).
# Needs python3 with lxml (`python3 -m pip install lxml`; installed on first run if missing), xmllint.
# Exit: 0 targets met; 1 the build, the importer or a baseline failed, or the counts differ; 2 usage or
# setup; 3 a target was missed.
set -euo pipefail
script=fhir.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
file="$data/fhir/formulary-bundle.xml"
rss_limit_mb=100
lxml_limit=0.35
xmllint_limit=1.5

while (($#)); do
  common_arg "$@"
  if ((shifted)); then shift "$shifted"; continue; fi
  case $1 in
    *) unknown_arg "$1" ;;
  esac
done
check_runs "$runs"

as_root_install() {  # as_root_install COMMAND APT_PACKAGE
  command -v "$1" >/dev/null && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing $2 (apt-get install -y $2)" >&2
    apt-get install -y "$2" >/dev/null || die "could not install $2"
  else
    die "$1 is required (apt-get install -y $2)"
  fi
}
command -v python3 >/dev/null || die "python3 is required"
require_gnu_time
as_root_install xmllint libxml2-utils
as_root_install sqlite3 sqlite3
if ! python3 -c 'import lxml' 2>/dev/null; then
  echo "== installing lxml (python3 -m pip install lxml)" >&2
  python3 -m pip install --quiet lxml || die "lxml is required (pip install lxml)"
fi
((prebuilt)) || build_cli
[[ -x $bin ]] || die "no executable at $bin" 1

if ((regenerate)) || [[ ! -f $file.manifest.json || $here/gen_fhir.py -nt $file.manifest.json ]]; then
  echo "== generating $file" >&2
  mkdir -p "$(dirname "$file")"
  rm -f "$file" "$file.manifest.json"
  python3 "$here/gen_fhir.py" "$file" || die "the generator failed" 1
fi
manifest() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$file.manifest.json" "$1"; }
items=$(manifest FormularyItem)
bytes=$(manifest bytes)

make_tmp

f_all=() f_rss=() x_all=() x_rss=() l_all=() l_rss=()
for ((run = 1; run <= runs; run++)); do
  cat "$file" >/dev/null # warm the page cache: every tool reads the file from memory
  echo "== run $run/$runs: formulary import --format fhir" >&2
  run_formulary formulary --format fhir --source bench "$file"
  f_all+=("$secs") f_rss+=("$rss_mb")
  read -r f_items f_drugs f_plans < <(sqlite3 -separator ' ' "$tmp/bench.sqlite" \
    "SELECT (SELECT count(*) FROM entry) + (SELECT count(*) FROM plan_entry), (SELECT count(*) FROM drug),
      (SELECT count(*) FROM plan) + (SELECT count(*) FROM formulary)")
  rm -f "$tmp/bench.sqlite"*

  cat "$file" >/dev/null
  echo "== run $run/$runs: xmllint --stream --noout" >&2
  timed xmllint xmllint --stream --noout "$file" || { cat "$tmp/xmllint.log" >&2; die "xmllint failed" 1; }
  x_all+=("$secs") x_rss+=("$rss_mb")

  cat "$file" >/dev/null
  echo "== run $run/$runs: python3 fhir_lxml.py (lxml iterparse)" >&2
  timed lxml python3 "$here/fhir_lxml.py" "$file" || { cat "$tmp/lxml.log" >&2; die "the lxml baseline failed" 1; }
  l_all+=("$secs") l_rss+=("$rss_mb")
  counts=$(tail -n 1 "$tmp/lxml.log")
  echo "   formulary ${f_all[-1]} s, xmllint ${x_all[-1]} s, lxml ${l_all[-1]} s" >&2

  same_rows "FormularyItems, generator vs lxml" "$items" "$(json_field "$counts" FormularyItem)"
  same_rows "FormularyItems, lxml vs formulary entries" "$(json_field "$counts" FormularyItem)" "$f_items"
  same_rows "FormularyDrugs, lxml vs formulary drugs" "$(json_field "$counts" FormularyDrug)" "$f_drugs"
  same_rows "InsurancePlans (payer plans and Formularies), lxml vs formulary plans + formularies" "$(json_field "$counts" InsurancePlan)" "$f_plans"
done
f_secs=$(median "${f_all[@]}") f_mb=$(max_of "${f_rss[@]}")
x_secs=$(median "${x_all[@]}") x_mb=$(max_of "${x_rss[@]}")
l_secs=$(median "${l_all[@]}") l_mb=$(max_of "${l_rss[@]}")
echo "   runs: formulary ${f_all[*]} s; xmllint ${x_all[*]} s; lxml ${l_all[*]} s" >&2

rx=$(ratio "$f_secs" "$x_secs") rl=$(ratio "$f_secs" "$l_secs")
echo
echo "FHIR XML Bundle — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs: $bytes bytes, $items FormularyItems, median of $runs run(s)"
printf '%-34s %9s %12s %14s\n' tool seconds "peak RSS MB" "formulary / it"
printf '%-34s %9s %12s %14s\n' "formulary import --format fhir" "$f_secs" "$f_mb" "1.00"
printf '%-34s %9s %12s %14s\n' "xmllint --stream --noout" "$x_secs" "$x_mb" "$rx"
printf '%-34s %9s %12s %14s\n' "lxml iterparse (fhir_lxml.py)" "$l_secs" "$l_mb" "$rl"
echo "targets:"
check "$(at_most "$rl" $lxml_limit)" "at most $lxml_limit x lxml's time (ratio $rl)"
check "$(at_most "$rx" $xmllint_limit)" "at most $xmllint_limit x xmllint --stream's time (ratio $rx)"
check "$(below "$f_mb" $rss_limit_mb)" "peak RSS $f_mb MB < $rss_limit_mb MB"
exit $((missed ? 3 : 0))
