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

    /**
     * POST /admin/actions: ask the sidecar's scheduler to run an action (README "WP admin's API").
     *
     * The same $requestId always names the same action, so a form sent twice runs once.
     *
     * @param array<string, mixed> $params
     */
    public function askAction(string $kind, array $params, string $requestId): SidecarResponse
    {
        return $this->postAdmin('/admin/actions', [
            'kind' => $kind,
            // An empty PHP array would be a JSON list; the sidecar wants an object.
            'params' => (object) $params,
            'request_id' => $requestId,
        ]);
    }

    /**
     * POST /admin/credentials: hand credentials over, checked by the sidecar before it uses them.
     *
     * $given is ['values' => [field => text]] or ['oauth' => [code, redirect_uri, domain_prefix]];
     * the answer carries the check-credentials action.
     *
     * @param array<string, array<string, string>> $given
     */
    public function giveCredentials(array $given, string $requestId): SidecarResponse
    {
        return $this->postAdmin('/admin/credentials', $given + ['request_id' => $requestId]);
    }

    /**
     * GET /admin/setup: where each credential comes from (a secret only as its fingerprint),
     * the "Connect with Lightspeed" address, the connection.
     */
    public function setup(): SidecarResponse
    {
        return $this->request('GET', '/admin/setup', '', self::ADMIN_TIMEOUT);
    }

    /**
     * GET /admin/actions/<id>: one action's state, progress, result or error.
     */
    public function action(int $actionId): SidecarResponse
    {
        return $this->request('GET', '/admin/actions/' . $actionId, '', self::ADMIN_TIMEOUT);
    }

    /**
     * GET /admin/actions?kind=…: the newest action of that kind, or null.
     */
    public function latestAction(string $kind): SidecarResponse
    {
        return $this->request('GET', '/admin/actions?kind=' . rawurlencode($kind), '', self::ADMIN_TIMEOUT);
    }

    /**
     * GET /admin/import: the latest history import's progress, or null.
     */
    public function importProgress(): SidecarResponse
    {
        return $this->request('GET', '/admin/import', '', self::ADMIN_TIMEOUT);
    }

    /**
     * GET /admin/backups: the POS backups, newest first.
     */
    public function backups(): SidecarResponse
    {
        return $this->request('GET', '/admin/backups', '', self::ADMIN_TIMEOUT);
    }

    /**
     * A signed POST to /admin/…, with a send id of its own: the sidecar accepts a POST's
     * signature once, and the same body sent twice in one second would sign the same bytes.
     *
     * @param array<string, mixed> $body
     */
    private function postAdmin(string $path, array $body): SidecarResponse
    {
        $body['send_id'] = wp_generate_uuid4();
        return $this->request('POST', $path, (string) wp_json_encode($body), self::ADMIN_TIMEOUT);
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
