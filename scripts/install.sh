#!/usr/bin/env bash
# Installs wu_native for every PHP on this server, or the versions asked for,
# from the prebuilt zips in dist/ (made by `make dist`, or downloaded) or from
# a local build. Needs nothing but each PHP's command line (no Rust, php-dev,
# unzip or Python), and root.
#
#   scripts/install.sh                      every /usr/bin/phpX.Y
#   scripts/install.sh --php 8.2 --php 8.4  those versions
#   scripts/install.sh --ext FILE.so        a local build (make install uses target/release)
#   scripts/install.sh --dist DIR           zips from DIR (default: dist/)
#   scripts/install.sh --uninstall [--php X.Y …]
#
# Per version: the build must carry the same "API<number>,NTS" as `phpX.Y -i`
# (else it is refused, naming both); wu_native.so goes to that PHP's
# extension_dir; /etc/php/X.Y/mods-available/wu_native.ini (priority 20) is
# enabled for every SAPI with phpenmod; a running phpX.Y-fpm is reloaded; and
# `phpX.Y --ri wu_native` must then succeed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

versions=()
ext=""
dist="$repo/dist"
uninstall=""
while [ $# -gt 0 ]; do
  case "$1" in
    --php) versions+=("${2:?--php needs a version, e.g. 8.4}"); shift 2 ;;
    --php=*) versions+=("${1#--php=}"); shift ;;
    --ext) ext="${2:?--ext needs a file}"; shift 2 ;;
    --dist) dist="${2:?--dist needs a directory}"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "install: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

etc="${WU_NATIVE_ETC_PHP:-/etc/php}"
if [ ${#versions[@]} -eq 0 ]; then
  for php in /usr/bin/php[0-9].[0-9]*; do
    [ -x "$php" ] && [[ "$(basename "$php")" =~ ^php[0-9]+\.[0-9]+$ ]] && versions+=("${php#/usr/bin/php}")
  done
  [ ${#versions[@]} -gt 0 ] || { echo "install: no /usr/bin/phpX.Y found; install PHP's CLI first (apt-get install php8.4-cli)" >&2; exit 1; }
fi
[ "$(id -u)" = 0 ] || { echo "install: run as root (it writes to PHP's extension directory and $etc)" >&2; exit 1; }
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -1)"

source "$repo/scripts/php-build-id.sh"
php_ext_dir() { "$1" -n -r 'echo ini_get("extension_dir");'; }

reload_fpm() {
  local v="$1" pid="/run/php/php$1-fpm.pid"
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "php$v-fpm" 2>/dev/null; then
    systemctl reload "php$v-fpm" && echo "    reloaded php$v-fpm"
  elif [ -s "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null; then
    kill -USR2 "$(cat "$pid")" && echo "    reloaded php$v-fpm (USR2)"
  fi
}

# The module for PHP $1: from --ext, else the zip in $dist, unpacked by PHP itself (Phar reads zip).
module_for() {
  local v="$1" php="$2" zip tmp
  if [ -n "$ext" ]; then echo "$ext"; return; fi
  zip="$dist/php_wu_native-${version}_php$v-$(uname -m)-linux-glibc-nts.zip"
  if [ ! -f "$zip" ]; then
    echo "install: no build for PHP $v: $zip is missing (make dist, or download it), or pass --ext FILE.so" >&2
    return 1
  fi
  if [ -f "$zip.sha256" ] && command -v sha256sum >/dev/null 2>&1; then
    (cd "$(dirname "$zip")" && sha256sum --quiet -c "$(basename "$zip").sha256") || { echo "install: $zip does not match its .sha256" >&2; return 1; }
  fi
  tmp="$(mktemp -d)"
  # Not -n: Debian builds Phar as a shared extension, enabled by PHP's own ini files.
  "$php" -d display_startup_errors=0 -r '(new PharData($argv[1]))->extractTo($argv[2], "wu_native.so", true);' "$zip" "$tmp" >&2 \
    || { echo "install: PHP $v could not unpack $zip (it needs its Phar extension)" >&2; return 1; }
  echo "$tmp/wu_native.so"
}

status=0
for v in "${versions[@]}"; do
  php="/usr/bin/php$v"
  [ -x "$php" ] || { echo "install: PHP $v is not installed ($php)" >&2; status=1; continue; }
  extdir="$(php_ext_dir "$php")"
  ini="$etc/$v/mods-available/wu_native.ini"
  if [ -n "$uninstall" ]; then
    echo "==> PHP $v: removing wu_native"
    if command -v phpdismod >/dev/null 2>&1; then phpdismod -v "$v" wu_native 2>/dev/null || true; else rm -f "$etc/$v"/*/conf.d/20-wu_native.ini; fi
    rm -f "$ini" "$extdir/wu_native.so"
    reload_fpm "$v"
    continue
  fi
  echo "==> PHP $v"
  module="$(module_for "$v" "$php")" || { status=1; continue; }
  want="$(php_build_id "$php")"
  have="$(module_build_id "$php" "$module" || echo "no PHP build id")"
  if [ "$have" != "$want" ]; then
    echo "install: refusing $module for PHP $v: it was built for $have, PHP $v needs $want. Use the build made for PHP $v (php_wu_native-${version}_php$v-…-nts.zip, or build with PHP=/usr/bin/php$v PHP_CONFIG=/usr/bin/php-config$v)" >&2
    status=1
    continue
  fi
  install -D -m 0644 "$module" "$extdir/wu_native.so"
  mkdir -p "$(dirname "$ini")"
  printf '; wu_native: Ultimate Multisite hosting-panel integrations\n; priority=20\nextension=wu_native.so\n' >"$ini"
  if command -v phpenmod >/dev/null 2>&1; then
    phpenmod -v "$v" wu_native
  else
    for confd in "$etc/$v"/*/conf.d; do [ -d "$confd" ] && ln -sf "$ini" "$confd/20-wu_native.ini"; done
  fi
  echo "    $extdir/wu_native.so ($have), enabled by $ini"
  reload_fpm "$v"
  if "$php" --ri wu_native >/dev/null 2>&1; then
    echo "    php$v --ri wu_native: $("$php" --ri wu_native | sed -n 's/^Version => //p')"
  else
    echo "install: PHP $v does not load wu_native after install: php$v --ri wu_native" >&2
    status=1
  fi
done
exit $status
