<?php
// One fresh process: times the first wu_native call (client creation,
// connection, TLS handshake) and the same call made again.
//   php -n -d extension=… first-call.php URL CA|''
declare(strict_types=1);

[, $url, $ca] = $argv;
define('WU_HESTIA_API_URL', $url);
define('WU_HESTIA_API_USER', 'admin');
define('WU_HESTIA_API_PASSWORD', 'sandbox-admin-password');
define('WU_HESTIA_ACCOUNT', 'admin');
define('WU_HESTIA_WEB_DOMAIN', 'network.example');
if ($ca !== '') {
    define('WU_NATIVE_CA_FILE', $ca);
}
$options = ['providers' => ['hestia'], 'www' => 'always'];
$ms = [];
$ok = true;
foreach (['first', 'second'] as $which) {
    $domain = $which . getmypid() . '.first.example';
    $t = hrtime(true);
    $ok = wu_native_add_domain($domain, 2, $options)['ok'] && $ok;
    $ms[$which] = (hrtime(true) - $t) / 1e6;
    $ok = wu_native_remove_domain($domain, 2, $options)['ok'] && $ok;
}
echo json_encode($ms + ['ok' => $ok]);
