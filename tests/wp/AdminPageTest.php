<?php

declare(strict_types=1);

namespace WuNative\WpTests;

use WuNative\WpTests\Support\AdminRequests;
use WuNative\WpTests\Support\WordPressTestCase;

/** The network admin page "Hosting panels": its view and its actions, as WordPress answers them. */
final class AdminPageTest extends WordPressTestCase
{
    private AdminRequests $admin;

    protected function setUp(): void
    {
        parent::setUp();
        $this->admin = new AdminRequests($this->wordpress);
        $this->admin->forgetState();
    }

    public function test_smoke(): void
    {
        $page = $this->admin->page($this->scenario([['a.example', true], 'bad,x.example']));
        file_put_contents('/tmp/smoke/page.html', $page);
        $this->assertNoSecret($page);
    }

    /** Every panel configured from the sandbox, the plugin stand-in's wu_get_domains() giving $mappings. */
    private function scenario(array $mappings, array $network = []): array
    {
        $constants = [];
        foreach ($this->admin->panels() as $id) {
            $constants += $this->constantsOf($id);
        }
        return ['constants' => $constants, 'network' => ['wu_test_domains' => $mappings] + $network];
    }
}
