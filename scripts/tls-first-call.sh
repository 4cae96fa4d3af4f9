#!/usr/bin/env bash
# Times the first HTTPS call of a fresh PHP process (building the TLS set-up:
# the system trust store and WU_NATIVE_CA_FILE) against an HTTPS sandbox.
#   scripts/tls-first-call.sh [RUNS] [EXTENSION.so]   → median and p90 in ms
# TRUST=system: no WU_NATIVE_CA_FILE; the panel is trusted through the system
# store instead (the system's bundle plus the sandbox's CA as SSL_CERT_FILE,
# SSL_CERT_DIR unset), so the whole store is read, as for a public panel.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
ext="${2:-$PWD/target/release/libwu_native.so}"
trust="${TRUST:-ca-file}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-first-call.XXXXXX")"
target/release/wu-sandbox --listen 127.0.0.1:0 --port-file "$dir/port" --tls --ca-out "$dir/ca.pem" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
cat >"$dir/call.php" <<PHP
<?php
define('WU_HESTIA_API_URL', 'https://127.0.0.1:' . trim(file_get_contents('$dir/port')));
define('WU_HESTIA_API_USER', 'admin');
define('WU_HESTIA_API_PASSWORD', 'sandbox-admin-password');
define('WU_HESTIA_ACCOUNT', 'admin');
define('WU_HESTIA_WEB_DOMAIN', 'network.example');
if ('$trust' !== 'system') {
    define('WU_NATIVE_CA_FILE', '$dir/ca.pem');
}
\$t = hrtime(true);
\$r = wu_native_test_connection('hestia');
\$first = (hrtime(true) - \$t) / 1e6;
\$t = hrtime(true);
wu_native_test_connection('hestia');
\$second = (hrtime(true) - \$t) / 1e6;
if (!\$r['ok']) { fwrite(STDERR, \$r['message'] . "\n"); exit(1); }
printf("%.2f %.2f\n", \$first, \$second);
PHP
if [ "$trust" = system ]; then
  cat "${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}" "$dir/ca.pem" >"$dir/bundle.pem"
  export SSL_CERT_FILE="$dir/bundle.pem"
  unset SSL_CERT_DIR
fi
for _ in $(seq 1 "$runs"); do php -n -d "extension=$ext" "$dir/call.php"; done >"$dir/times"
pick() { sort -n -k"$1" "$dir/times" | awk -v k="$1" -v q="$2" '{ v[NR] = $k } END { i = int(NR * q + 0.5); if (i < 1) i = 1; printf "%.1f", v[i] }'; }
echo "first call ($trust): median $(pick 1 0.5) ms, p90 $(pick 1 0.9) ms; second call: median $(pick 2 0.5) ms ($runs runs)"
