#!/usr/bin/env bash
# Diff benchmark: a generated 1.5M-row Part D quarter and a "next quarter" of it in which about 3%
# of the lines change (tier moves, PA/ST/QL flips, drugs leaving and arriving), imported as one
# source, then `formulary diff` between them, timed with its peak RSS.
#
# usage: Tests/Benchmarks/diff.sh [--bin PATH]
# Target: a few seconds for two full quarters (here: under 10 s).
# Exit: 0 target met; 1 a tool failed; 2 usage or setup; 3 the target was missed.
set -euo pipefail
script=diff.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

prebuilt=0
limit_s=10
while (($#)); do
  case $1 in
    --bin) bin=${2:?--bin needs a path}; prebuilt=1; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
require_gnu_time
((prebuilt)) || build_cli
make_tmp

first="$data/partd-1x"
next="$data/partd-1x-next"
if [[ ! -f $first/MANIFEST.json || $here/gen_partd.py -nt $first/MANIFEST.json ]]; then
  echo "== generating $first" >&2
  rm -rf "$first"
  python3 "$here/gen_partd.py" "$first" >&2 || die "the generator failed" 1
fi
if [[ ! -d $next || $first/MANIFEST.json -nt $next || $here/next_quarter.py -nt $next ]]; then
  echo "== writing $next" >&2
  rm -rf "$next"
  python3 "$here/next_quarter.py" "$first" "$next" >&2 || die "next_quarter.py failed" 1
fi
for dir in "$first" "$next"; do
  echo "== importing $dir" >&2
  "$bin" import --db "$tmp/bench.sqlite" --format partd --source bench "$dir" >/dev/null || die "import failed" 1
done

echo "== formulary diff (all drugs, JSON)" >&2
timed diff "$bin" diff --db "$tmp/bench.sqlite" --source bench --json || { tail "$tmp/diff.log" >&2; die "diff failed" 1; }
all_s=$secs all_mb=$rss_mb
changes=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["formularies"]; print(sum(len(x["drugsAdded"])+len(x["drugsRemoved"])+len(x["changed"]) for x in f))' "$tmp/diff.log")
echo "== formulary diff --drug (one RxCUI)" >&2
timed one "$bin" diff --db "$tmp/bench.sqlite" --source bench --drug 90000001 || die "diff --drug failed" 1
one_s=$secs

echo
echo "Part D diff — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs; two quarters of ~1.5M rows each, ~3% of lines changed"
printf '%-28s %10s %10s %14s\n' what seconds peak_MB changes_listed
printf '%-28s %10s %10s %14s\n' "diff, all drugs (JSON)" "$all_s" "$all_mb" "$changes"
printf '%-28s %10s %10s %14s\n' "diff --drug (one RxCUI)" "$one_s" "-" "-"
echo "targets:"
check "$(below "$all_s" $limit_s)" "full diff in ${all_s} s < ${limit_s} s"
exit $((missed ? 3 : 0))
