#!/usr/bin/env bash
# The network admin page in a real browser (tests/browser): the WordPress
# suite's network (MariaDB, the sandbox panel, one multisite) served over HTTP
# by PHP's built-in web server, driven by Debian's headless Chromium through
# chromedriver. Installs chromium and chromium-driver when missing.
#   scripts/browser-test.sh [phpunit arguments…]
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

scripts/deps.sh wp browser
source scripts/wp-env.sh
built_artifacts test-browser
core="${WU_WP_CORE:-/usr/share/wordpress}"

root="$(mktemp -d "${TMPDIR:-/tmp}/wu-native-browser.XXXXXX")"
export WU_WP_ROOT="$root" WU_REPO="$repo"
MARIADB_PID=""
sandbox_pid=""
web_pid=""
driver_pid=""
teardown() {
  local status=$?
  set +e
  [ "$status" != 0 ] && [ -f "$root/web.log" ] && { echo "--- web server log (last lines)"; tail -n 30 "$root/web.log"; } >&2
  # The browsers chromedriver started and the web server's workers go with them.
  for pid in "$driver_pid" "$web_pid"; do
    [ -n "$pid" ] && kill $(pgrep -P "$pid") "$pid" 2>/dev/null
  done
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  [ -n "$MARIADB_PID" ] && stop_processes "$MARIADB_PID"
  rm -rf "$root"
  exit "$status"
}
trap teardown EXIT

# free_port: a loopback port nobody listens on now.
free_port() {
  php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo parse_url("tcp://" . stream_socket_get_name($s, false), PHP_URL_PORT);'
}
# wait_port PORT PID WHAT: until something accepts connections on PORT.
wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.05
  done
  echo "test-browser: $3 did not start" >&2
  return 1
}

start_test_network "$root" "$repo" "$sandbox_bin"

echo "==> web server (PHP's built-in, loopback)"
# WordPress's scripts find wp-config.php in ABSPATH: a folder of links to
# Debian's WordPress, with the test's wp-config.php and the run's wp-content.
web="$root/web"
mkdir -p "$web"
for entry in "$core"/* "$core"/.htaccess; do
  case "$(basename "$entry")" in wp-config.php|wp-content|.htaccess) continue ;; esac
  ln -s "$entry" "$web/"
done
ln -s "$root/wp-content" "$web/wp-content"
ln -s "$repo/tests/browser/web/wp-config.php" "$web/wp-config.php"
web_port="$(free_port)"
PHP_CLI_SERVER_WORKERS=4 php -n -d extension=mysqlnd -d extension=mysqli -d extension=mbstring \
  -d "extension=$WU_NATIVE_EXT" -d display_errors=stderr -d log_errors=0 \
  -S "127.0.0.1:$web_port" -t "$web" tests/browser/web/router.php >"$root/web.log" 2>&1 &
web_pid=$!
wait_port "$web_port" "$web_pid" "the web server"

echo "==> chromedriver"
driver_port="$(free_port)"
chromedriver --port="$driver_port" >"$root/chromedriver.log" 2>&1 &
driver_pid=$!
wait_port "$driver_port" "$driver_pid" chromedriver

export WU_WEB_PORT="$web_port" WU_WEBDRIVER_URL="http://127.0.0.1:$driver_port"
echo "==> PHPUnit (tests/browser)"
phpunit -c tests/browser/phpunit.xml "$@"
