#!/usr/bin/env bash
# scripts/install.sh where a server has nothing but PHP's command line: a
# Debian 13 root with only php8.4-cli (scripts/debian-root.sh trixie:cli).
# Installs from a dist/ zip of the PHP 8.4 build (test-matrix.sh builds it in
# target/php8.4), checks that a build for another PHP API is refused, then
# uninstalls.
#   scripts/test-install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
good_so="$repo/target/php8.4/release/libwu_native.so"
other_so="$repo/target/release/libwu_native.so"
for so in "$good_so" "$other_so"; do
  [ -f "$so" ] || { echo "test-install: $so is not built (make build, scripts/test-matrix.sh)" >&2; exit 1; }
done
work="$repo/target/install-test"
rm -rf "$work"
mkdir -p "$work/good" "$work/other"
zip_name="php_wu_native-${version}_php8.4-x86_64-linux-glibc-nts.zip"
package() { python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED).write(sys.argv[1], "wu_native.so")' "$1" "$2"; (cd "$(dirname "$2")" && sha256sum "$(basename "$2")" >"$(basename "$2").sha256"); }
package "$good_so" "$work/good/$zip_name"
package "$other_so" "$work/other/$zip_name"

echo "==> install.sh in a Debian 13 root with only php8.4-cli"
scripts/debian-root.sh trixie:cli php8.4-cli >/dev/null
scripts/debian-root.sh --run trixie:cli /bin/bash -euo pipefail -c '
  repo="$1"; work="$2"
  cd "$repo"
  # The point of the test: nothing but PHP'"'"'s CLI (cargo is only mounted in, install.sh never calls it).
  for tool in php-config8.4 phpize8.4 unzip python3 gcc; do
    if command -v "$tool" >/dev/null 2>&1; then echo "the root has $tool" >&2; exit 1; fi
  done
  check() { echo "    ok: $1"; }

  out="$(scripts/install.sh --dist "$work/other" 2>&1)" && { echo "$out"; echo "a build for another PHP API was installed" >&2; exit 1; }
  grep -q "built for API20220829,NTS, PHP 8.4 needs API20240924,NTS" <<<"$out" || { echo "$out" >&2; exit 1; }
  ! php8.4 -m | grep -qx wu_native
  check "a build for PHP 8.2 is refused, naming both APIs"

  scripts/install.sh --dist "$work/good"
  php8.4 --ri wu_native | grep -q "wu_native support => enabled"
  grep -q "^; priority=20$" /etc/php/8.4/mods-available/wu_native.ini
  [ -L /etc/php/8.4/cli/conf.d/20-wu_native.ini ]
  php8.4 -r "exit(function_exists(\"wu_native_add_domain\") ? 0 : 1);"
  check "installed from the zip with PHP alone, enabled at priority 20, php8.4 --ri wu_native"

  scripts/install.sh --uninstall
  ! php8.4 -m | grep -qx wu_native
  [ ! -e /etc/php/8.4/mods-available/wu_native.ini ] && [ ! -e /etc/php/8.4/cli/conf.d/20-wu_native.ini ]
  [ ! -e "$(php8.4 -r "echo ini_get(\"extension_dir\");")/wu_native.so" ]
  check "--uninstall removes the module and its ini"
' test-install "$repo" "$work"
rm -rf "$work"
