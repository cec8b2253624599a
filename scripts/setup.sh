#!/usr/bin/env bash
# Installs what xcap needs and builds it.  Safe to run again: it installs only
# what is missing.  System packages need root (CI and the lab run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the oracles the tests compare against (tshark, capinfos,
# tcpdump), what the capture side builds and runs with, and xdp-tools for
# xdpdump, one of the capturers the capture benchmark compares against.
packages=(tshark tcpdump clang llvm libbpf-dev bpftool libpcap0.8-dev iproute2 ethtool iputils-ping time xdp-tools)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root to install them; tests that need them will skip)" >&2
  else
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # tshark asks whether non-root users may capture; answer no without a prompt.
    echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

npm run --silent build
