<?php

declare(strict_types=1);

namespace WuNative\BrowserTests\Support;

/**
 * The few W3C WebDriver commands the browser test needs, spoken to
 * chromedriver over HTTP: one headless Chromium session, pages, elements,
 * clicks, typing, scripts, dialogs, cookies and screenshots.
 */
final class WebDriver
{
    private const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

    private string $session;

    /**
     * @param list<string> $arguments Chromium's command-line switches
     */
    public function __construct(private readonly string $url, string $binary, array $arguments)
    {
        $answer = $this->call('POST', '/session', ['capabilities' => ['alwaysMatch' => [
            'browserName' => 'chrome',
            'goog:chromeOptions' => ['binary' => $binary, 'args' => $arguments],
        ]]]);
        $this->session = $answer['value']['sessionId'];
    }

    public function quit(): void
    {
        $this->command('DELETE', '');
    }

    public function open(string $url): void
    {
        $this->command('POST', '/url', ['url' => $url]);
    }

    public function source(): string
    {
        return $this->command('GET', '/source');
    }

    /**
     * The element $css selects, waiting up to ten seconds for it: a form
     * posted without JavaScript may still be loading its answer page when
     * the click returns. Fails when there is none by then.
     */
    public function find(string $css): string
    {
        $deadline = microtime(true) + 10.0;
        while (true) {
            try {
                $found = $this->command('POST', '/element', ['using' => 'css selector', 'value' => $css]);
                return $found[self::ELEMENT] ?? throw new \RuntimeException("no element '$css': " . json_encode($found));
            } catch (\RuntimeException $e) {
                if (!str_contains($e->getMessage(), 'no such element') || microtime(true) > $deadline) {
                    throw $e;
                }
                usleep(100_000);
            }
        }
    }

    /** @return list<string> every element $css selects */
    public function findAll(string $css): array
    {
        return array_column($this->command('POST', '/elements', ['using' => 'css selector', 'value' => $css]), self::ELEMENT);
    }

    public function click(string $css): void
    {
        $this->command('POST', '/element/' . $this->find($css) . '/click');
    }

    public function type(string $css, string $text): void
    {
        $element = $this->find($css);
        $this->command('POST', "/element/$element/clear");
        $this->command('POST', "/element/$element/value", ['text' => $text]);
    }

    /** The rendered text of the element $css selects. */
    public function text(string $css): string
    {
        try {
            return $this->command('GET', '/element/' . $this->find($css) . '/text');
        } catch (\RuntimeException $e) {
            // Found on the page being left: read it again on the new one.
            if (!str_contains($e->getMessage(), 'stale element')) {
                throw $e;
            }
            return $this->command('GET', '/element/' . $this->find($css) . '/text');
        }
    }

    /** Runs $script (a function body) in the page, synchronously; $args are its arguments. */
    public function script(string $script, array $args = []): mixed
    {
        return $this->command('POST', '/execute/sync', ['script' => $script, 'args' => $args]);
    }

    /** Runs $script (a function body that calls arguments[last] with its result) in the page. */
    public function asyncScript(string $script, array $args = []): mixed
    {
        return $this->command('POST', '/execute/async', ['script' => $script, 'args' => $args]);
    }

    public function acceptDialog(): string
    {
        $text = $this->command('GET', '/alert/text');
        $this->command('POST', '/alert/accept');
        return $text;
    }

    public function deleteCookies(): void
    {
        $this->command('DELETE', '/cookie');
    }

    public function setWindowSize(int $width, int $height): void
    {
        $this->command('POST', '/window/rect', ['width' => $width, 'height' => $height]);
    }

    /** A PNG of the viewport. */
    public function screenshot(): string
    {
        return base64_decode($this->command('GET', '/screenshot'), true);
    }

    /**
     * Waits until $condition returns something other than null or false, and gives it.
     *
     * @template T
     * @param callable(): T $condition
     * @return T
     */
    public function waitUntil(callable $condition, string $what, float $seconds = 15.0): mixed
    {
        $deadline = microtime(true) + $seconds;
        do {
            $value = $condition();
            if ($value !== null && $value !== false) {
                return $value;
            }
            usleep(100_000);
        } while (microtime(true) < $deadline);
        throw new \RuntimeException("timed out after {$seconds} s waiting for $what");
    }

    /**
     * The text of the first element $css selects, or null while there is
     * none; read in one step in the page, so a part the page's script
     * replaces meanwhile is never read half-gone.
     */
    public function textIfAny(string $css): ?string
    {
        return $this->script('const found = document.querySelector(arguments[0]); return found ? found.innerText : null;', [$css]);
    }

    private function command(string $method, string $path, ?array $body = null): mixed
    {
        return $this->call($method, "/session/{$this->session}$path", $body)['value'] ?? null;
    }

    private function call(string $method, string $path, ?array $body = null): array
    {
        // PHP's http stream speaks HTTP/1.0 or closes, which chromedriver does not answer: curl it is.
        $curl = curl_init($this->url . $path);
        curl_setopt_array($curl, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => ['Content-Type: application/json'],
            CURLOPT_POSTFIELDS => $body === null ? ($method === 'POST' ? '{}' : null) : json_encode($body, JSON_UNESCAPED_SLASHES),
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => 90,
        ]);
        $raw = curl_exec($curl);
        curl_close($curl);
        $answer = json_decode((string) $raw, true);
        if (!is_array($answer)) {
            throw new \RuntimeException("webdriver $method $path: no answer");
        }
        if (isset($answer['value']['error'])) {
            throw new \RuntimeException("webdriver $method $path: {$answer['value']['error']}: {$answer['value']['message']}");
        }
        return $answer;
    }
}
