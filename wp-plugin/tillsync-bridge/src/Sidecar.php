<?php

/**
 * Signed HTTP calls from WordPress to the Tillsync sidecar (README "HTTP").
 *
 * Every call is signed v2 over its method and the path and query of the very URL it goes to,
 * so a captured call cannot be replayed to another endpoint or with other order ids.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Sidecar
{
    /** A checkout must never wait long on a sidecar that hangs; the breaker covers the rest. */
    public const HOOK_TIMEOUT = 2.0;
    public const ADMIN_TIMEOUT = 4.0;

    public function __construct(private Settings $settings)
    {
    }

    /**
     * POST /hooks/woocommerce with an event body (a fresh signature each time it is sent).
     *
     * Every order-creating request makes this call: a loopback sidecar gets the lean curl
     * path, anything else wp_remote_post() (LoopbackHttp says why).
     */
    public function postHook(string $body): SidecarResponse
    {
        $this->settings->prime();
        $url = $this->settings->sidecarUrl() . '/hooks/woocommerce';
        if (!LoopbackHttp::handles($url)) {
            return $this->request('POST', '/hooks/woocommerce', $body, self::HOOK_TIMEOUT);
        }
        $secret = $this->settings->secret();
        if ($secret === '') {
            return self::noSecret();
        }
        $headers = Signer::headers($secret, 'POST', $url, $body, time()) + ['Content-Type' => 'application/json'];
        return SidecarResponse::fromHttp(
            LoopbackHttp::post($url, $headers, $body, self::HOOK_TIMEOUT, self::userAgent())
        );
    }

    /**
     * GET /status: counts per state, failures, last push.
     */
    public function status(): SidecarResponse
    {
        return $this->request('GET', '/status', '', self::ADMIN_TIMEOUT);
    }

    /**
     * GET /orders?ids=…: the ledger's view of these orders.
     *
     * @param list<int> $orderIds
     */
    public function orders(array $orderIds): SidecarResponse
    {
        $ids = implode(',', array_values(array_unique(array_map('intval', $orderIds))));
        return $this->request('GET', '/orders?ids=' . rawurlencode($ids), '', self::ADMIN_TIMEOUT);
    }

    /**
     * POST /orders/retry: queue one order again ("Send to POS again").
     */
    public function retry(int $orderId): SidecarResponse
    {
        $body = (string) wp_json_encode(['order_id' => $orderId]);
        return $this->request('POST', '/orders/retry', $body, self::ADMIN_TIMEOUT);
    }

    private function request(string $method, string $path, string $body, float $timeout): SidecarResponse
    {
        $secret = $this->settings->secret();
        if ($secret === '') {
            return self::noSecret();
        }
        $url = $this->settings->sidecarUrl() . $path;
        $args = [
            'method' => $method,
            'timeout' => $timeout,
            'redirection' => 0,
            'user-agent' => self::userAgent(),
            'headers' => Signer::headers($secret, $method, $url, $body, time()),
        ];
        if ($method === 'POST') {
            $args['headers']['Content-Type'] = 'application/json';
            $args['body'] = $body;
            // wp_safe_remote_post refuses loopback ports other than 80/443/8080, and the sidecar lives there.
            return SidecarResponse::fromHttp(wp_remote_post($url, $args));
        }
        return SidecarResponse::fromHttp(wp_remote_get($url, $args));
    }

    private static function userAgent(): string
    {
        return 'TillsyncBridge/' . Plugin::VERSION;
    }

    private static function noSecret(): SidecarResponse
    {
        return SidecarResponse::notSent(
            __(
                'No hook secret is set, so nothing can be signed. Enter it on the Tillsync settings page.',
                'tillsync-bridge'
            )
        );
    }
}
