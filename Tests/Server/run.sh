#!/usr/bin/env bash
# The web app end to end, outside `swift test`: starts `formulary serve` (the debug build) on a
# free loopback port over a demo database in a scratch HOME, then runs the real-browser test
# (headless Chromium + Selenium + axe-core) and Schemathesis against /openapi.json (no 5xx, and
# every response matching the schema). Exits non-zero on any failure. `.ci/run` calls it.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${FORMULARY_BIN:-.build/debug/formulary}"
[[ -x $bin ]] || { echo "serve tests: no $bin (run swift build first)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
# The scratch HOME is the server's; the test tools `.ci/prepare` installed with `pip --user` stay
# where they are (Python finds its user site through HOME unless PYTHONUSERBASE says otherwise).
export PYTHONUSERBASE="${PYTHONUSERBASE:-$(python3 -m site --user-base)}"
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_STATE_HOME="$work/home/.local/state" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
"$bin" demo --db "$work/db.sqlite" --out "$work/reports" >/dev/null
"$bin" serve --db "$work/db.sqlite" --port 0 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$work/serve.log" | head -1)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n ${port:-} ]] || { cat "$work/serve.log" >&2; echo "serve tests: the server did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
echo "== browser: $base" >&2
python3 Tests/Server/browser_test.py "$base" Formularies/patients/s1-baseline.yaml "$work" ${SCREENSHOT:+--screenshot "$SCREENSHOT"}
echo "== schemathesis: $base/openapi.json" >&2
schemathesis run "$base/openapi.json" --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-40}" --seed 1 --no-color
if grep -q "sertraline\|S1\b" "$work/serve.log"; then echo "serve tests: patient data reached the server log" >&2; exit 1; fi
echo "serve tests: passed" >&2
