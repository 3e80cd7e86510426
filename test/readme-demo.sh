#!/usr/bin/env bash
# The README's first command ("Try it"), exactly as written, on a fresh clone of this checkout
# with an empty home folder (so an empty npm cache and node-gyp cache, and no user npmrc): what a
# newcomer types on a fresh machine. Checks the exit code and the output the README documents.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d /tmp/alpi-readme-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
# The command is the first sh block after the "Try it" heading.
cmd=$(awk '/^## Try it/{f=1} f&&/^```sh$/{getline; print; exit}' "$repo/README.md")
[ -n "$cmd" ] || { echo "readme-demo: no command under '## Try it' in README.md" >&2; exit 1; }
git clone -q "$repo" "$work/alpi"
mkdir "$work/home"
cd "$work/alpi"
start=$(date +%s)
set +e
env -u npm_config_nodedir -u NPM_CONFIG_NODEDIR -u npm_config_cache -u npm_config_devdir -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
  HOME="$work/home" bash -c "$cmd" >"$work/out" 2>"$work/err"
rc=$?
set -e
echo "readme-demo: exit $rc in $(( $(date +%s) - start )) s (install included), HOME=$work/home" >&2
fail() { echo "readme-demo: $*" >&2; echo "--- stdout" >&2; tail -40 "$work/out" >&2; echo "--- stderr" >&2; tail -40 "$work/err" >&2; exit 1; }
[ "$rc" = 0 ] || fail "the README's first command exited $rc"
for f in rapport.html rapport.json; do [ -s alpi-demo/cityfamily/$f ] || fail "alpi-demo/cityfamily/$f is missing"; done
[ -s alpi-demo/alpi.sqlite ] || fail "the embedded SQLite store alpi-demo/alpi.sqlite is missing"
[ -s alpi-demo/fiche-0409001S.html ] || fail "the school's install sheet alpi-demo/fiche-0409001S.html is missing"
grep -q '^0409001S  *new ' "$work/out" || fail "firewalls plan did not plan school 0409001S"
grep -qi 'no difference\|aucune différence' "$work/out" || fail "reconcile did not say there is no difference"
# The native modules were built against the running Node's own headers, seeded into node-gyp's cache.
[ -f "$work/home/.cache/node-gyp/$(node -p process.versions.node)/installVersion" ] || fail "node-gyp's cache was not seeded from the local headers"
echo "readme-demo: ok" >&2
