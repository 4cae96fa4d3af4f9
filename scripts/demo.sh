#!/usr/bin/env bash
# The demo: starts the sandbox panel, maps and unmaps customer.example through
# the built extension, shows the panel's aliases after each step, stops the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
ext="$PWD/target/release/libwu_native.so"
[ -f "$ext" ] || { echo "demo: $ext is not built; run make build" >&2; exit 1; }
url="$(scripts/sandbox.sh start)"
trap 'scripts/sandbox.sh stop; echo "==> sandbox panel stopped"' EXIT
echo "==> sandbox panel listening at $url"
WU_SANDBOX_URL="$url" php -n -d "extension=$ext" scripts/demo.php
