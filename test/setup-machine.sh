#!/usr/bin/env bash
# Installs and starts the real parts the tests use, on a fresh Debian machine (as root).
# Idempotent: safe to run again.
set -euo pipefail
# build-essential and python3: node-gyp compiles better-sqlite3 (its prebuilt download is unreachable)
PKGS=(build-essential python3 postgresql openssh-server udpcast zstd dnsmasq nftables smartmontools dmidecode miller
      libxml2-utils hyperfine iproute2 dnsutils poppler-utils time nwipe tmux zbar-tools chromium fonts-dejavu-core)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# dnsmasq's and sshd's system services are not used: the tests start their own per namespace.
systemctl disable --now dnsmasq >/dev/null 2>&1 || true
service dnsmasq stop >/dev/null 2>&1 || true
mkdir -p /run/sshd
ver=$(ls /etc/postgresql | sort | tail -1)
pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$ver" main status >/dev/null
modprobe loop 2>/dev/null || true
echo "test machine ready (PostgreSQL $ver)" >&2
