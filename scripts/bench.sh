#!/usr/bin/env bash
# Side-by-side benchmark (make bench): wu_native versus the plugin's PHP path
# through WordPress's HTTP API, against two sandbox panels (HTTP and HTTPS,
# certificate verification on for both sides), in one run. Prints the table
# and writes it to bench/results.md.
#   BENCH_CYCLES (200)  BENCH_BULK (1000)  BENCH_SP_BULK (290, at most 290)
#   BENCH_LOAD_RUNS (200)  BENCH_FIRST_RUNS (20)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

scripts/wp-deps.sh
ext="$repo/target/release/libwu_native.so"
sandbox_bin="$repo/target/release/wu-sandbox"
for built in "$ext" "$sandbox_bin"; do
  [ -f "$built" ] || { echo "bench: $built is not built; run make build" >&2; exit 1; }
done

root="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-bench.XXXXXX")"
export BENCH_ROOT="$root"
pids=()
teardown() {
  local status=$?
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$root"
  exit "$status"
}
trap teardown EXIT

wait_for() { # file pid what (a socket exists; a port file has content)
  for _ in $(seq 1 200); do
    { [ -S "$1" ] || [ -s "$1" ]; } && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench: $3 did not start" >&2
  return 1
}

# Only the extensions each side needs; no php.ini (an installed wu_native.ini would load it twice).
php_base=(php -n -d memory_limit=512M)
php_wp=("${php_base[@]}" -d extension=curl -d extension=mysqlnd -d extension=mysqli -d extension=mbstring)

echo "==> MariaDB in $root (unix socket only)"
mkdir -p "$root/db"
user="$(id -un)"
mariadb-install-db --no-defaults --datadir="$root/db" --user="$user" --skip-test-db \
  --auth-root-authentication-method=socket >"$root/mariadb-install.log" 2>&1 \
  || { cat "$root/mariadb-install.log" >&2; exit 1; }
mariadbd --no-defaults --datadir="$root/db" --socket="$root/mysql.sock" --skip-networking \
  --pid-file="$root/mariadb.pid" --log-error="$root/mariadb.err" --user="$user" \
  --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
  --skip-log-bin >/dev/null 2>&1 &
pids+=($!)
wait_for "$root/mysql.sock" "${pids[-1]}" MariaDB || { cat "$root/mariadb.err" >&2; exit 1; }
mariadb --no-defaults --socket="$root/mysql.sock" -u root <<'SQL'
CREATE DATABASE wordpress;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY 'wordpress';
GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';
SQL

echo "==> sandbox panels (HTTP and HTTPS, 127.0.0.1)"
"$sandbox_bin" --listen 127.0.0.1:0 --port-file "$root/http.port" --log "$root/http-requests.log" >"$root/http.log" 2>&1 &
pids+=($!)
wait_for "$root/http.port" "${pids[-1]}" "the HTTP sandbox" || { cat "$root/http.log" >&2; exit 1; }
"$sandbox_bin" --listen 127.0.0.1:0 --port-file "$root/https.port" --log "$root/https-requests.log" \
  --tls --ca-out "$root/ca.pem" >"$root/https.log" 2>&1 &
pids+=($!)
wait_for "$root/https.port" "${pids[-1]}" "the HTTPS sandbox" || { cat "$root/https.log" >&2; exit 1; }
http_url="http://127.0.0.1:$(cat "$root/http.port")"
https_url="https://127.0.0.1:$(cat "$root/https.port")"

echo "==> WordPress (Debian's package) on the private MariaDB"
mkdir -p "$root/wp-content/plugins" "$root/wp-content/themes" "$root/wp-content/uploads"
"${php_wp[@]}" bench/wp-install.php

echo "==> cost of loading the extension, and of the first call in a process"
"${php_base[@]}" -d extension=curl bench/process.php "$ext" "$http_url" "$https_url" "$root/ca.pem" "$root/process.json"

for transport in http https; do
  echo "==> $transport: per-mapping cycles and bulk reconciles"
  url_var="${transport}_url"
  ca=""
  [ "$transport" = https ] && ca="$root/ca.pem"
  "${php_wp[@]}" -d extension="$ext" bench/run.php "$transport" "${!url_var}" "$ca" "$root/$transport.json"
done

[ -n "${BENCH_KEEP_JSON:-}" ] && mkdir -p "$BENCH_KEEP_JSON" && cp "$root"/{http,https,process}.json "$BENCH_KEEP_JSON"/
"${php_base[@]}" -d extension="$ext" bench/report.php "$root/http.json" "$root/https.json" "$root/process.json" bench/results.md
