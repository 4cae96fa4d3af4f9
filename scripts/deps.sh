#!/usr/bin/env bash
# Installs, on Debian, what wu_native's commands need and is missing, with one
# apt-get update and one install for everything asked:
#   scripts/deps.sh [build] [wp] [soak] [browser]   (no argument: build)
#   build: PHP (cli, dev files, curl, mbstring, xml), libclang, PHPUnit
#   wp:    Debian's wordpress, MariaDB's server, PHP's mysqli (WordPress tests, bench)
#   soak:  PHP's php-fpm
#   browser: Debian's chromium and chromium-driver, and a font (the admin page's browser test)
# PHP: the version in PHP_VERSION (e.g. PHP_VERSION=8.4), else the one the
# `php` command runs, else the release's default (Debian 12: 8.2, 13: 8.4).
# Services are never started by the install: the tests run their own.
set -euo pipefail

missing=()
version="${PHP_VERSION:-}"
if [ -z "$version" ] && command -v php >/dev/null 2>&1; then
  version="$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
fi
# phpX.Y-* for a known version; the release's default PHP through the php-* packages otherwise.
pkg="php${version}"
php="php${version}"
# grep reads everything: with -q it could stop early and fail php with SIGPIPE under pipefail.
has_php_module() { "$php" -m 2>/dev/null | grep -ix "$1" >/dev/null; }
# The library bindgen loads: libclang.so[.N] or libclang-N.so[.N]. libclang-cpp
# (pulled in by llvm-N-dev) is another library and does not count.
has_libclang() {
  local f
  for f in /usr/lib/llvm-*/lib/libclang.so* /usr/lib/llvm-*/lib/libclang-[0-9]*.so* /usr/lib/*/libclang.so* /usr/lib/*/libclang-[0-9]*.so*; do
    [ -e "$f" ] && return 0
  done
  return 1
}

need_build() {
  command -v "php-config${version}" >/dev/null 2>&1 || missing+=("$pkg-dev")
  command -v "$php" >/dev/null 2>&1 || missing+=("$pkg-cli")
  command -v phpunit >/dev/null 2>&1 || missing+=(phpunit)
  has_libclang || missing+=(libclang-dev)
  for module in curl mbstring xml; do
    has_php_module "$module" || missing+=("$pkg-$module")
  done
}

need_wp() {
  [ -f /usr/share/wordpress/wp-settings.php ] || missing+=(wordpress)
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  command -v mariadb-install-db >/dev/null 2>&1 || [ -x /usr/bin/mariadb-install-db ] || missing+=(mariadb-server)
  has_php_module mysqli || missing+=("$pkg-mysql")
  command -v phpunit >/dev/null 2>&1 || missing+=(phpunit)
}

need_soak() {
  if [ -n "$version" ]; then
    command -v "php-fpm$version" >/dev/null 2>&1 || [ -x "/usr/sbin/php-fpm$version" ] || missing+=("$pkg-fpm")
  else
    compgen -G "/usr/sbin/php-fpm*" >/dev/null || missing+=(php-fpm)
  fi
}

need_browser() {
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
}

[ $# -gt 0 ] || set -- build
for group in "$@"; do
  case "$group" in
    build) need_build ;;
    wp) need_wp ;;
    soak) need_soak ;;
    browser) need_browser ;;
    *) echo "deps: unknown group '$group' (build, wp, soak, browser)" >&2; exit 2 ;;
  esac
done

[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

sudo=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || { echo "wu_native needs: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi

# Packages such as wordpress (a web server) and mariadb-server start services
# after install: forbid that, so nothing listens on the network.
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  added_policy=1
fi
cleanup() { [ -n "$added_policy" ] && $sudo rm -f "$policy"; true; }
trap cleanup EXIT

echo "==> Installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
