#!/usr/bin/env bash
# The README's two commands on a fresh Debian machine that has Rust and
# nothing else: a debootstrap root (minbase) with only what Rust itself needs
# (a C linker, make, git) — plus, on Debian 12, libclang-cpp14, the library
# that once passed for libclang — gets a clone of this repository's HEAD and
# runs `make demo` and `make test`. The prepared root is cached; each run
# works on a throw-away copy of it, so every run starts fresh.
#   scripts/test-fresh.sh [bookworm|trixie]     (default bookworm)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
suite="${1:-bookworm}"
roots="${WU_NATIVE_ROOTS:-/var/cache/wu-native/roots}"
base=(gcc libc6-dev make git ca-certificates)
case "$suite" in
  bookworm) base+=(libclang-cpp14) ;;
  trixie) ;;
  *) echo "test-fresh: bookworm or trixie, not '$suite'" >&2; exit 2 ;;
esac

scripts/debian-root.sh "$suite:fresh" "${base[@]}" >/dev/null
run="$roots/$suite-fresh-run"
rm -rf "$run"
cp -a "$roots/$suite-fresh" "$run"
trap 'rm -rf "$run"' EXIT
echo "==> fresh Debian $suite: make demo && make test in a clone of $(git rev-parse --short HEAD)"
scripts/debian-root.sh --run "$suite:fresh-run" /bin/bash -euo pipefail -c '
  git clone -q "$1" /root/wu-native
  cd /root/wu-native
  make demo
  make test
' fresh "$repo"
