# Shared by scripts/wp-test.sh, scripts/browser-test.sh and scripts/bench.sh
# (sourced, not run): a private MariaDB for a throw-away WordPress, the test
# network on it, and waiting for what they start.

# built_artifacts WHO: this checkout's release build, the extension
# (exported as WU_NATIVE_EXT) and the sandbox binary (sandbox_bin); stops
# with a hint, in WHO's name, when either is missing.
built_artifacts() {
  local release="${CARGO_TARGET_DIR:-$repo/target}/release" built
  export WU_NATIVE_EXT="$release/libwu_native.so"
  sandbox_bin="$release/wu-sandbox"
  for built in "$WU_NATIVE_EXT" "$sandbox_bin"; do
    [ -f "$built" ] || { echo "$1: $built is not built; run make build" >&2; exit 1; }
  done
}

# wait_for FILE PID WHAT: until FILE exists (a socket) or has content (a port file).
wait_for() {
  for _ in $(seq 1 200); do
    { [ -S "$1" ] || [ -s "$1" ]; } && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.05
  done
  echo "$(basename "$0"): $3 did not start" >&2
  return 1
}

# start_mariadb ROOT: MariaDB on the unix socket ROOT/mysql.sock only (no
# network), with database and user "wordpress". Sets MARIADB_PID.
start_mariadb() {
  local root="$1" user
  user="$(id -un)"
  echo "==> MariaDB in $root (unix socket only)"
  mkdir -p "$root/db"
  mariadb-install-db --no-defaults --datadir="$root/db" --user="$user" --skip-test-db \
    --auth-root-authentication-method=socket >"$root/mariadb-install.log" 2>&1 \
    || { cat "$root/mariadb-install.log" >&2; return 1; }
  # Durability is not wanted for a throw-away database: skip the fsyncs.
  mariadbd --no-defaults --datadir="$root/db" --socket="$root/mysql.sock" --skip-networking \
    --pid-file="$root/mariadb.pid" --log-error="$root/mariadb.err" --user="$user" \
    --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
    --skip-log-bin >/dev/null 2>&1 &
  MARIADB_PID=$!
  wait_for "$root/mysql.sock" "$MARIADB_PID" MariaDB || { cat "$root/mariadb.err" >&2; return 1; }
  mariadb --no-defaults --socket="$root/mysql.sock" -u root <<'SQL'
CREATE DATABASE wordpress;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY 'wordpress';
GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';
SQL
}

# start_test_network ROOT REPO SANDBOX_BIN: MariaDB, the sandbox panel
# (loopback) and one WordPress multisite with the wu-native mu-plugin, as the
# WordPress suite uses them. Sets MARIADB_PID and sandbox_pid, exports
# WU_SANDBOX_URL.
start_test_network() {
  local root="$1" repo="$2" sandbox_bin="$3" content
  start_mariadb "$root"

  echo "==> sandbox panel"
  "$sandbox_bin" --listen 127.0.0.1:0 --port-file "$root/sandbox.port" --log "$root/sandbox-requests.log" >"$root/sandbox.log" 2>&1 &
  sandbox_pid=$!
  wait_for "$root/sandbox.port" "$sandbox_pid" "the sandbox panel" || { cat "$root/sandbox.log" >&2; return 1; }
  for _ in $(seq 1 20); do [ -s "$root/sandbox.port" ] && break; sleep 0.05; done
  export WU_SANDBOX_URL="http://127.0.0.1:$(cat "$root/sandbox.port")"

  echo "==> WordPress multisite with the wu-native mu-plugin"
  content="$root/wp-content"
  mkdir -p "$content/mu-plugins" "$content/plugins" "$content/themes" "$content/uploads"
  # Installed as a user would: one file in mu-plugins (a symlink to php/).
  ln -s "$repo/php/wu-native.php" "$content/mu-plugins/wu-native.php"
  ln -s "$repo/tests/wp/fixtures/mu-plugins/0-wu-native-test-harness.php" "$content/mu-plugins/"
  ln -s "$repo/tests/wp/fixtures/ultimate-multisite" "$content/plugins/ultimate-multisite"
  php -n -d extension=mysqlnd -d extension=mysqli "$repo/tests/wp/Support/install.php"
  php -n -d extension=mysqlnd -d extension=mysqli "$repo/tests/wp/Support/add-site.php"
}

# stop_processes PID…: TERM, wait up to 10 s each, then KILL.
stop_processes() {
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null; done
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  return 0
}
