#!/usr/bin/env bash
# Builds bpf/*.bpf.c into bpf/*.bpf.o (committed, so running xcap needs no clang).
#   scripts/build-bpf.sh            rebuild in place
#   scripts/build-bpf.sh OUTDIR     build into OUTDIR (the reproducibility test)
# The compile runs inside bpf/ with relative paths and a fixed debug
# directory, so the object does not depend on where the tree is checked out.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/bpf}" && cd "${1:-$root/bpf}" && pwd)"
cd "$root/bpf"
for src in *.bpf.c; do
  clang -O2 -g -target bpf -mcpu=v3 -Wall -Werror \
    -fdebug-compilation-dir=. \
    -I/usr/include/"$(uname -m)"-linux-gnu \
    -c "$src" -o "$out/${src%.c}.o"
done
