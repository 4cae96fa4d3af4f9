<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/** The PHP surface: names, parameters, classes, module info. */
final class ExtensionTest extends TestCase
{
    public function test_the_functions_of_the_contract_exist_with_their_parameters(): void
    {
        $expected = [
            'wu_native_add_domain' => ['domain', 'site_id', 'options'],
            'wu_native_remove_domain' => ['domain', 'site_id', 'options'],
            'wu_native_add_subdomain' => ['subdomain', 'site_id', 'options'],
            'wu_native_remove_subdomain' => ['subdomain', 'site_id', 'options'],
            'wu_native_test_connection' => ['provider'],
            'wu_native_providers' => [],
            'wu_native_version' => [],
            'wu_native_sync' => ['domains', 'options'],
        ];
        foreach ($expected as $function => $parameters) {
            $this->assertTrue(function_exists($function), $function);
            $reflection = new \ReflectionFunction($function);
            $this->assertSame($parameters, array_map(fn ($p) => $p->getName(), $reflection->getParameters()), $function);
            $this->assertSame(count($parameters) > 1 ? 1 : count($parameters), $reflection->getNumberOfRequiredParameters(), $function);
            $this->assertSame($function === 'wu_native_version' ? 'string' : 'array', (string) $reflection->getReturnType(), $function);
        }
    }

    public function test_the_exceptions_are_runtime_exceptions_in_the_wu_native_namespace(): void
    {
        foreach (['WuNative\\InvalidDomainException', 'WuNative\\ConfigException'] as $class) {
            $this->assertTrue(class_exists($class), $class);
            $this->assertTrue(is_subclass_of($class, \RuntimeException::class), $class);
        }
    }

    public function test_the_version_carries_the_crate_version_and_the_git_revision(): void
    {
        $this->assertMatchesRegularExpression('/^\d+\.\d+\.\d+\+[0-9a-f]{7,}|unknown$/', wu_native_version());
        $cargo = file_get_contents(__DIR__ . '/../../Cargo.toml');
        preg_match('/^version = "([^"]+)"/m', $cargo, $m);
        $this->assertStringStartsWith($m[1] . '+', wu_native_version());
    }

    public function test_php_ri_shows_the_version_and_the_supported_providers(): void
    {
        $output = shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg(getenv('WU_NATIVE_EXT')) . ' --ri wu_native');
        $this->assertStringContainsString('wu_native support => enabled', $output);
        $this->assertStringContainsString('Version => ' . explode('+', wu_native_version())[0], $output);
        $ids = array_column(wu_native_providers(), 'id');
        $this->assertStringContainsString('Supported providers => ' . implode(', ', $ids), $output);
    }

    public function test_phpinfo_never_shows_a_configured_secret(): void
    {
        $run = $this->runPhp($this->hestia(), 'ob_start(); phpinfo(INFO_MODULES); return ob_get_clean();');
        $this->assertStringContainsString('wu_native support', $run['result']);
        $this->assertNoSecret($run['result'], $run['stdout'], $run['stderr']);
    }

    public function test_providers_describe_every_supported_panel_and_what_is_missing(): void
    {
        $providers = $this->call([], 'return wu_native_providers();');
        $ids = array_column($providers, 'id');
        $this->assertSame($ids, array_values(array_unique($ids)));
        $sorted = $ids;
        sort($sorted);
        $this->assertSame($sorted, $ids, 'listed by id');
        $hestia = $providers[array_search('hestia', $ids, true)];
        $this->assertSame(['id', 'title', 'configured', 'missing', 'constants', 'optional', 'secrets', 'plugin_handlers'], array_keys($hestia));
        $this->assertSame(
            ['WP_Ultimo\\Integrations\\Host_Providers\\Hestia_Host_Provider', 'WP_Ultimo\\Integrations\\Providers\\Hestia\\Hestia_Domain_Mapping'],
            $hestia['plugin_handlers'],
        );
        foreach ($providers as $provider) {
            // The 2.4 class where the 2.4 line has the integration, then the 2.5 one.
            $this->assertContains(count($provider['plugin_handlers']), [1, 2], $provider['id']);
            foreach ($provider['plugin_handlers'] as $class) {
                $this->assertStringStartsWith('WP_Ultimo\\Integrations\\', $class, $provider['id']);
            }
        }
        $this->assertFalse($hestia['configured']);
        $this->assertSame(
            ['WU_HESTIA_API_URL', 'WU_HESTIA_API_USER', 'WU_HESTIA_API_PASSWORD', 'WU_HESTIA_API_HASH', 'WU_HESTIA_ACCOUNT', 'WU_HESTIA_WEB_DOMAIN'],
            $hestia['missing'],
        );
        $this->assertContains('WU_HESTIA_RESTART', $hestia['optional']);
        $this->assertSame(['WU_HESTIA_API_PASSWORD', 'WU_HESTIA_API_HASH'], $hestia['secrets']);

        $configured = $this->call($this->hestia(), 'return array_column(wu_native_providers(), null, "id")["hestia"];');
        $this->assertTrue($configured['configured']);
        $this->assertSame([], $configured['missing']);
    }

    public function test_wrong_argument_types_raise_type_errors(): void
    {
        foreach ([
            'wu_native_add_domain([]);',
            'wu_native_add_domain("a.example", "two");',
            'wu_native_add_domain("a.example", 2, "www");',
            'wu_native_add_domain("a.example", 2, ["providers" => 5]);',
            'wu_native_add_domain("a.example", 2, ["www" => true]);',
        ] as $code) {
            $run = $this->runPhp($this->hestia(), $code);
            $this->assertSame('TypeError', $run['exception']['class'] ?? null, $code);
        }
        $this->assertSame([], $this->sandbox->requests());
    }

    public function test_impossible_option_values_raise_value_errors_naming_the_option(): void
    {
        foreach ([
            'wu_native_add_domain("a.example", 2, ["www" => "sometimes"]);' => "'www'",
            'wu_native_add_domain("a.example", 2, ["wwww" => "never"]);' => "'wwww'",
            'wu_native_add_domain("a.example", 2, ["wait" => -1]);' => "'wait'",
            'wu_native_add_domain("a.example", 2, ["wait" => 601]);' => "between 0 and 600",
            'wu_native_add_domain("a.example", 2, ["wiat" => 5]);' => "known options: providers, www, wait",
            'wu_native_sync(["a.example"], ["wait" => 5]);' => "'wait'",
        ] as $code => $named) {
            $run = $this->runPhp($this->hestia(), $code);
            $this->assertSame('ValueError', $run['exception']['class'] ?? null, $code);
            $this->assertStringContainsString($named, $run['exception']['message']);
        }
        $this->assertSame([], $this->sandbox->requests());
    }
}
