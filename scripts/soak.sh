#!/usr/bin/env bash
# Soak test: Debian's php-fpm (static pool) serves tests/soak/worker.php, which
# adds and removes names on a private sandbox panel through the extension;
# wu-soak drives it over FastCGI and prints the table.
#   scripts/soak.sh [short|full]     (make soak-short / make soak)
# Settings (environment): SOAK_CALLS, SOAK_CONCURRENCY, SOAK_WORKERS,
# SOAK_MAX_GROWTH_KB, SOAK_DEADLINE (s), SOAK_TIMEOUT (s), SOAK_WARMUP_PCT,
# SOAK_SERVERPILOT_CALLS (second pass on one ServerPilot app; 0 skips it).
# Expects `make build` and the wu-soak binary (the Makefile targets build both).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
mode="${1:-full}"
case "$mode" in
  short) calls=3000;  deadline=120; growth=4096 ;;
  full)  calls=20000; deadline=600; growth=4096 ;;
  *) echo "usage: $0 [short|full]" >&2; exit 2 ;;
esac
calls="${SOAK_CALLS:-$calls}"
concurrency="${SOAK_CONCURRENCY:-8}"
workers="${SOAK_WORKERS:-4}"
growth="${SOAK_MAX_GROWTH_KB:-$growth}"
deadline="${SOAK_DEADLINE:-$deadline}"
timeout="${SOAK_TIMEOUT:-20}"
warmup="${SOAK_WARMUP_PCT:-10}"

ext="$root/target/release/libwu_native.so"
sandbox_bin="$root/target/release/wu-sandbox"
soak_bin="$root/target/release/wu-soak"
for f in "$ext" "$sandbox_bin" "$soak_bin"; do
  [ -e "$f" ] || { echo "soak: $f is not built; run make soak or make soak-short" >&2; exit 1; }
done

"$root/scripts/deps.sh" soak
version="$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
fpm="$(command -v "php-fpm$version" || echo "/usr/sbin/php-fpm$version")"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/wu-soak.XXXXXX")"
sandbox_pid=""
fpm_pid=""
cleanup() {
  # php-fpm stops gracefully on SIGQUIT, the sandbox on SIGTERM; then make sure, by pid only.
  stop() {
    [ -n "$2" ] || return 0
    kill "-$1" "$2" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$2" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$2" 2>/dev/null || true
  }
  stop QUIT "$fpm_pid"
  stop TERM "$sandbox_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private sandbox panel on a free loopback port.
"$sandbox_bin" --listen 127.0.0.1:0 --port-file "$tmp/sandbox.port" >"$tmp/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/sandbox.port" ] && break; sleep 0.05; done
[ -s "$tmp/sandbox.port" ] || { echo "soak: sandbox did not start" >&2; cat "$tmp/sandbox.out" >&2; exit 1; }
sandbox_url="http://127.0.0.1:$(cat "$tmp/sandbox.port")"

sed -e "s|@DIR@|$tmp|g" -e "s|@WORKERS@|$workers|g" tests/soak/php-fpm.conf.in >"$tmp/php-fpm.conf"

# -n: no system php.ini/conf.d, so an installed copy of the extension cannot
# shadow the one under test; opcache is added back when present, as in production.
php_args=(-n -d "extension=$ext")
extdir="$("php-config$version" --extension-dir 2>/dev/null || php-config --extension-dir 2>/dev/null || true)"
if [ -n "$extdir" ] && [ -f "$extdir/opcache.so" ]; then
  php_args+=(-d zend_extension=opcache -d opcache.enable=1)
fi
root_flag=()
[ "$(id -u)" = "0" ] && root_flag=(-R)   # php-fpm refuses to run its pool as root without -R

"$fpm" -F "${root_flag[@]}" "${php_args[@]}" -y "$tmp/php-fpm.conf" >"$tmp/php-fpm.out" 2>&1 &
fpm_pid=$!
for _ in $(seq 1 100); do
  [ -S "$tmp/php-fpm.sock" ] && grep -q "ready to handle connections" "$tmp/php-fpm.log" 2>/dev/null && break
  kill -0 "$fpm_pid" 2>/dev/null || break
  sleep 0.05
done
if ! [ -S "$tmp/php-fpm.sock" ]; then
  echo "soak: php-fpm did not start" >&2
  cat "$tmp/php-fpm.out" "$tmp/php-fpm.log" >&2 2>/dev/null || true
  exit 1
fi
if ! "$fpm" "${php_args[@]}" -m 2>/dev/null | grep -qx wu_native; then
  echo "soak: php-fpm did not load $ext" >&2; exit 1
fi

echo "==> $mode soak: $calls calls, $concurrency connections, $workers php-fpm workers, $("$fpm" -v | head -1 | cut -d' ' -f1-2)"
rc=0
"$soak_bin" --fcgi "unix:$tmp/php-fpm.sock" --script "$root/tests/soak/worker.php" --sandbox "$sandbox_url" \
  --calls "$calls" --concurrency "$concurrency" --workers "$workers" --warmup-pct "$warmup" \
  --deadline-secs "$deadline" --timeout-secs "$timeout" --max-growth-kb "$growth" \
  --fpm-log "$tmp/php-fpm.log" --title "wu_native soak ($mode)" || rc=$?
# Concurrent writers of one ServerPilot app (its API replaces the whole list,
# so a lost update shows as a failed call or a name left behind).
sp_calls="${SOAK_SERVERPILOT_CALLS:-$([ "$mode" = short ] && echo 600 || echo 4000)}"
if [ "$rc" = 0 ] && [ "$sp_calls" -gt 0 ]; then
  echo "==> $mode soak, one ServerPilot app: $sp_calls calls, $concurrency connections"
  "$soak_bin" --fcgi "unix:$tmp/php-fpm.sock" --script "$root/tests/soak/worker.php" --sandbox "$sandbox_url" \
    --panel serverpilot --calls "$sp_calls" --concurrency "$concurrency" --workers "$workers" --warmup-pct "$warmup" \
    --deadline-secs "$deadline" --timeout-secs "$timeout" --max-growth-kb "$growth" \
    --fpm-log "$tmp/php-fpm.log" --title "wu_native soak ($mode, one ServerPilot app)" || rc=$?
fi
if [ "$rc" != 0 ]; then
  echo "--- php-fpm log (last 20 lines)"
  tail -n 20 "$tmp/php-fpm.log" 2>/dev/null || true
fi
exit "$rc"
