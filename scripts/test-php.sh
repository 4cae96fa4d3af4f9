#!/usr/bin/env bash
# Runs the PHPUnit suite against the built extension and a fresh sandbox panel.
set -euo pipefail
cd "$(dirname "$0")/.."
release="${CARGO_TARGET_DIR:-$PWD/target}/release"
# WU_NATIVE_EXT may name another build (make dist checks its zips this way).
export WU_NATIVE_EXT="${WU_NATIVE_EXT:-$release/libwu_native.so}"
# The sandbox's binaries (panel, proxy) are always those of this build directory.
export WU_NATIVE_BIN_DIR="$release"
[ -f "$WU_NATIVE_EXT" ] || { echo "test-php: $WU_NATIVE_EXT is not built; run make build" >&2; exit 1; }
WU_SANDBOX_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-php-tests.XXXXXX")"
export WU_SANDBOX_DIR
WU_SANDBOX_URL="$(scripts/sandbox.sh start)"
export WU_SANDBOX_URL
trap 'scripts/sandbox.sh stop; rm -rf "$WU_SANDBOX_DIR"' EXIT
php -d "extension=$WU_NATIVE_EXT" "$(command -v phpunit)" -c tests/php/phpunit.xml "$@"
