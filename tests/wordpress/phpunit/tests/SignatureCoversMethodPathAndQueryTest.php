<?php

/**
 * Every call to the sidecar is signed v2 over its method and the path and query of the URL it
 * actually goes to, so a captured call is worth nothing on another endpoint or for other ids.
 * Each expected signature is recomputed here from what went out, independently of Signer.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Settings;
use Tillsync\Bridge\Signer;

final class SignatureCoversMethodPathAndQueryTest extends PluginTestCase
{
    public function testTheReadmeExampleSignsMethodPathAndQuery(): void
    {
        $headers = Signer::headers(self::SECRET, 'get', 'http://127.0.0.1:8787/orders?ids=1,2', '', 1764230400);

        $this->assertSame('1764230400', $headers[Signer::TIMESTAMP_HEADER]);
        $this->assertSame(
            'v2=' . hash_hmac('sha256', '1764230400.GET./orders?ids=1,2.', self::SECRET),
            $headers[Signer::SIGNATURE_HEADER]
        );
    }

    public function testOrdersLookupIsSignedForItsOwnQuery(): void
    {
        $this->plugin()->sidecar->orders([3, 4]);

        $this->assertCount(1, $this->requests);
        $this->assertSignedAsSent('GET', '', $this->requests[0]);
        // The query is part of what is signed: other ids, another signature.
        $this->plugin()->sidecar->orders([5]);
        $this->assertNotSame(
            $this->requests[0]['args']['headers'][Signer::SIGNATURE_HEADER],
            $this->requests[1]['args']['headers'][Signer::SIGNATURE_HEADER]
        );
    }

    public function testStatusAndRetryAreSignedForTheirOwnMethodAndPath(): void
    {
        $this->plugin()->sidecar->status();
        $this->plugin()->sidecar->retry(42);

        $this->assertCount(2, $this->requests);
        $this->assertStringEndsWith('/status', $this->requests[0]['url']);
        $this->assertSignedAsSent('GET', '', $this->requests[0]);
        $this->assertStringEndsWith('/orders/retry', $this->requests[1]['url']);
        $this->assertSignedAsSent('POST', '{"order_id":42}', $this->requests[1]);
    }

    public function testASidecarUrlWithAPathIsSignedWithThatPath(): void
    {
        update_option(Settings::URL_OPTION, 'https://sidecar.example.test/tillsync');

        $this->plugin()->sidecar->status();
        $this->plugin()->sidecar->postHook('{"id":"p"}');

        $this->assertCount(2, $this->requests);
        $this->assertSame('https://sidecar.example.test/tillsync/status', $this->requests[0]['url']);
        $this->assertSignedAsSent('GET', '', $this->requests[0]);
        $this->assertSignedAsSent('POST', '{"id":"p"}', $this->requests[1]);
    }

    /**
     * @return array<string, array{string, string}>
     */
    public static function targets(): array
    {
        return [
            'path only' => ['http://127.0.0.1:8787/status', '/status'],
            'encoded query kept encoded' => ['http://127.0.0.1:8787/orders?ids=1%2C2', '/orders?ids=1%2C2'],
            'no path at all' => ['http://127.0.0.1:8787', '/'],
            'a path of its own' => ['https://host.example/sub/hooks/woocommerce', '/sub/hooks/woocommerce'],
        ];
    }

    /**
     * @dataProvider targets
     */
    public function testTargetIsThePathAndQueryOfTheUrl(string $url, string $target): void
    {
        $this->assertSame($target, Signer::target($url));
    }

    /**
     * @param array{url: string, args: array<string, mixed>} $request
     */
    private function assertSignedAsSent(string $method, string $body, array $request): void
    {
        $this->assertSame($method, $request['args']['method']);
        $this->assertSame($body, $request['args']['body'] ?? '');
        $parts = wp_parse_url($request['url']);
        $target = $parts['path'] . (isset($parts['query']) ? '?' . $parts['query'] : '');
        $timestamp = $request['args']['headers'][Signer::TIMESTAMP_HEADER];
        $signed = $timestamp . '.' . $method . '.' . $target . '.' . $body;
        $this->assertSame(
            'v2=' . hash_hmac('sha256', $signed, self::SECRET),
            $request['args']['headers'][Signer::SIGNATURE_HEADER]
        );
    }
}
