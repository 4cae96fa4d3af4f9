# Sourced by install.sh and dist.sh: the "API<number>,NTS" string PHP checks
# when it loads a module, as a PHP says it and as a module carries it.
#   php_build_id PHP_BINARY          → e.g. API20240924,NTS
#   module_build_id PHP_BINARY FILE  → the same, read from the module; fails when absent
php_build_id() { "$1" -n -r 'ob_start(); phpinfo(INFO_GENERAL); preg_match("/^PHP API => (\d+)$/m", ob_get_clean(), $m); echo "API", $m[1], PHP_ZTS ? ",TS" : ",NTS";'; }
module_build_id() { "$1" -n -r 'preg_match("/API\d{8},N?TS/", (string) file_get_contents($argv[1]), $m) ? print($m[0]) : exit(1);' "$2"; }
