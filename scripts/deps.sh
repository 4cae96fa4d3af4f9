#!/usr/bin/env bash
# Installs, on Debian, what building and testing wu_native needs and is missing:
# PHP 8.2 with its development files, libclang (for the PHP bindings), PHPUnit.
set -euo pipefail

missing=()
command -v php-config >/dev/null 2>&1 || missing+=(php8.2-dev)
command -v php >/dev/null 2>&1 || missing+=(php8.2-cli)
command -v phpunit >/dev/null 2>&1 || missing+=(phpunit)
compgen -G "/usr/lib/llvm-*/lib/libclang*.so*" >/dev/null || compgen -G "/usr/lib/*/libclang*.so*" >/dev/null || missing+=(libclang-dev)
for module in curl mbstring xml; do
  php -m 2>/dev/null | grep -qx "$module" || missing+=("php8.2-$module")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || { echo "wu_native needs: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "==> Installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
