#!/usr/bin/env bash
# RxNorm import benchmark: `formulary import --format rxnorm` of a generated full-size release
# (RXNCONSO ~1.1M, RXNREL ~6.0M, RXNSAT ~5.5M rows, ~1 GB; gen_rxnorm.py), against the sqlite3 shell's
# `.import` of the same three files plus the indexes the store's lookups need, in the same run.
#
# usage: Tests/Benchmarks/rxnorm.sh [--runs N] [--scale S] [--regenerate] [--bin PATH]
#   --runs N       runs of each tool, interleaved (sqlite3, formulary, sqlite3, ...); medians compared (default 3)
#   --scale S      size of the generated release (default 1.0: full-release size); data in data/rxnorm-<S>
#   --regenerate   rebuild the generated release even if it is present
#   --bin PATH     time this formulary binary instead of building .build-bench/release/formulary
# env: BENCH_TMP  folder for the temporary databases (default: $TMPDIR or /tmp); deleted at exit
#
# The baseline loads every row of the three files into tables of their columns (`.mode ascii` with
# `|` fields: RRF has no quoting), then builds what the store's lookups use: concepts by RXCUI and by
# name (NOCASE), the relation walk from a drug (RXCUI2, RELA), and NDC -> RXCUI and RXCUI -> NDC; each
# index partial on SAB = 'RXNORM' (and ATN = 'NDC'), the rows formulary keeps, which makes the baseline
# cheaper, not dearer. Every run checks that sqlite3 loaded every line and that formulary read every
# line and stored the concepts and NDC mappings the baseline's tables hold.
# Target (medians): formulary no slower than the baseline (ratio <= 1). Peak RSS is reported.
# Exit: 0 target met; 1 the build, the CLI or sqlite3 failed, or the counts differ; 2 usage or setup;
# 3 the target was missed.
set -euo pipefail
script=rxnorm.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scale=1.0
ratio_limit=1
while (($#)); do
  common_arg "$@"
  if ((shifted)); then shift "$shifted"; continue; fi
  case $1 in
    --scale) scale=${2:?--scale needs a value}; shift 2 ;;
    *) unknown_arg "$1" ;;
  esac
