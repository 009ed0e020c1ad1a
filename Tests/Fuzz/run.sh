#!/usr/bin/env bash
# Fuzzes the delimited-line scanner, the JSON tokenizer and reader, and the XML reader with libFuzzer.
#
#   bash Tests/Fuzz/run.sh [MINUTES] [TARGET…]
#
# MINUTES (the argument, else $MINUTES, else 1; fractions allowed) is the time per target; the
# targets run one after another. TARGET is FuzzDelimited, FuzzJSON or FuzzXML (or delimited, json,
# xml); all three by default. Each is built in release with libFuzzer and AddressSanitizer in its
# own scratch path (.build-fuzz), seeded with the small test fixtures and sample formularies, and run
# for the time given. Corpus, crash files and logs go to a temporary folder, never into the repository;
# it is kept when something crashed (or when FUZZ_WORK names it), and removed otherwise.
#
# Prints, per target: executions, executions per second, corpus size, and each crash, timeout or
# out-of-memory file. Exits 1 if any target crashed, 2 on a usage or build error.
#
# A crash file replays without libFuzzer through an ordinary debug build of the same target:
#   swift run FuzzJSON /path/to/crash-…      (or: .build/debug/FuzzJSON /path/to/crash-…)
#
# Knobs (environment): FUZZ_WORK (folder to use and keep), FUZZ_MAX_LEN (bytes per input, 16384;
# seed files up to 64 KiB are copied and libFuzzer reads their first FUZZ_MAX_LEN bytes),
# FUZZ_RSS_LIMIT_MB (2048), FUZZ_TIMEOUT (seconds per input, 10), FUZZ_SCRATCH_PATH (.build-fuzz),
# FUZZ_SANITIZERS (fuzzer,address: the Swift code's sanitizers; libFuzzer must stay first),
# FUZZ_ARGS (more libFuzzer flags, e.g. "-seed=1 -jobs=2").
set -euo pipefail

cd "$(dirname "$0")/../.."
REPO=$PWD

MINUTES="${1:-${MINUTES:-1}}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ $MINUTES =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "usage: bash Tests/Fuzz/run.sh [MINUTES] [FuzzDelimited|FuzzJSON|FuzzXML …]" >&2
    exit 2
fi
SECONDS_PER_TARGET=$(awk -v m="$MINUTES" 'BEGIN { s = int(m * 60); print (s < 1 ? 1 : s) }')

TARGETS=()
for name in "${@:-FuzzDelimited FuzzJSON FuzzXML}"; do
    for word in $name; do
        case "$(echo "$word" | tr '[:upper:]' '[:lower:]')" in
            fuzzdelimited | delimited) TARGETS+=(FuzzDelimited) ;;
            fuzzjson | json) TARGETS+=(FuzzJSON) ;;
            fuzzxml | xml) TARGETS+=(FuzzXML) ;;
            *) echo "unknown fuzz target: $word (FuzzDelimited, FuzzJSON or FuzzXML)" >&2; exit 2 ;;
        esac
    done
done

MAX_LEN=${FUZZ_MAX_LEN:-16384}
SEED_MAX_BYTES=65536
RSS_LIMIT_MB=${FUZZ_RSS_LIMIT_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-10}
SCRATCH=${FUZZ_SCRATCH_PATH:-.build-fuzz}
SANITIZERS=${FUZZ_SANITIZERS:-fuzzer,address}
read -r -a EXTRA_ARGS <<< "${FUZZ_ARGS:-}"

if [[ -n ${FUZZ_WORK:-} ]]; then
    WORK=$FUZZ_WORK
    KEEP_WORK=1
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/formulary-fuzz.XXXXXX")
    KEEP_WORK=0
