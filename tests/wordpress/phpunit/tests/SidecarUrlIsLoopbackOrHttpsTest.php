<?php

/**
 * The sidecar URL: plain http only to this machine, https anywhere else, and only an
 * administrator (manage_options) changes it; anything else is refused and the old URL kept.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Settings;

final class SidecarUrlIsLoopbackOrHttpsTest extends PluginTestCase
{
    private Settings $settings;

    protected function setUp(): void
    {
        parent::setUp();
        require_once ABSPATH . 'wp-admin/includes/template.php'; // the Settings API, as options.php loads it
        global $wp_settings_errors;
        $wp_settings_errors = [];
        $this->settings = $this->plugin()->settings;
        wp_set_current_user($this->userId('admin'));
    }

    private function userId(string $login): int
    {
        $user = get_user_by('login', $login);
        $this->assertInstanceOf(\WP_User::class, $user, $login);
        return $user->ID;
    }

    /**
     * @return list<string>
     */
    private function errorCodes(): array
    {
        return array_column(get_settings_errors(), 'code');
    }

    /**
     * @dataProvider accepted
     */
    public function testAcceptedUrlIsSaved(string $url): void
    {
        $this->assertNull(Settings::urlProblem($url));
        $this->assertSame($url, $this->settings->sanitizeUrl($url));
        $this->assertSame([], $this->errorCodes());
    }

    /**
     * @return array<string, array{string}>
     */
    public function accepted(): array
    {
        return [
            'default' => ['http://127.0.0.1:8787'],
            'anywhere in 127/8' => ['http://127.45.6.7:9000'],
            'localhost' => ['http://localhost:8787'],
            'LOCALHOST' => ['http://LOCALHOST:8787'],
            'ipv6 loopback' => ['http://[::1]:8787'],
            'ipv6 loopback spelled out' => ['http://[0:0:0:0:0:0:0:1]:8787'],
            'path prefix' => ['http://127.0.0.1:8080/tillsync'],
            'https name' => ['https://pos-sync.example:8443'],
            'https address' => ['https://192.0.2.10'],
            'https ipv6' => ['https://[2001:db8::5]:8443'],
        ];
    }

    /**
     * @dataProvider plainHttpElsewhere
     */
    public function testPlainHttpToAnotherHostIsRefused(string $url): void
    {
        $this->assertSame(self::SIDECAR, $this->settings->sanitizeUrl($url));
        $this->assertSame(['tillsync_invalid_url'], $this->errorCodes());
        $this->assertStringContainsString('must use https://', get_settings_errors()[0]['message']);
        $this->assertNull(Settings::urlProblem('https' . substr($url, 4)), 'the same host over https is fine');
    }

    /**
     * @return array<string, array{string}>
     */
    public function plainHttpElsewhere(): array
    {
        return [
            'a name' => ['http://pos-sync.example:8787'],
            'a name that resolves to 127.0.0.1' => ['http://127.0.0.1.nip.io:8787'],
            'localhost as a suffix' => ['http://localhost.example.test:8787'],
            'localhost as a prefix' => ['http://localhostevil.example:8787'],
            'private address' => ['http://10.0.0.5:8787'],
            'metadata address' => ['http://169.254.169.254'],
            'unspecified ipv4' => ['http://0.0.0.0:8787'],
            'unspecified ipv6' => ['http://[::]:8787'],
            'ipv4-mapped loopback' => ['http://[::ffff:127.0.0.1]:8787'],
            'hex spelling' => ['http://0x7f000001:8787'],
        ];
    }

    /**
     * @dataProvider malformed
     */
    public function testMalformedOrAmbiguousUrlIsRefused(string $url): void
    {
        $this->assertSame(self::SIDECAR, $this->settings->sanitizeUrl($url));
        $this->assertSame(['tillsync_invalid_url'], $this->errorCodes());
    }

    /**
     * @return array<string, array{string}>
     */
    public function malformed(): array
    {
        return [
            'user before a loopback-looking host' => ['http://127.0.0.1@evil.example/'],
            'loopback as the user name' => ['http://127.0.0.1:8787@evil.example'],
            'backslash before @' => ['http://evil.example\\@127.0.0.1/'],
            'backslash in the host' => ['http://127.0.0.1\\evil.example'],
            'short ipv4' => ['http://127.1:8787'],
            'decimal ipv4' => ['http://2130706433:8787'],
            'octal ipv4' => ['http://0177.0.0.1:8787'],
            'ipv4 out of range' => ['http://127.0.0.256'],
            'trailing dot' => ['http://localhost.:8787'],
            'empty label' => ['https://pos..example'],
            'space in the host' => ['http://127.0.0.1 .example'],
            'header after a newline' => ["http://127.0.0.1:8787/\nHost: evil.example"],
            'port too big' => ['http://127.0.0.1:99999'],
            'port zero' => ['http://127.0.0.1:0'],
            'unclosed ipv6' => ['http://[::1:8787'],
            'fragment' => ['http://127.0.0.1:8787#x'],
            'no host' => ['http:///status'],
        ];
    }

    public function testShopManagerCannotChangeTheUrl(): void
    {
        wp_set_current_user($this->userId('shopmanager'));

        $this->assertSame(self::SIDECAR, $this->settings->sanitizeUrl('http://127.0.0.1:8788'));

        $this->assertSame(['tillsync_url_needs_admin'], $this->errorCodes());
        $this->assertStringContainsString('Only an administrator', get_settings_errors()[0]['message']);
    }

    public function testShopManagerSavingTheSameUrlIsNoChangeAndNoError(): void
    {
        wp_set_current_user($this->userId('shopmanager'));

        $this->assertSame(self::SIDECAR, $this->settings->sanitizeUrl(self::SIDECAR . '/'));
        $this->assertSame(self::SIDECAR, $this->settings->sanitizeUrl(null));

        $this->assertSame([], $this->errorCodes());
    }

    public function testNobodyLoggedInCannotChangeTheUrlThroughTheOptionApi(): void
    {
        do_action('admin_init'); // registers the settings, as on every wp-admin request
        wp_set_current_user(0);

        update_option(Settings::URL_OPTION, 'http://127.0.0.1:8788');

        $this->assertSame(self::SIDECAR, get_option(Settings::URL_OPTION));
        $this->assertSame(['tillsync_url_needs_admin'], $this->errorCodes());
    }

    public function testLoopbackHostsAreTheOnesWrittenAsSuch(): void
    {
        foreach (['127.0.0.1', '127.255.255.254', 'localhost', '[::1]', '[0::1]'] as $host) {
            $this->assertTrue(Settings::isLoopbackHost($host), $host);
        }
        foreach (['0.0.0.0', '128.0.0.1', '[::]', '[::2]', 'localhost.', 'my-localhost', '::1', '127.1'] as $host) {
            $this->assertFalse(Settings::isLoopbackHost($host), $host);
        }
    }
}
