#!/usr/bin/env bash
# Instructions one request costs in the PHP process (callgrind), natively and
# as PHP's curl with a reused handle sending the same request: each side run
# for 50 and for 350 requests, the difference divided by 300, so start-up
# and the warm-up call drop out. Kernel time is not counted.
#   scripts/request-instructions.sh [PANEL …]   (default: every panel whose
#   connection test is one request)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "request-instructions: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
ext="$PWD/target/release/libwu_native.so"
dir="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-instructions.XXXXXX")"
target/release/wu-sandbox --listen 127.0.0.1:0 --port-file "$dir/port" --tls --ca-out "$dir/ca.pem" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
url="https://127.0.0.1:$(cat "$dir/port")"
# A CA file changed in the last two seconds is read again on every call.
sleep 2.5
panels=("$@")
[ ${#panels[@]} -gt 0 ] || panels=(cpanel enhance hestia plesk serverpilot)
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null php -n -d extension=curl -d extension="$ext" \
    bench/one-request.php "$url" "$dir/ca.pem" "$1" "$2" "$3" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-12s %12s %12s %8s\n' panel native curl ratio
for panel in "${panels[@]}"; do
  n=$(( ($(count "$panel" native 350) - $(count "$panel" native 50)) / 300 ))
  c=$(( ($(count "$panel" curl 350) - $(count "$panel" curl 50)) / 300 ))
  printf '%-12s %12d %12d %8s\n' "$panel" "$n" "$c" "$(awk -v n="$n" -v c="$c" 'BEGIN { printf "%.2f", n / c }')"
done
