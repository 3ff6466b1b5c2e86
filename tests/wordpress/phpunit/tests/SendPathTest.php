<?php

/**
 * Which way a hook goes out: plain http to loopback takes the lean curl path; https and other
 * hosts go through WordPress' HTTP API, with its TLS verification.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\LoopbackHttp;
use Tillsync\Bridge\Settings;

final class SendPathTest extends PluginTestCase
{
    /**
     * @return array<string, array{string, bool}>
     */
    public static function urls(): array
    {
        return [
            'IPv4 loopback' => ['http://127.0.0.1:8787/hooks/woocommerce', true],
            'another 127/8 address' => ['http://127.3.2.1:8787/hooks/woocommerce', true],
            'localhost' => ['http://localhost:8787/hooks/woocommerce', true],
            'IPv6 loopback' => ['http://[::1]:8787/hooks/woocommerce', true],
            'upper-case scheme' => ['HTTP://127.0.0.1:8787/hooks/woocommerce', true],
            'https to loopback' => ['https://127.0.0.1:8787/hooks/woocommerce', false],
            'a private address' => ['http://10.0.0.5:8787/hooks/woocommerce', false],
            'a name that starts like loopback' => ['http://127.0.0.1.example.test/hooks/woocommerce', false],
            'a remote host' => ['http://sidecar.example.test/hooks/woocommerce', false],
        ];
    }

    /**
     * @dataProvider urls
     */
    public function testOnlyPlainHttpToLoopbackTakesTheLeanPath(string $url, bool $lean): void
    {
        $this->assertSame($lean, LoopbackHttp::handles($url));
    }

    public function testHttpsSidecarGoesThroughWordPressWithTlsVerified(): void
    {
        update_option(Settings::URL_OPTION, 'https://127.0.0.1:8787');

        $answer = $this->plugin()->sidecar->postHook('{"id":"x"}');

        $this->assertTrue($answer->ok);
        $this->assertCount(1, $this->requests);
        $this->assertSame('https://127.0.0.1:8787/hooks/woocommerce', $this->requests[0]['url']);
        // wp_remote_post() filled in its defaults: certificates are checked.
        $this->assertTrue($this->requests[0]['args']['sslverify']);
        $this->assertSame('{"id":"x"}', $this->requests[0]['args']['body']);
    }

    public function testLeanPathIsSignedAndSeenByPreHttpRequest(): void
    {
        $answer = $this->plugin()->sidecar->postHook('{"id":"y"}');

        $this->assertTrue($answer->ok);
        $this->assertCount(1, $this->requests);
        $args = $this->requests[0]['args'];
        $this->assertArrayNotHasKey('sslverify', $args, 'plain http to loopback: the lean path');
        $this->assertSame('POST', $args['method']);
        $timestamp = $args['headers']['X-Tillsync-Timestamp'];
        $this->assertSame(
            'v2=' . hash_hmac('sha256', $timestamp . '.POST./hooks/woocommerce.{"id":"y"}', self::SECRET),
            $args['headers']['X-Tillsync-Signature']
        );
    }

    public function testRefusedConnectionOnTheLeanPathIsForLater(): void
    {
        // A real socket this time: nothing listens on the discard port.
        remove_filter('pre_http_request', [$this, 'interceptHttp'], 10);

        $answer = $this->plugin()->sidecar->postHook('{"id":"z"}');

        $this->assertFalse($answer->ok);
        $this->assertTrue($answer->transient);
        $this->assertStringStartsWith('cURL error 7:', $answer->error);
    }
}
