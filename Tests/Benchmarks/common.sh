# Shared by the benchmark scripts in this folder: tool checks, the release build, timing and
# the PASS/FAIL report. Source it after setting `script` (the caller's name, for messages).
# shellcheck shell=bash

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
data="$here/data"
bin="$root/.build-bench/release/formulary"

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

missed=0
# check OK? MESSAGE : prints PASS or FAIL and remembers a miss.
check() {
  if [[ $1 == 1 ]]; then echo "  PASS  $2"; else echo "  FAIL  $2"; missed=1; fi
}
below() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) }'; }
