#!/bin/sh
# Deploy the same change to N namespace school boxes with alpi, ansible-playbook (forks N)
# and parallel-ssh; prints wall times and ratios. Root, Debian packages ansible and pssh,
# a built dist/ (npm run build). Usage: bench/firewalls-deploy.sh [boxes=50]
set -eu
cd "$(dirname "$0")/.."
exec npx tsx bench/firewalls-deploy.ts "${1:-50}"
