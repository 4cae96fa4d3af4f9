#!/usr/bin/env bash
# Starts and stops the sandbox panel on a free loopback port.
#   scripts/sandbox.sh start   → prints the sandbox's base URL
#   scripts/sandbox.sh stop
#   scripts/sandbox.sh url
# State lives in $WU_SANDBOX_DIR (default target/sandbox/: pid, port, log), so
# runs that each set their own directory do not stop each other's sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${WU_SANDBOX_DIR:-target/sandbox}"
bin="${CARGO_TARGET_DIR:-target}/release/wu-sandbox"
mkdir -p "$dir"

running() { [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; }

case "${1:-}" in
  start)
    if running; then echo "http://127.0.0.1:$(cat "$dir/port")"; exit 0; fi
    [ -x "$bin" ] || { echo "sandbox: $bin is not built; run make build" >&2; exit 1; }
    rm -f "$dir/port"
    "$bin" --listen 127.0.0.1:0 --port-file "$dir/port" --log "$dir/requests.log" >"$dir/stdout.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
      [ -s "$dir/port" ] && { echo "http://127.0.0.1:$(cat "$dir/port")"; exit 0; }
      running || break
      sleep 0.05
    done
    echo "sandbox: did not start; see $dir/stdout.log" >&2
    cat "$dir/stdout.log" >&2 || true
    exit 1
    ;;
  stop)
    if running; then
      pid=$(cat "$dir/pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid" "$dir/port"
    ;;
  url)
    running && echo "http://127.0.0.1:$(cat "$dir/port")" || { echo "sandbox: not running" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
