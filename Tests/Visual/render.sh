#!/usr/bin/env bash
# Renders the sample reports the way a person sees them: headless Chromium screenshots (PNG, in
# 1100×3000 tiles so a long report can be read top to bottom, plus a 390-px phone view) and a
# print to PDF on US Letter, with each PDF page as a PNG when pdftoppm is available.
#
# Samples:
#   fixture-*   the hand-written analysis the golden tests use (every verdict, finding and route)
#   s1, s2, …   real analyzer output for the bundled patients, against the bundled formularies
#
# Usage: Tests/Visual/render.sh [OUT_DIR]       (default: $TMPDIR/formulary-visual)
# Environment: FORMULARY_BIN (a built formulary binary; default: build with --scratch-path
#   $FORMULARY_SCRATCH, default .build-reports), VISUAL_TILES (tiles per report, default 6),
#   VISUAL_HEIGHT (tile height in pixels, default 3000; 1400 reads better in an image viewer).
# Needs Debian's chromium (apt-get install -y chromium) and, for PDF pages, poppler-utils.
# The pictures are for looking at, never for committing: they go outside the repository.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-${TMPDIR:-/tmp}/formulary-visual}
SCRATCH=${FORMULARY_SCRATCH:-.build-reports}
TILES=${VISUAL_TILES:-6}
WIDTH=1100
HEIGHT=${VISUAL_HEIGHT:-3000}
GENERATED_AT=2025-03-20T15:30:00Z

case "$OUT" in "$ROOT"|"$ROOT"/*) echo "render.sh: write outside the repository, not $OUT" >&2; exit 64 ;; esac

if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null; else
        echo "render.sh: needs chromium (sudo apt-get install -y chromium)" >&2; exit 69
    fi
fi

cd "$ROOT"
if [ -z "${FORMULARY_BIN:-}" ]; then
    swift build --scratch-path "$SCRATCH" --product formulary >&2
    FORMULARY_BIN="$(swift build --scratch-path "$SCRATCH" --show-bin-path)/formulary"
fi
if ! "$FORMULARY_BIN" report --help >/dev/null 2>&1; then
    echo "render.sh: $FORMULARY_BIN has no 'report' command (is ReportCommand registered in FormularyCommand?)" >&2; exit 69
fi

rm -rf "$OUT"
mkdir -p "$OUT/reports" "$OUT/png" "$OUT/pdf"
chmod 700 "$OUT"
REPORTS="$OUT/reports"

report() { "$FORMULARY_BIN" report "$@" --out "$REPORTS" --format all --generated-at "$GENERATED_AT" >/dev/null; }

# 1. The fixture analysis (no database needed).
FIXTURE=Tests/FormularyReportsTests/Fixtures/analysis_two_plans.json
report coverage --analysis "$FIXTURE" --plan 99990AZ0010001 --label fixture-commercial
report coverage --analysis "$FIXTURE" --plan H9990-001-000 --label fixture-medicare
report precheck --analysis "$FIXTURE" --plan 99990AZ0010001 --option Spravato --label fixture
report precheck --analysis "$FIXTURE" --plan 99990AZ0010001 --option Rexulti --label fixture
report compare --analysis "$FIXTURE" --label fixture

# 2. Real analyzer output: the bundled patients against the bundled formularies.
DB="$OUT/formulary.sqlite"
for source in Formularies/reference/rxnorm_subset.csv Formularies/partd/2026Q1 Formularies/qhp/reference-a; do
    [ -e "$source" ] && "$FORMULARY_BIN" import "$source" --db "$DB" >/dev/null
done
for patient in s1-baseline s2-seizure s4-rexulti s6-postpartum s7-labeler-switch; do
    file=Formularies/patients/$patient.yaml
    [ -e "$file" ] || continue
    report coverage --patient "$file" --db "$DB" --label "$patient" || echo "render.sh: coverage for $patient failed" >&2
done
[ -e Formularies/patients/s1-baseline.yaml ] && {
    report precheck --patient Formularies/patients/s1-baseline.yaml --db "$DB" --plan 99990AZ0010001 --option Spravato --label s1-baseline || true
    report compare --patient Formularies/patients/s1-baseline.yaml --db "$DB" --plans 99990AZ0010001,H9990-001-000 --label s1-baseline || true
}

# 3. Screenshots and PDFs. A tile is the report in an iframe shifted up by the tile's offset, so
#    a long page can be read in screen-sized pieces without any image tool.
shoot() { # html-file png-file width height
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1
}
for html in "$REPORTS"/*.html; do
    name=$(basename "$html" .html)
    for tile in $(seq 0 $((TILES - 1))); do
        wrapper="$OUT/png/.$name-$tile.html"
        printf '<!DOCTYPE html><html><body style="margin:0;overflow:hidden"><iframe src="%s" style="border:0;position:absolute;left:0;top:-%dpx;width:%dpx;height:%dpx"></iframe></body></html>' \
            "file://$html" $((tile * HEIGHT)) "$WIDTH" $(((tile + 1) * HEIGHT)) > "$wrapper"
        shoot "$wrapper" "$OUT/png/$name-$tile.png" "$WIDTH" "$HEIGHT"
        rm -f "$wrapper"
    done
    shoot "$html" "$OUT/png/$name-phone.png" 390 2400
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$OUT/pdf/$name.pdf" "file://$html" >/dev/null 2>&1
    if command -v pdftoppm >/dev/null; then
        pdftoppm -png -r 60 "$OUT/pdf/$name.pdf" "$OUT/pdf/$name-page"
    fi
done

echo "reports: $REPORTS"
echo "screenshots: $OUT/png ($(ls "$OUT/png" | wc -l) files)"
echo "pdf: $OUT/pdf"
