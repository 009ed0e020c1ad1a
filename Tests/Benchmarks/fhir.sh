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
#   --runs N       time each tool N times and keep the fastest (default 1)
# env: BENCH_TMP  folder for the temporary database (default: $TMPDIR or /tmp); deleted at exit
#
# Targets (checked when the importer runs): at most half of lxml's time; peak RSS < 100 MB.
# Exit: 0 targets met; 1 the build, the importer or a baseline failed; 2 usage or setup; 3 a target was missed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
data="$here/data/fhir"
file="$data/formulary-bundle.xml"
bin="$root/.build-bench/release/formulary"
prebuilt=0
regenerate=0
runs=1
rss_limit_mb=100
ratio_limit=0.5

while (($#)); do
  case $1 in
    --bin) bin=${2:?--bin needs a path}; prebuilt=1; shift 2 ;;
    --regenerate) regenerate=1; shift ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "--runs takes a positive integer" >&2; exit 2; }

die() { echo "fhir.sh: $1" >&2; exit "${2:-2}"; }
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
[[ -x /usr/bin/time ]] || as_root_install /usr/bin/time time
as_root_install xmllint libxml2-utils
if ! python3 -c 'import lxml' 2>/dev/null; then
  echo "== installing lxml (python3 -m pip install lxml)" >&2
  python3 -m pip install --quiet lxml || die "lxml is required (pip install lxml)"
fi

if ((!prebuilt)); then
  echo "== building the CLI (release, scratch path .build-bench)" >&2
  (cd "$root" && swift build -c release --product formulary --scratch-path .build-bench) >&2 \
    || die "swift build failed" 1
fi
[[ -x $bin ]] || die "no executable at $bin" 1

if ((regenerate)) || [[ ! -f $file.manifest.json || $here/gen_fhir.py -nt $file.manifest.json ]]; then
  echo "== generating $file" >&2
  mkdir -p "$data"
  rm -f "$file" "$file.manifest.json"
  python3 "$here/gen_fhir.py" "$file" || die "the generator failed" 1
fi
manifest() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$file.manifest.json" "$1"; }
items=$(manifest FormularyItem)
bytes=$(manifest bytes)

tmp_parent=${BENCH_TMP:-${TMPDIR:-/tmp}}
mkdir -p "$tmp_parent"
tmp=$(mktemp -d "$tmp_parent/fhir-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# timed OUT cmd... : runs cmd `runs` times under GNU time; sets secs and rss_mb to the fastest run's.
timed() {
  local out=$1 best="" best_rss="" i
  shift
  for ((i = 0; i < runs; i++)); do
    rm -f "$tmp/bench.sqlite" "$tmp/bench.sqlite-wal" "$tmp/bench.sqlite-shm"
    if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$out" 2>&1; then
      cat "$out" >&2
      return 1
    fi
    read -r s kb <"$tmp/time"
    if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then
      best=$s
      best_rss=$((kb / 1024))
    fi
  done
  secs=$best
  rss_mb=$best_rss
}

# Warm the page cache so every tool reads the file from memory.
cat "$file" >/dev/null

echo "== formulary import --format fhir" >&2
timed "$tmp/formulary.out" "$bin" import --db "$tmp/bench.sqlite" --format fhir --source bench "$file" || die "the importer failed" 1
f_secs=$secs f_rss=$rss_mb
grep -E "FormularyItem|formulary entries" "$tmp/formulary.out" >&2 || true

echo "== xmllint --stream --noout" >&2
timed "$tmp/xmllint.out" xmllint --stream --noout "$file" || die "xmllint failed" 1
x_secs=$secs x_rss=$rss_mb

echo "== python3 fhir_lxml.py (lxml iterparse)" >&2
timed "$tmp/lxml.out" python3 "$here/fhir_lxml.py" "$file" || die "the lxml baseline failed" 1
l_secs=$secs l_rss=$rss_mb
cat "$tmp/lxml.out" >&2

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
printf '\nFHIR XML Bundle: %s bytes, %s FormularyItems (fastest of %s run(s))\n' "$bytes" "$items" "$runs"
printf '%-34s %9s %12s %14s\n' tool seconds "peak RSS MB" "formulary / it"
printf '%-34s %9s %12s %14s\n' "formulary import --format fhir" "$f_secs" "$f_rss" "1.00"
printf '%-34s %9s %12s %14s\n' "xmllint --stream --noout" "$x_secs" "$x_rss" "$(ratio "$f_secs" "$x_secs")"
printf '%-34s %9s %12s %14s\n' "lxml iterparse (fhir_lxml.py)" "$l_secs" "$l_rss" "$(ratio "$f_secs" "$l_secs")"

status=0
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= $ratio_limit * float(sys.argv[2]) else 1)" "$f_secs" "$l_secs"; then
  echo "target met: formulary takes at most half of lxml's time"
else
  echo "TARGET MISSED: formulary takes more than half of lxml's time"; status=3
fi
if ((f_rss < rss_limit_mb)); then
  echo "target met: peak RSS ${f_rss} MB < ${rss_limit_mb} MB"
else
  echo "TARGET MISSED: peak RSS ${f_rss} MB >= ${rss_limit_mb} MB"; status=3
fi
exit $status
