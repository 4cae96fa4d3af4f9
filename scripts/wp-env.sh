# Shared by scripts/wp-test.sh and scripts/bench.sh (sourced, not run): a
# private MariaDB for a throw-away WordPress, and waiting for what they start.

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
