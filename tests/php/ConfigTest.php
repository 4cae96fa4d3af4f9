<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/** Configuration comes from PHP constants, read at call time. */
final class ConfigTest extends TestCase
{
    public function test_constants_defined_after_the_module_loaded_are_seen(): void
    {
        // runPhp defines every constant at run time, as wp-config.php does.
        $result = $this->call($this->hestia(), 'return wu_native_add_domain("customer.example", 2, ["www" => "never"]);');
        $this->assertTrue($result['ok']);
        $this->assertContains('customer.example', $this->sandbox->hestiaAliases());
    }

    public function test_no_provider_configured_is_a_config_exception_naming_the_constants(): void
    {
        $run = $this->runPhp([], 'return wu_native_add_domain("customer.example");');
        $this->assertSame('WuNative\\ConfigException', $run['exception']['class']);
        $this->assertTrue($run['exception']['runtime']);
        foreach (['WU_HESTIA_API_URL', 'WU_HESTIA_API_PASSWORD or WU_HESTIA_API_HASH', 'WU_HESTIA_ACCOUNT', 'WU_HESTIA_WEB_DOMAIN'] as $name) {
            $this->assertStringContainsString($name, $run['exception']['message']);
        }
    }

    public function test_a_named_provider_that_is_not_configured_names_every_missing_constant(): void
    {
        $constants = $this->hestia();
        unset($constants['WU_HESTIA_ACCOUNT'], $constants['WU_HESTIA_API_PASSWORD']);
        $run = $this->runPhp($constants, 'return wu_native_add_domain("customer.example", 2, ["providers" => ["hestia"]]);');
        $this->assertSame('WuNative\\ConfigException', $run['exception']['class']);
        $this->assertStringContainsString('WU_HESTIA_API_PASSWORD or WU_HESTIA_API_HASH', $run['exception']['message']);
        $this->assertStringContainsString('WU_HESTIA_ACCOUNT', $run['exception']['message']);
        $this->assertStringNotContainsString('WU_HESTIA_WEB_DOMAIN', $run['exception']['message']);
        $this->assertSame([], $this->sandbox->requests());
    }

    public function test_a_constant_defined_as_an_empty_string_counts_as_missing(): void
    {
        $run = $this->runPhp($this->hestia(['WU_HESTIA_WEB_DOMAIN' => '']), 'return wu_native_add_domain("customer.example", 2, ["providers" => "hestia"]);');
        $this->assertSame('WuNative\\ConfigException', $run['exception']['class']);
        $this->assertStringContainsString('WU_HESTIA_WEB_DOMAIN', $run['exception']['message']);
        $providers = $this->call($this->hestia(['WU_HESTIA_WEB_DOMAIN' => '']), 'foreach (wu_native_providers() as $p) { if ($p["id"] === "hestia") { return $p; } }');
        $this->assertSame(['WU_HESTIA_WEB_DOMAIN'], $providers['missing']);
    }

    public function test_an_unknown_provider_id_is_a_config_exception_listing_the_known_ones(): void
    {
        foreach ([
            'return wu_native_add_domain("customer.example", 2, ["providers" => ["no-such-panel"]]);',
            'return wu_native_test_connection("no-such-panel");',
        ] as $code) {
            $run = $this->runPhp($this->hestia(), $code);
            $this->assertSame('WuNative\\ConfigException', $run['exception']['class'], $code);
            $this->assertStringContainsString("unknown provider 'no-such-panel'", $run['exception']['message']);
            $this->assertStringContainsString('hestia', $run['exception']['message']);
        }
    }

    public function test_an_unusable_constant_value_is_a_config_error_in_the_result(): void
    {
        $result = $this->call($this->hestia(['WU_HESTIA_RESTART' => 'sometimes']), 'return wu_native_add_domain("customer.example");');
        $this->assertFalse($result['ok']);
        $this->assertSame('config', $result['results'][0]['error']['kind']);
        $this->assertStringContainsString('WU_HESTIA_RESTART', $result['results'][0]['error']['message']);
        $this->assertSame([], $this->sandbox->requests());
    }

    public function test_boolean_and_integer_constants_are_read_as_php_would_print_them(): void
    {
        $this->call($this->hestia(['WU_HESTIA_RESTART' => false]), 'return wu_native_add_domain("customer.example");');
        $this->assertSame(0, $this->sandbox->hestiaReloads());
        $this->call($this->hestia(['WU_HESTIA_RESTART' => true]), 'return wu_native_remove_domain("customer.example");');
        $this->assertSame(1, $this->sandbox->hestiaReloads());
    }

    public function test_the_www_default_comes_from_ultimate_multisites_setting(): void
    {
        $define = 'function wu_get_setting($name, $default = null) { return $name === "auto_create_www_subdomain" ? "never" : $default; }';
        $result = $this->call($this->hestia(), $define . ' return wu_native_add_domain("customer.example");');
        $this->assertSame([['name' => 'customer.example', 'action' => 'added']], $result['results'][0]['changes']);

        $this->sandbox->reset();
        $result = $this->call($this->hestia(), 'return wu_native_add_domain("customer.example");');
        $this->assertCount(2, $result['results'][0]['changes'], 'without the plugin the default is always');
    }
}
