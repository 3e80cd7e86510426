#!/usr/bin/env bash
# Benchmark of `alpi cityfamily migrate` against Miller's plain CSV pass over the same files,
# in the same run. Prints rows, wall and CPU seconds, rows/s, the ratios (alpi / mlr) and
# alpi's peak RSS. Goal (issue 5): ratio >= 0.5 and peak RSS < 1 GiB on 100 000 households.
# CPU seconds (user + sys) are the fairer figure on a shared machine.
# Usage: bench/cityfamily-migrate.sh [FAMILIES] [WORKDIR]   (needs a build: npm run build;
# packages miller and time)
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
/usr/bin/time -f '%e %U %S %M' -o "$WORK/mlr-time.txt" bash -c 'for f in "$1"/*.csv; do mlr --icsv --ifs ";" --ocsv cat "$f" > /dev/null; done' _ "$SRC"
read -r MLR_S MLR_U MLR_SYS MLR_KB < "$WORK/mlr-time.txt"

# alpi: the whole migration (parse, validate, normalise, match duplicates, write, report).
rm -rf "$WORK/cityfamily-out"
/usr/bin/time -f '%e %U %S %M' -o "$WORK/alpi-time.txt" "${ALPI[@]}" cityfamily migrate "$SRC" --out "$WORK/cityfamily-out" --db "$WORK/alpi.sqlite" > /dev/null
read -r ALPI_S ALPI_U ALPI_SYS ALPI_KB < "$WORK/alpi-time.txt"

awk -v rows="$ROWS" -v bytes="$BYTES" -v fam="$FAMILIES" -v m="$MLR_S" -v mc="$(awk -v a="$MLR_U" -v b="$MLR_SYS" 'BEGIN{print a+b}')" \
    -v a="$ALPI_S" -v ac="$(awk -v a="$ALPI_U" -v b="$ALPI_SYS" 'BEGIN{print a+b}')" -v kb="$ALPI_KB" 'BEGIN {
  printf "households:          %d\n", fam
  printf "rows (all files):    %d (%.1f MiB)\n", rows, bytes / 1048576
  printf "mlr cat:             %.2f s wall, %.2f s CPU, %.0f rows/s (wall)\n", m, mc, rows / m
  printf "alpi migrate:        %.2f s wall, %.2f s CPU, %.0f rows/s (wall)\n", a, ac, rows / a
  printf "CPU per row:         mlr %.1f µs, alpi %.1f µs\n", mc * 1e6 / rows, ac * 1e6 / rows
  printf "ratio alpi/mlr:      %.2fx wall, %.2fx CPU (goal >= 0.5x)\n", m / a, mc / ac
  printf "alpi peak RSS:       %.0f MiB (goal < 1024 MiB)\n", kb / 1024
}'
