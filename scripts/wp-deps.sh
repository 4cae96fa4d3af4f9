#!/usr/bin/env bash
# Installs, on Debian, what the WordPress tests need and is missing: Debian's
# wordpress package, MariaDB's server and PHP's mysqli. Services are never
# started by the install (the tests run their own private mariadbd).
set -euo pipefail

missing=()
[ -f /usr/share/wordpress/wp-settings.php ] || missing+=(wordpress)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v mariadb-install-db >/dev/null 2>&1 || [ -x /usr/bin/mariadb-install-db ] || missing+=(mariadb-server)
php -m 2>/dev/null | grep -qx mysqli || missing+=(php8.2-mysql)
command -v phpunit >/dev/null 2>&1 || missing+=(phpunit)

[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

sudo=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || { echo "wp tests need: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi

# The wordpress package pulls a web server and mariadb-server starts itself
# after install: forbid service starts so nothing listens on the network.
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
