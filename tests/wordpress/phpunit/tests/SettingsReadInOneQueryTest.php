<?php

/**
 * The sidecar URL and the secret (not autoloaded) cost one query together, not one each.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Settings;

final class SettingsReadInOneQueryTest extends PluginTestCase
{
    private function forgetCachedOptions(): void
    {
        wp_cache_delete(Settings::URL_OPTION, 'options');
        wp_cache_delete(Settings::SECRET_OPTION, 'options');
    }

    public function testBothOptionsCostOneQuery(): void
    {
        global $wpdb;
        $this->forgetCachedOptions();
        $settings = new Settings();
        $before = $wpdb->num_queries;

        $url = $settings->sidecarUrl();
        $secret = $settings->secret();

        $this->assertSame(1, $wpdb->num_queries - $before);
        $this->assertSame(self::SIDECAR, $url);
        $this->assertSame(self::SECRET, $secret);
    }

    public function testChangesAfterTheFirstReadAreSeen(): void
    {
        $settings = new Settings();
        $this->assertSame(self::SECRET, $settings->secret());

        update_option(Settings::SECRET_OPTION, 'another-secret-0123456789');
        update_option(Settings::URL_OPTION, 'http://127.0.0.1:9999');

        $this->assertSame('another-secret-0123456789', $settings->secret());
        $this->assertSame('http://127.0.0.1:9999', $settings->sidecarUrl());
    }

    public function testAMissingOptionFallsBackToItsDefault(): void
    {
        delete_option(Settings::URL_OPTION);
        $this->forgetCachedOptions();
        $settings = new Settings();
        try {
            $this->assertSame(Settings::DEFAULT_URL, $settings->sidecarUrl());
            $this->assertSame(self::SECRET, $settings->secret());
        } finally {
            // Back as activation makes it (not autoloaded), before tearDown restores the value.
            add_option(Settings::URL_OPTION, self::SIDECAR, '', 'no');
        }
    }
}
