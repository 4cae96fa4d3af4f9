#!/usr/bin/env bash
# Installs the built extension as wu_native.so and enables it for every PHP SAPI.
set -euo pipefail
cd "$(dirname "$0")/.."
src="target/release/libwu_native.so"
[ -f "$src" ] || { echo "install: $src is not built; run make build" >&2; exit 1; }
extdir="$(php-config --extension-dir)"
install -m 0644 "$src" "$extdir/wu_native.so"
echo "==> installed $extdir/wu_native.so"
version="$(php-config --version | cut -d. -f1,2)"
mods="/etc/php/$version/mods-available"
if [ -d "$mods" ]; then
  printf '; wu_native: Ultimate Multisite hosting-panel integrations\nextension=wu_native.so\n' >"$mods/wu_native.ini"
  if command -v phpenmod >/dev/null 2>&1; then phpenmod -v "$version" wu_native; fi
  echo "==> enabled in $mods/wu_native.ini; restart php-fpm to load it (systemctl restart php$version-fpm)"
else
  echo "==> add 'extension=wu_native.so' to your php.ini"
fi
php --ri wu_native | head -3 || true
