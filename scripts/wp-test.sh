#!/usr/bin/env bash
# Runs the WordPress suite (tests/wp): installs Debian's wordpress and
# mariadb-server when missing, starts a private MariaDB (unix socket only) and
# a sandbox panel (loopback), installs one multisite network for the run with
# the wu-native mu-plugin, runs PHPUnit, and tears everything down.
#   scripts/wp-test.sh [phpunit arguments…]
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

scripts/wp-deps.sh
release="${CARGO_TARGET_DIR:-$repo/target}/release"
export WU_NATIVE_EXT="$release/libwu_native.so"
sandbox_bin="$release/wu-sandbox"
for built in "$WU_NATIVE_EXT" "$sandbox_bin"; do
  [ -f "$built" ] || { echo "test-wp: $built is not built; run make build" >&2; exit 1; }
done

root="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-wp.XXXXXX")"
export WU_WP_ROOT="$root"
MARIADB_PID=""
sandbox_pid=""
source scripts/wp-env.sh
teardown() {
  local status=$?
  set +e
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  [ -n "$MARIADB_PID" ] && stop_processes "$MARIADB_PID"
  rm -rf "$root"
  exit "$status"
}
trap teardown EXIT

start_mariadb "$root"

echo "==> sandbox panel"
"$sandbox_bin" --listen 127.0.0.1:0 --port-file "$root/sandbox.port" --log "$root/sandbox-requests.log" >"$root/sandbox.log" 2>&1 &
sandbox_pid=$!
wait_for "$root/sandbox.port" "$sandbox_pid" "the sandbox panel" || { cat "$root/sandbox.log" >&2; exit 1; }
for _ in $(seq 1 20); do [ -s "$root/sandbox.port" ] && break; sleep 0.05; done
export WU_SANDBOX_URL="http://127.0.0.1:$(cat "$root/sandbox.port")"

echo "==> WordPress multisite with the wu-native mu-plugin"
content="$root/wp-content"
mkdir -p "$content/mu-plugins" "$content/plugins" "$content/themes" "$content/uploads"
# Installed as a user would: one file in mu-plugins (a symlink to php/).
ln -s "$repo/php/wu-native.php" "$content/mu-plugins/wu-native.php"
ln -s "$repo/tests/wp/fixtures/mu-plugins/0-wu-native-test-harness.php" "$content/mu-plugins/"
ln -s "$repo/tests/wp/fixtures/ultimate-multisite" "$content/plugins/ultimate-multisite"
php -n -d extension=mysqlnd -d extension=mysqli tests/wp/Support/install.php
php -n -d extension=mysqlnd -d extension=mysqli tests/wp/Support/add-site.php

echo "==> PHPUnit (tests/wp)"
phpunit -c tests/wp/phpunit.xml "$@"
