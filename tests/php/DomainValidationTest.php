<?php
declare(strict_types=1);

namespace WuNative\Tests;

use WuNative\Tests\Support\TestCase;

/** Every host name is validated and normalised before anything is sent. */
final class DomainValidationTest extends TestCase
{
    public static function invalidNames(): array
    {
        return [
            'empty' => [''],
            'a space' => ['customer .example'],
            'a newline' => ["customer.example\n"],
            'a NUL byte' => ["customer\0.example"],
            'a scheme' => ['https://customer.example'],
            'a path' => ['customer.example/wp-admin'],
            'a port' => ['customer.example:8080'],
            'a query' => ['customer.example?x=1'],
            'user info' => ['admin@customer.example'],
            'a second alias after a comma' => ['customer.example,evil.example'],
            'a form field after an ampersand' => ['customer.example&arg4=no'],
            'an equals sign' => ['arg3=customer.example'],
            'a wildcard' => ['*.customer.example'],
            'an IPv4 address' => ['203.0.113.10'],
            'an IPv6 address' => ['[2001:db8::1]'],
            'a single label' => ['localhost'],
            'a label over 63 characters' => [str_repeat('a', 64) . '.example'],
            'a name over 253 characters' => [implode('.', array_fill(0, 5, str_repeat('a', 60))) . '.example'],
            'a leading hyphen' => ['-customer.example'],
            'a trailing hyphen' => ['customer-.example'],
            'a megabyte' => [str_repeat('a', 1 << 20)],
        ];
    }

    /** @dataProvider invalidNames */
    #[\PHPUnit\Framework\Attributes\DataProvider('invalidNames')]
    public function test_an_invalid_name_is_rejected_and_nothing_is_sent(string $name): void
    {
        foreach (['wu_native_add_domain', 'wu_native_remove_domain', 'wu_native_add_subdomain', 'wu_native_remove_subdomain'] as $function) {
            $run = $this->runPhp($this->hestia(), "return $function(" . var_export($name, true) . ', 2);');
            $this->assertSame('WuNative\\InvalidDomainException', $run['exception']['class'] ?? null, "$function: " . json_encode($run['exception']));
            $this->assertTrue($run['exception']['runtime']);
            $this->assertStringContainsString('not a valid host name', $run['exception']['message']);
        }
        $this->assertSame([], $this->sandbox->requests(), 'nothing reached the panel');
    }

    public function test_a_comma_cannot_slip_a_second_alias_into_hestias_list(): void
    {
        $run = $this->runPhp($this->hestia(), 'return wu_native_add_domain("customer.example,evil.example", 2, ["www" => "never"]);');
        $this->assertSame('WuNative\\InvalidDomainException', $run['exception']['class']);
        $this->assertStringContainsString('comma', $run['exception']['message']);
        $this->assertSame([], $this->sandbox->requests());
        $this->assertNotContains('evil.example', $this->sandbox->hestiaAliases());
    }

    public function test_names_are_normalised_before_they_are_sent(): void
    {
        $cases = [
            'Customer.EXAMPLE' => 'customer.example',
            'customer.example.' => 'customer.example',
            'bücher.example' => 'xn--bcher-kva.example',
        ];
        foreach ($cases as $input => $normalised) {
            $this->sandbox->reset();
            $result = $this->call($this->hestia(), 'return wu_native_add_domain(' . var_export($input, true) . ', 7, ["www" => "never"]);');
            $this->assertSame($normalised, $result['domain'], $input);
            $this->assertSame(7, $result['site_id']);
            $this->assertSame($normalised, $this->sandbox->requests('hestia')[0]['form']['arg3'], $input);
        }
    }
}
