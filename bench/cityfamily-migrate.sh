#!/usr/bin/env bash
# Benchmark of `alpi cityfamily migrate` against Miller's plain CSV pass over the same files,
# in the same run. Prints rows, seconds, rows/s, the ratio (alpi / mlr) and alpi's peak RSS.
# Goal (issue 5): ratio >= 0.5 and peak RSS < 1 GiB on 100 000 households.
# Usage: bench/cityfamily-migrate.sh [FAMILIES] [WORKDIR]   (needs a build: npm run build)
set -euo pipefail
FAMILIES=${1:-100000}
WORK=${2:-${TMPDIR:-/tmp}/alpi-bench-cityfamily}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ALPI=("node" "$ROOT/bin/run.js")
command -v mlr >/dev/null || { echo "mlr missing: apt-get install miller" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }
SRC="$WORK/abelium-$FAMILIES"
mkdir -p "$WORK"
if [ ! -f "$SRC/.sample_truth.json" ]; then
  echo "generating $FAMILIES households into $SRC ..." >&2
  "${ALPI[@]}" cityfamily sample --families "$FAMILIES" --seed 2026 --out "$SRC" --clean --db "$WORK/alpi.sqlite" >&2
fi
ROWS=0
for f in "$SRC"/*.csv; do ROWS=$((ROWS + $(wc -l < "$f") - 1)); done
BYTES=$(cat "$SRC"/*.csv | wc -c)

# Miller: parse and re-emit every file (one process per file: the files have different headers).
MLR_START=$(date +%s.%N)
for f in "$SRC"/*.csv; do mlr --icsv --ifs ';' --ocsv cat "$f" > /dev/null; done
MLR_END=$(date +%s.%N)
MLR_S=$(echo "$MLR_END - $MLR_START" | bc -l)

# alpi: the whole migration (parse, validate, normalise, match duplicates, write, report).
rm -rf "$WORK/cityfamily-out"
/usr/bin/time -f '%e %M' -o "$WORK/time.txt" "${ALPI[@]}" cityfamily migrate "$SRC" --out "$WORK/cityfamily-out" --db "$WORK/alpi.sqlite" > /dev/null
read -r ALPI_S ALPI_KB < "$WORK/time.txt"

awk -v rows="$ROWS" -v bytes="$BYTES" -v m="$MLR_S" -v a="$ALPI_S" -v kb="$ALPI_KB" -v fam="$FAMILIES" 'BEGIN {
  printf "households:        %d\n", fam
  printf "rows (all files):  %d (%.1f MiB)\n", rows, bytes / 1048576
  printf "mlr cat:           %.2f s  %.0f rows/s\n", m, rows / m
  printf "alpi migrate:      %.2f s  %.0f rows/s\n", a, rows / a
  printf "ratio alpi/mlr:    %.2fx (goal >= 0.5x)\n", m / a
  printf "alpi peak RSS:     %.0f MiB (goal < 1024 MiB)\n", kb / 1024
}'
