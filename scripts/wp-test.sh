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
source scripts/wp-env.sh
built_artifacts test-wp

root="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-wp.XXXXXX")"
export WU_WP_ROOT="$root"
MARIADB_PID=""
sandbox_pid=""
teardown() {
  local status=$?
  set +e
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  [ -n "$MARIADB_PID" ] && stop_processes "$MARIADB_PID"
  rm -rf "$root"
  exit "$status"
}
trap teardown EXIT

start_test_network "$root" "$repo" "$sandbox_bin"

echo "==> PHPUnit (tests/wp)"
phpunit -c tests/wp/phpunit.xml "$@"
