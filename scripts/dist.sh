#!/usr/bin/env bash
# Prebuilt builds named as PIE names them, one per PHP version this machine
# can build for: this machine's PHP, and PHP 8.4 in the cached Debian 13 root
# (scripts/debian-root.sh):
#   dist/php_wu_native-<version>_php<X.Y>-x86_64-linux-glibc-nts.zip  (wu_native.so only)
#   dist/php_wu_native-<version>_php<X.Y>-x86_64-linux-glibc-nts.zip.sha256
# Linked for glibc 2.31 (Debian 11, Ubuntu 20.04 and later) with cargo-zigbuild
# and Zig (from crates.io and PyPI, kept in target/tools/). Each build is
# checked before it is packaged: no glibc symbol newer than 2.31 (objdump -T),
# it loads in the PHP it names with that PHP's API and NTS, and the PHP suite
# passes there.
#   scripts/dist.sh [X.Y …]      (default: every version this machine can build)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
glibc=2.31
triple=x86_64-unknown-linux-gnu
zig_version=0.17.1
tools="$repo/target/tools"
out="$repo/dist"

host_php="$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=("$host_php" 8.4)

# What the packaging needs on this machine: objdump, pip (to fetch Zig), zip via Python.
need=()
command -v objdump >/dev/null 2>&1 || need+=(binutils)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Zig, from the ziglang wheel (a static binary), unpacked without installing anything.
zig_dir="$tools/zig-$zig_version"
if [ ! -x "$zig_dir/zig" ]; then
  echo "==> Zig $zig_version (ziglang from PyPI)"
  tmp="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "ziglang==$zig_version"
  python3 - "$tmp" "$zig_dir" <<'PY'
import os, sys, zipfile
wheel = next(f for f in os.listdir(sys.argv[1]) if f.endswith(".whl"))
dest = sys.argv[2]
with zipfile.ZipFile(os.path.join(sys.argv[1], wheel)) as z:
    for name in z.namelist():
        if name.startswith("ziglang/"):
            target = os.path.join(dest, name[len("ziglang/"):])
            if name.endswith("/"):
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(z.read(name))
os.chmod(os.path.join(dest, "zig"), 0o755)
PY
  rm -rf "$tmp"
fi
command -v cargo-zigbuild >/dev/null 2>&1 || { echo "==> cargo-zigbuild (crates.io)"; cargo install --locked --quiet cargo-zigbuild; }

mkdir -p "$out"

# Builds, checks and packages the module for PHP $1; $2 runs a command where
# that PHP is; $3 is the target directory of that PHP's ordinary build (the sandbox).
build_one() {
  local v="$1" where="$2" sandbox_target="$3" target_dir="target/dist-php$1" so name
  echo "==> PHP $v: build for glibc $glibc"
  # cargo-zigbuild gives bindgen -nostdinc and Zig's libc headers, which
  # libclang does not find here: the system's headers (same layout for this
  # target) are named first, so ext-php-rs can generate its bindings.
  $where /bin/bash -c 'inc="$(ls -d /usr/lib/llvm-*/lib/clang/*/include | sort -V | tail -1)"
    export BINDGEN_EXTRA_CLANG_ARGS="-isystem $inc -isystem /usr/include/x86_64-linux-gnu -isystem /usr/include"
    exec "$@"' zigbuild env PATH="$zig_dir:$PATH" PHP="/usr/bin/php$v" PHP_CONFIG="/usr/bin/php-config$v" \
    cargo zigbuild --release --locked -p wu_native --target "$triple.$glibc" --target-dir "$target_dir"
  so="$target_dir/$triple/release/libwu_native.so"

  local newest
  newest="$(objdump -T "$so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
  echo "    newest glibc symbol: $newest"
  if [ "$(printf '%s\n' "$newest" "GLIBC_$glibc" | sort -V | tail -1)" != "GLIBC_$glibc" ]; then
    echo "dist: $so needs $newest, newer than glibc $glibc" >&2
    return 1
  fi

  echo "    loads in PHP $v with its API, NTS; PHP suite"
  $where /bin/bash -euo pipefail -c '
    v="$1"; so="$2"; export CARGO_TARGET_DIR="$PWD/$3"
    source scripts/php-build-id.sh
    want="$(php_build_id "php$v")"
    info="$("php$v" -n -d "extension=$PWD/$so" --ri wu_native)"
    grep -q "wu_native support => enabled" <<<"$info"
    have="$(module_build_id "php$v" "$so" || echo "no PHP build id")"
    [ "$have" = "$want" ] || { echo "dist: $so carries $have, PHP $v is $want" >&2; exit 1; }
    echo "    $have"
    PHP="/usr/bin/php$v" PHP_CONFIG="/usr/bin/php-config$v" cargo build --release --locked -q -p wu_sandbox
    WU_NATIVE_EXT="$PWD/$so" scripts/test-php.sh
  ' check "$v" "$so" "$sandbox_target"

  name="php_wu_native-${version}_php$v-x86_64-linux-glibc-nts.zip"
  rm -f "$out/$name" "$out/$name.sha256"
  python3 - "$so" "$out/$name" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "wu_native.so")
PY
  (cd "$out" && sha256sum "$name" >"$name.sha256")
  echo "    $out/$name"
}

for v in "${versions[@]}"; do
  if [ "$v" = "$host_php" ]; then
    build_one "$v" "" target
  elif [ "$v" = 8.4 ]; then
    scripts/debian-root.sh trixie php8.4-cli php8.4-dev php8.4-curl php8.4-mbstring php8.4-xml phpunit libclang-dev gcc libc6-dev make ca-certificates >/dev/null
    build_one "$v" "scripts/debian-root.sh --run trixie /usr/bin/env --chdir=$repo" "target/php$v"
  else
    echo "dist: this machine builds for PHP $host_php and 8.4 (Debian 13 root), not $v" >&2
    exit 2
  fi
done
ls -l "$out"
