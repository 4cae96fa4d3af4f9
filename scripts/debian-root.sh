#!/usr/bin/env bash
# A Debian root made with debootstrap from Debian's packages, cached outside
# the repository, for testing and building against another Debian release:
#   scripts/debian-root.sh SUITE [PACKAGE…]     prints the root's path
#   scripts/debian-root.sh --run SUITE CMD…     runs CMD in it (the repository
#                                              and the Rust toolchain mounted)
# SUITE: bookworm (PHP 8.2), trixie (PHP 8.4), bullseye (glibc 2.31); SUITE:NAME
# is another root of the same release (e.g. trixie:cli, with only what its
# test installs).
# The root lives in $WU_NATIVE_ROOTS (default /var/cache/wu-native/roots) and
# is made once; later calls only install the packages still missing.
# Needs root (debootstrap, chroot, bind mounts).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
roots="${WU_NATIVE_ROOTS:-/var/cache/wu-native/roots}"
mirror="${WU_NATIVE_MIRROR:-http://deb.debian.org/debian}"

run=""
if [ "${1:-}" = "--run" ]; then run=1; shift; fi
suite="${1:?usage: scripts/debian-root.sh [--run] SUITE[:NAME] [PACKAGE…|CMD…]}"
shift
root_name="${suite/:/-}"
suite="${suite%%:*}"
case "$suite" in
  bullseye|bookworm|trixie) ;;
  *) echo "debian-root: unknown suite '$suite' (bullseye, bookworm, trixie)" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "debian-root: needs root (debootstrap, chroot, mount)" >&2; exit 1; }
root="$roots/$root_name"

log() { echo "==> [$root_name root] $*" >&2; }

make_root() {
  command -v debootstrap >/dev/null 2>&1 || {
    log "installing debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  log "debootstrap (minbase) into $root"
  mkdir -p "$roots"
  rm -rf "$root.partial"
  debootstrap --variant=minbase "$suite" "$root.partial" "$mirror" >"$roots/$root_name.debootstrap.log" 2>&1 || {
    tail -20 "$roots/$root_name.debootstrap.log" >&2
    exit 1
  }
  # No service may start inside the root.
  printf '#!/bin/sh\nexit 101\n' >"$root.partial/usr/sbin/policy-rc.d"
  chmod +x "$root.partial/usr/sbin/policy-rc.d"
  mv "$root.partial" "$root"
}

mounts=()
mount_all() {
  local src dst
  for src in /proc /sys /dev /dev/pts "$repo" "${CARGO_HOME:-$HOME/.cargo}" "${RUSTUP_HOME:-$HOME/.rustup}"; do
    [ -e "$src" ] || continue
    dst="$root$src"
    mkdir -p "$dst"
    mount --bind "$src" "$dst"
    mounts+=("$dst")
  done
  cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  # minbase has no /etc/hosts, so localhost would not resolve.
  grep -qs '^127\.0\.0\.1[[:space:]].*localhost' "$root/etc/hosts" || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >>"$root/etc/hosts"
}
umount_all() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}

in_root() {
  chroot "$root" /usr/bin/env -i HOME="$HOME" PATH="${CARGO_HOME:-$HOME/.cargo}/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive CI="${CI:-}" "$@"
}

# One user of a root at a time: the bind mounts of two would undo each other.
mkdir -p "$roots"
exec 9>"$roots/$root_name.lock"
flock 9
[ -x "$root/usr/bin/apt-get" ] || make_root
trap umount_all EXIT
mount_all

if [ -n "$run" ]; then
  in_root "$@"
  exit $?
fi

if [ $# -gt 0 ]; then
  missing=()
  for package in "$@"; do
    in_root dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    in_root apt-get update -qq >/dev/null
    in_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
echo "$root"
