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
source scripts/wp-env.sh
built_artifacts bench
ext="$WU_NATIVE_EXT"

root="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-bench.XXXXXX")"
export BENCH_ROOT="$root"
pids=()
teardown() {
  local status=$?
  set +e
  stop_processes "${pids[@]}"
  rm -rf "$root"
  exit "$status"
}
trap teardown EXIT

# Only the extensions each side needs; no php.ini (an installed wu_native.ini would load it twice).
php_base=(php -n -d memory_limit=512M)
php_wp=("${php_base[@]}" -d extension=curl -d extension=mysqlnd -d extension=mysqli -d extension=mbstring)

start_mariadb "$root"
pids+=("$MARIADB_PID")

# PHP on the first CPU, the sandbox on the last: both clients' connections
# then meet the same scheduling (the sandbox serves each connection on a
# thread of its own, and where the scheduler puts that thread otherwise
# weighs more than a client's own cost).
client_cpu=(); server_cpu=()
cpus="$(nproc 2>/dev/null || echo 1)"
if [ "$cpus" -ge 2 ] && command -v taskset >/dev/null; then
  client_cpu=(taskset -c 0); server_cpu=(taskset -c "$((cpus - 1))")
fi

echo "==> sandbox panels (HTTP and HTTPS, 127.0.0.1)"
"${server_cpu[@]}" "$sandbox_bin" --listen 127.0.0.1:0 --port-file "$root/http.port" --log "$root/http-requests.log" >"$root/http.log" 2>&1 &
pids+=($!)
wait_for "$root/http.port" "${pids[-1]}" "the HTTP sandbox" || { cat "$root/http.log" >&2; exit 1; }
"${server_cpu[@]}" "$sandbox_bin" --listen 127.0.0.1:0 --port-file "$root/https.port" --log "$root/https-requests.log" \
  --tls --ca-out "$root/ca.pem" >"$root/https.log" 2>&1 &
pids+=($!)
wait_for "$root/https.port" "${pids[-1]}" "the HTTPS sandbox" || { cat "$root/https.log" >&2; exit 1; }
http_url="http://127.0.0.1:$(cat "$root/http.port")"
https_url="https://127.0.0.1:$(cat "$root/https.port")"

echo "==> WordPress (Debian's package) on the private MariaDB"
mkdir -p "$root/wp-content/plugins" "$root/wp-content/themes" "$root/wp-content/uploads"
"${php_wp[@]}" bench/wp-install.php

echo "==> cost of loading the extension, and of the first call in a process"
"${client_cpu[@]}" "${php_base[@]}" -d extension=curl bench/process.php "$ext" "$http_url" "$https_url" "$root/ca.pem" "$root/process.json"

for transport in http https; do
  echo "==> $transport: per-mapping cycles and bulk reconciles"
  url_var="${transport}_url"
  ca=""
  [ "$transport" = https ] && ca="$root/ca.pem"
  "${client_cpu[@]}" "${php_wp[@]}" -d extension="$ext" bench/run.php "$transport" "${!url_var}" "$ca" "$root/$transport.json"
done

[ -n "${BENCH_KEEP_JSON:-}" ] && mkdir -p "$BENCH_KEEP_JSON" && cp "$root"/{http,https,process}.json "$BENCH_KEEP_JSON"/
"${php_base[@]}" -d extension="$ext" bench/report.php "$root/http.json" "$root/https.json" "$root/process.json" bench/results.md
