#!/bin/sh
# Reimage throughput: alpi's streamed restore vs `zstd -dc IMG | dd of=DEV bs=4M` onto the
# same loop device in the same run; prints the ratio (issue: >= 0.9). Root (losetup), zstd.
# Needs about 2 x SIZE of free space in $TMPDIR. Usage: bench/laptops-reimage.sh [sizeMiB=2048] [runs=2]
set -eu
cd "$(dirname "$0")/.."
exec npx tsx bench/laptops-reimage.ts "${1:-2048}" "${2:-2}"
