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
export WU_NATIVE_EXT="$repo/target/release/libwu_native.so"
sandbox_bin="$repo/target/release/wu-sandbox"
for built in "$WU_NATIVE_EXT" "$sandbox_bin"; do
  [ -f "$built" ] || { echo "test-wp: $built is not built; run make build" >&2; exit 1; }
done

root="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-wp.XXXXXX")"
export WU_WP_ROOT="$root"
mariadb_pid=""
sandbox_pid=""
teardown() {
  local status=$?
  set +e
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  if [ -n "$mariadb_pid" ]; then
    kill "$mariadb_pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$mariadb_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$mariadb_pid" 2>/dev/null
  fi
  rm -rf "$root"
  exit "$status"
}
trap teardown EXIT

wait_for() { # file pid what
  for _ in $(seq 1 200); do
    [ -e "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.05
  done
  echo "test-wp: $3 did not start" >&2
  return 1
}

echo "==> MariaDB in $root (unix socket only)"
mkdir -p "$root/db"
user="$(id -un)"
mariadb-install-db --no-defaults --datadir="$root/db" --user="$user" --skip-test-db \
  --auth-root-authentication-method=socket >"$root/mariadb-install.log" 2>&1 \
  || { cat "$root/mariadb-install.log" >&2; exit 1; }
# Durability is not wanted for a throw-away database: skip the fsyncs.
mariadbd --no-defaults --datadir="$root/db" --socket="$root/mysql.sock" --skip-networking \
  --pid-file="$root/mariadb.pid" --log-error="$root/mariadb.err" --user="$user" \
  --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
  --skip-log-bin >/dev/null 2>&1 &
mariadb_pid=$!
wait_for "$root/mysql.sock" "$mariadb_pid" MariaDB || { cat "$root/mariadb.err" >&2; exit 1; }
mariadb --no-defaults --socket="$root/mysql.sock" -u root <<'SQL'
CREATE DATABASE wordpress;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY 'wordpress';
GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';
SQL

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
