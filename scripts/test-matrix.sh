#!/usr/bin/env bash
# The PHP version matrix beyond this machine's own PHP (which `make test`
# covers): PHP 8.4 with WordPress 6.8 in a Debian 13 (trixie) root made with
# debootstrap and cached outside the repository (scripts/debian-root.sh):
#   - the extension and the sandbox built there, against that PHP;
#   - the PHP suite and the WordPress suite;
#   - PIE's source build, exactly as PIE runs it: phpize && ./configure && make,
#     and the module it leaves in modules/ loaded by that PHP;
#   - build.rs refusing PHP and PHP_CONFIG of two different PHP APIs;
#   - scripts/install.sh in a root with only php8.4-cli (scripts/test-install.sh).
#   scripts/test-matrix.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
suite=trixie
php=8.4
packages=(
  "php$php-cli" "php$php-dev" "php$php-curl" "php$php-mbstring" "php$php-xml" "php$php-mysql"
  phpunit libclang-dev gcc libc6-dev make wordpress mariadb-server ca-certificates
)

echo "==> matrix: PHP $php in a Debian $suite root"
scripts/debian-root.sh "$suite" "${packages[@]}" >/dev/null

# The source tree as PIE downloads it: the tracked files, nothing built.
pie_src="$repo/target/pie-src-$php"
rm -rf "$pie_src"
mkdir -p "$pie_src"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$pie_src"

scripts/debian-root.sh --run "$suite" /bin/bash -euo pipefail -c '
  repo="$1"; php="$2"; pie_src="$3"
  cd "$repo"
  export CARGO_TARGET_DIR="$repo/target/php$php" PHP="/usr/bin/php$php" PHP_CONFIG="/usr/bin/php-config$php"
  echo "==> [$php] build"
  cargo build --release -p wu_native -p wu_sandbox
  echo "==> [$php] PHP suite"
  scripts/test-php.sh
  echo "==> [$php] WordPress suite (WordPress $(sed -n "s/^\$wp_version = .\(.*\).;/\1/p" /usr/share/wordpress/wp-includes/version.php))"
  scripts/wp-test.sh
  echo "==> [$php] PIE source build: phpize && ./configure && make"
  cd "$pie_src"
  "phpize$php" >/dev/null
  ./configure --with-php-config="/usr/bin/php-config$php" >/dev/null
  make
  "php$php" -n -d "extension=$pie_src/modules/wu_native.so" --ri wu_native | grep -q "wu_native support => enabled"
  "php$php" -n -d "extension=$pie_src/modules/wu_native.so" -r "exit(function_exists(\"wu_native_add_domain\") ? 0 : 1);"
  echo "==> [$php] PIE source build: modules/wu_native.so loads"

  echo "==> [$php] build.rs refuses PHP and PHP_CONFIG of two PHP APIs"
  cd "$repo"
  fake="$(mktemp -d)/php-config"
  printf "#!/bin/sh\n[ \"\$1\" = --phpapi ] && { echo 20220829; exit 0; }\nexec /usr/bin/php-config$php \"\$@\"\n" >"$fake"
  chmod +x "$fake"
  if out="$(PHP_CONFIG="$fake" cargo build --release -p wu_native 2>&1)"; then
    echo "a build mixing two PHPs went through" >&2; exit 1
  fi
  grep -q "PHP and PHP_CONFIG name two different PHPs: .*PHP API 20240924, .*PHP API 20220829. Set both" <<<"$out" || { echo "$out" | tail -20 >&2; exit 1; }
  echo "==> [$php] refused, naming both APIs"
' matrix "$repo" "$php" "$pie_src"
rm -rf "$pie_src"

scripts/test-install.sh