done
check_runs "$runs"
[[ $scale =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--scale takes a number, got '$scale'"

command -v python3 >/dev/null || die "python3 is required"
command -v sqlite3 >/dev/null || die "sqlite3 is required (apt-get install -y sqlite3)"
require_gnu_time
((prebuilt)) || build_cli
[[ -x $bin ]] || die "no executable at $bin" 1
make_tmp

dir="$data/rxnorm-$scale"
if ((regenerate)) || [[ ! -f $dir/MANIFEST.json || $here/gen_rxnorm.py -nt $dir/MANIFEST.json ]]; then
  echo "== generating $dir" >&2
  rm -rf "$dir" "$dir.partial"
  python3 "$here/gen_rxnorm.py" "$dir.partial" --scale "$scale" || die "the generator failed" 1
  mv "$dir.partial" "$dir"
fi
manifest() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$dir/MANIFEST.json" "$1"; }
rrf="$dir/rrf"
mb=$(du -cm "$rrf"/*.RRF | tail -n 1 | cut -f1)

cat >"$tmp/baseline.sql" <<SQL
.bail on
CREATE TABLE RXNCONSO (RXCUI TEXT, LAT TEXT, TS TEXT, LUI TEXT, STT TEXT, SUI TEXT, ISPREF TEXT, RXAUI TEXT, SAUI TEXT,
  SCUI TEXT, SDUI TEXT, SAB TEXT, TTY TEXT, CODE TEXT, STR TEXT, SRL TEXT, SUPPRESS TEXT, CVF TEXT, END_ TEXT);
CREATE TABLE RXNREL (RXCUI1 TEXT, RXAUI1 TEXT, STYPE1 TEXT, REL TEXT, RXCUI2 TEXT, RXAUI2 TEXT, STYPE2 TEXT, RELA TEXT,
  RUI TEXT, SRUI TEXT, SAB TEXT, SL TEXT, RG TEXT, DIR TEXT, SUPPRESS TEXT, CVF TEXT, END_ TEXT);
CREATE TABLE RXNSAT (RXCUI TEXT, LUI TEXT, SUI TEXT, RXAUI TEXT, STYPE TEXT, CODE TEXT, ATUI TEXT, SATUI TEXT, ATN TEXT,
  SAB TEXT, ATV TEXT, SUPPRESS TEXT, CVF TEXT, END_ TEXT);
.mode ascii
.separator "|" "\n"
.import '$rrf/RXNCONSO.RRF' RXNCONSO
.import '$rrf/RXNREL.RRF' RXNREL
.import '$rrf/RXNSAT.RRF' RXNSAT
CREATE INDEX conso_rxcui ON RXNCONSO(RXCUI) WHERE SAB = 'RXNORM';
CREATE INDEX conso_name ON RXNCONSO(STR COLLATE NOCASE) WHERE SAB = 'RXNORM';
CREATE INDEX rel_walk ON RXNREL(RXCUI2, RELA) WHERE SAB = 'RXNORM';
CREATE INDEX sat_ndc ON RXNSAT(ATV) WHERE ATN = 'NDC' AND SAB = 'RXNORM';
CREATE INDEX sat_ndc_rxcui ON RXNSAT(RXCUI) WHERE ATN = 'NDC' AND SAB = 'RXNORM';
SQL

s_all=() s_rss=() f_all=() f_rss=()
for ((run = 1; run <= runs; run++)); do
  cat "$rrf"/*.RRF >/dev/null # same warm page cache for both tools
  echo "== run $run/$runs: sqlite3 .import of RXNCONSO, RXNREL, RXNSAT + indexes" >&2
  rm -f "$tmp/baseline.db"
  timed sqlite sqlite3 "$tmp/baseline.db" <"$tmp/baseline.sql" || { cat "$tmp/sqlite.log" >&2; die "sqlite3 failed" 1; }
  s_all+=("$secs") s_rss+=("$rss_mb")
  read -r b_conso b_rel b_sat b_concepts b_ndcs < <(sqlite3 -separator ' ' "$tmp/baseline.db" "
    SELECT (SELECT count(*) FROM RXNCONSO), (SELECT count(*) FROM RXNREL), (SELECT count(*) FROM RXNSAT),
      (SELECT count(DISTINCT RXCUI) FROM RXNCONSO WHERE SAB = 'RXNORM' AND TTY IN ('IN','MIN','SCD','SBD','GPCK','BPCK')),
      (SELECT count(*) FROM (SELECT DISTINCT ATV, RXCUI FROM RXNSAT WHERE ATN = 'NDC' AND SAB = 'RXNORM'))")
  rm -f "$tmp/baseline.db"
  for t in RXNCONSO RXNREL RXNSAT; do
    want=$(manifest "$t") got_var="b_${t#RXN}"; got_var=${got_var,,}
    same_rows "$t lines, file vs sqlite3" "$want" "${!got_var}"
  done

  cat "$rrf"/*.RRF >/dev/null
  echo "== run $run/$runs: formulary import --format rxnorm" >&2
  run_formulary formulary --format rxnorm "$rrf"
  f_all+=("$secs") f_rss+=("$rss_mb")
  echo "   sqlite3 ${s_all[-1]} s, formulary $secs s ($rss_mb MB)" >&2
  counts=$(sqlite3 "$tmp/bench.sqlite" "SELECT counts_json FROM snapshot ORDER BY id DESC LIMIT 1")
  read -r f_concepts f_ndcs < <(sqlite3 -separator ' ' "$tmp/bench.sqlite" "SELECT (SELECT count(*) FROM concept), (SELECT count(*) FROM concept_ndc)")
  rm -f "$tmp/bench.sqlite"*
  for t in RXNCONSO RXNREL RXNSAT; do
    same_rows "$t lines, file vs formulary" "$(manifest "$t")" "$(json_field "$counts" "$t rows")"
  done
  same_rows "concepts (IN, MIN, SCD, SBD, GPCK, BPCK), sqlite3 vs formulary" "$b_concepts" "$f_concepts"
  same_rows "RxNorm NDC mappings, sqlite3 vs formulary" "$b_ndcs" "$f_ndcs"
done
s_secs=$(median "${s_all[@]}") s_mb=$(max_of "${s_rss[@]}")
f_secs=$(median "${f_all[@]}") f_mb=$(max_of "${f_rss[@]}")
echo "   runs: sqlite3 ${s_all[*]} s; formulary ${f_all[*]} s" >&2

r=$(ratio "$f_secs" "$s_secs")
echo
echo "RxNorm release import — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), median of $runs run(s), peak RSS the largest"
printf '%-8s %10s %10s %10s %12s %13s %10s %11s %16s\n' RRF_MB RXNCONSO RXNREL RXNSAT formulary_s formulary_MB sqlite3_s sqlite3_MB "ratio(f/sqlite)"
printf '%-8s %10s %10s %10s %12s %13s %10s %11s %16s\n' "$mb" "$(manifest RXNCONSO)" "$(manifest RXNREL)" "$(manifest RXNSAT)" \
  "$f_secs" "$f_mb" "$s_secs" "$s_mb" "$r"
echo "targets:"
check "$(at_most "$r" $ratio_limit)" "no slower than sqlite3 .import + indexes (ratio $r <= $ratio_limit)"
exit $((missed ? 3 : 0))
