<?php
declare(strict_types=1);

namespace WuNative\Tests;

use PHPUnit\Framework\TestCase;

/**
 * The two Composer packages: the extension as PIE reads it (the `php-ext`
 * section as PIE's composer-json-php-ext-schema.json defines it), and the
 * WordPress glue as a library.
 */
final class PackageTest extends TestCase
{
    private const ROOT = __DIR__ . '/../..';

    public function test_the_root_package_is_a_pie_extension_package(): void
    {
        $package = $this->json('composer.json');
        $ext = $package['php-ext'];

        $this->assertSame('php-ext', $package['type']);
        $this->assertSame('wu_native', $ext['extension-name']);
        $this->assertSame(20, $ext['priority']);
        $this->assertFalse($ext['support-zts'], 'ZTS is not tested, and PIE assumes true when it is left out');
        $this->assertSame(['linux'], $ext['os-families']);
        $this->assertSame('composer-default', $ext['download-url-method']);
        // The schema's constraints on each key this package sets.
        $known = ['extension-name', 'priority', 'support-zts', 'support-nts', 'build-path', 'download-url-method', 'os-families', 'os-families-exclude', 'configure-options'];
        $this->assertSame([], array_diff(array_keys($ext), $known), 'a key PIE does not know');
        $this->assertThat($ext['priority'], $this->logicalAnd($this->greaterThanOrEqual(10), $this->lessThanOrEqual(99)));
        $this->assertContains($ext['download-url-method'], ['composer-default', 'pre-packaged-source']);
        $this->assertSame([], array_diff($ext['os-families'], ['windows', 'bsd', 'darwin', 'solaris', 'linux', 'unknown']));
        $this->assertFalse(isset($ext['os-families'], $ext['os-families-exclude']), 'os-families and os-families-exclude exclude each other');
        $this->assertArrayNotHasKey('autoload', $package, 'the glue is the other package');
    }

    public function test_pies_source_build_files_are_there(): void
    {
        $m4 = (string) file_get_contents(self::ROOT . '/config.m4');

        $this->assertStringContainsString('PHP_ARG_ENABLE([wu_native]', $m4);
        $this->assertStringContainsString('Makefile.frag', $m4);
        $this->assertStringContainsString('modules/wu_native.so', (string) file_get_contents(self::ROOT . '/Makefile.frag'));
    }

    public function test_the_glue_is_a_library_package_whose_classes_autoload_from_its_folder(): void
    {
        $package = $this->json('php/composer.json');

        $this->assertSame('library', $package['type']);
        $this->assertSame(['WuNative\\' => 'src/'], $package['autoload']['psr-4']);
        $this->assertFileExists(self::ROOT . '/php/src/Plugin.php');
        $this->assertSame($this->json('composer.json')['require']['php'], $package['require']['php']);
    }

    private function json(string $path): array
    {
        $decoded = json_decode((string) file_get_contents(self::ROOT . '/' . $path), true, 32, JSON_THROW_ON_ERROR);
        $this->assertIsArray($decoded);
        return $decoded;
    }
}
