<?php

/**
 * Settings: bad input gets a clear error and changes nothing; the secret is write-only.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Settings;

final class SettingsSanitizeTest extends PluginTestCase
{
    private Settings $settings;

    protected function setUp(): void
    {
        parent::setUp();
        global $wp_settings_errors;
        $wp_settings_errors = [];
        $this->settings = $this->plugin()->settings;
        // An administrator saves: changing the URL needs manage_options (SidecarUrlIsLoopbackOrHttpsTest).
        wp_set_current_user(1);
    }

    /**
     * @return list<string>
     */
    private function errorCodes(): array
    {
        return array_column(get_settings_errors(), 'code');
    }

    /**
     * @dataProvider badUrls
     */
    public function testBadUrlIsRefusedAndTheOldOneKept(string $bad): void
    {
        $this->assertSame(self::SIDECAR, $this->settings->sanitizeUrl($bad));
        $this->assertSame(['tillsync_invalid_url'], $this->errorCodes());
    }

    /**
     * @return array<string, array{string}>
     */
    public function badUrls(): array
    {
        return [
            'ftp' => ['ftp://127.0.0.1:8787'],
            'no scheme' => ['127.0.0.1:8787'],
            'javascript' => ['javascript:alert(1)'],
            'query' => ['http://127.0.0.1:8787/?x=1'],
            'user' => ['http://me@127.0.0.1:8787'],
        ];
    }

    public function testGoodUrlIsSavedWithoutTrailingSlash(): void
    {
        $this->assertSame('https://pos-sync.example:8443', $this->settings->sanitizeUrl(' https://pos-sync.example:8443/ '));
        $this->assertSame([], $this->errorCodes());
    }

    public function testEmptyUrlMeansTheDefault(): void
    {
        $this->assertSame('http://127.0.0.1:8787', $this->settings->sanitizeUrl(''));
    }

    public function testSavingThroughTheOptionApiRunsTheSanitizer(): void
    {
        do_action('admin_init'); // registers the settings, as on every wp-admin request

        update_option(Settings::URL_OPTION, 'gopher://nope');

        $this->assertSame(self::SIDECAR, get_option(Settings::URL_OPTION));
        $this->assertContains('tillsync_invalid_url', $this->errorCodes());
    }

    public function testEmptySecretKeepsTheStoredOne(): void
    {
        $this->assertSame(self::SECRET, $this->settings->sanitizeSecret(''));
        $this->assertSame(self::SECRET, $this->settings->sanitizeSecret(null));
        $this->assertSame([], $this->errorCodes());
    }

    public function testShortOrSpacedSecretIsRefused(): void
    {
        $this->assertSame(self::SECRET, $this->settings->sanitizeSecret('short'));
        $this->assertSame(self::SECRET, $this->settings->sanitizeSecret('has spaces in the middle of it'));
        $this->assertSame(['tillsync_invalid_secret', 'tillsync_invalid_secret'], $this->errorCodes());
    }

    public function testNewSecretIsSavedAndOnlyItsFingerprintShown(): void
    {
        $new = 'a-brand-new-secret-0123456789-abcdef';
        update_option(Settings::SECRET_OPTION, $this->settings->sanitizeSecret($new));

        $this->assertSame($new, $this->settings->secret());
        $this->assertSame(substr(hash('sha256', $new), 0, 8), $this->settings->secretFingerprint());
    }

    public function testOptionsAreNotAutoloaded(): void
    {
        global $wpdb;
        $autoload = $wpdb->get_col(
            "SELECT autoload FROM {$wpdb->options} WHERE option_name IN ('tillsync_sidecar_url', 'tillsync_hook_secret')"
        );
        $this->assertSame(['no', 'no'], $autoload);
    }
}