fi
WORK=$(cd "$WORK" && pwd)
case "$WORK/" in "$REPO"/*) echo "FUZZ_WORK must be outside the repository: $WORK" >&2; exit 2 ;; esac

# Seeds: the fixture and sample files of each format, small enough to be one input.
seed_patterns() {
    case $1 in
        FuzzDelimited) echo "*.txt *.TXT *.RRF" ;;
        FuzzJSON) echo "*.json *.ndjson" ;;
        FuzzXML) echo "*.xml" ;;
    esac
}
SEED_FOLDERS=(Tests/FormularyImportTests/Fixtures Formularies/partd Formularies/qhp Formularies/fhir)

seed() {
    local target=$1 corpus=$2 count=0 pattern file
    mkdir -p "$corpus"
    for pattern in $(seed_patterns "$target"); do
        while IFS= read -r -d '' file; do
            # Named by content, so a file that is in two places is one seed.
            cp "$file" "$corpus/seed-$(sha1sum < "$file" | cut -c1-16)"
            count=$((count + 1))
        done < <(find "${SEED_FOLDERS[@]}" -type f -name "$pattern" -size -$((SEED_MAX_BYTES + 1))c -print0 2>/dev/null)
    done
    echo "$count"
}

# The swift driver keeps only the last -sanitize= flag it is given, and SwiftPM passes each
# --sanitize separately, so `--sanitize=fuzzer --sanitize=address` silently drops one of them:
# --sanitize=fuzzer tells SwiftPM to link libFuzzer's main, and the combined -Xswiftc flag, which
# comes last, is the one the compiler and linker use.
build() {
    swift build -c release --scratch-path "$SCRATCH" --product "$1" \
        --sanitize=fuzzer -Xswiftc "-sanitize=$SANITIZERS" -Xswiftc -DFUZZING
}

echo "fuzz: ${TARGETS[*]}, ${SECONDS_PER_TARGET}s each; work folder $WORK"
for target in "${TARGETS[@]}"; do
    echo "fuzz: building $target ($SCRATCH, release, -sanitize=$SANITIZERS)"
    if ! build "$target" > "$WORK/build-$target.log" 2>&1; then
        tail -30 "$WORK/build-$target.log" >&2
        echo "fuzz: building $target failed; the log is $WORK/build-$target.log" >&2
        exit 2
    fi
done
BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)

crashed=0
SUMMARY=()
for target in "${TARGETS[@]}"; do
    dir="$WORK/$target"
    mkdir -p "$dir/artifacts"
    seeds=$(seed "$target" "$dir/corpus")
    dict=$(echo "$target" | sed 's/^Fuzz//' | tr '[:upper:]' '[:lower:]')
    log="$dir/fuzz.log"
    echo "fuzz: running $target for ${SECONDS_PER_TARGET}s from $seeds seed files (log: $log)"
    status=0
    # No Swift backtracer (it waits on a crashed process); libFuzzer reports the crash itself.
    SWIFT_BACKTRACE=enable=no FUZZ_SCRATCH="$dir" \
        timeout --kill-after=30 $((SECONDS_PER_TARGET + 300)) \
        "$BIN/$target" "$dir/corpus" \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS_LIMIT_MB" -max_len="$MAX_LEN" \
        -timeout="$TIMEOUT" -dict="$REPO/Tests/Fuzz/$dict.dict" -artifact_prefix="$dir/artifacts/" \
        -print_final_stats=1 ${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"} > "$log" 2>&1 || status=$?

    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    corpus=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
    coverage=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    findings=()
    while IFS= read -r -d '' file; do findings+=("$file"); done \
        < <(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) -print0)
    problems=0
    for file in ${findings[@]+"${findings[@]}"}; do
        case $(basename "$file") in slow-unit-*) ;; *) problems=$((problems + 1)) ;; esac
    done
    if [[ $status -ne 0 && $problems -eq 0 ]]; then
        problems=1  # libFuzzer failed without leaving an artifact: see the log
        findings+=("(no artifact; exit status $status; see $log)")
    fi
    crashed=$((crashed + problems))
    SUMMARY+=("$(printf '%-14s %12s %10s %16s %8s %8s' "$target" "${runs:-?}" "${rate:-?}" "${corpus:-?}" "${coverage:-?}" "$problems")")
    for file in ${findings[@]+"${findings[@]}"}; do SUMMARY+=("    $file"); done
    if [[ $problems -gt 0 ]]; then
        grep -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY:' "$log" | head -5 | sed 's/^/    /' || true
    fi
done

echo
echo "fuzz results ($(date -u +%Y-%m-%dT%H:%MZ), ${SECONDS_PER_TARGET}s per target, max_len $MAX_LEN, -sanitize=$SANITIZERS)"
printf '%-14s %12s %10s %16s %8s %8s\n' target executions exec/s corpus coverage crashes
printf '%s\n' "${SUMMARY[@]}"

if [[ $crashed -gt 0 ]]; then
    echo "fuzz: $crashed problem(s); crash files and logs are in $WORK"
    exit 1
fi
if [[ $KEEP_WORK -eq 0 ]]; then rm -rf "$WORK"; fi
echo "fuzz: no crashes"
