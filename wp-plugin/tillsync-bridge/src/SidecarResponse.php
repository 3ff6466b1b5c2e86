<?php

/**
 * What one call to the sidecar gave: success, or a reason a merchant can read.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class SidecarResponse
{
    /**
     * @param array<string, mixed>|null $data decoded JSON body
     * @param bool $transient true when the sidecar could not be reached or failed (5xx): try later
     */
    public function __construct(
        public readonly bool $ok,
        public readonly int $status,
        public readonly ?array $data,
        public readonly string $error,
        public readonly bool $transient,
    ) {
    }

    /**
     * Interprets a wp_remote_* result.
     *
     * @param array<string, mixed>|\WP_Error $response
     */
    public static function fromHttp(array|\WP_Error $response): self
    {
        if ($response instanceof \WP_Error) {
            return new self(false, 0, null, $response->get_error_message(), true);
        }
        $status = (int) wp_remote_retrieve_response_code($response);
        $decoded = json_decode((string) wp_remote_retrieve_body($response), true);
        $data = is_array($decoded) ? $decoded : null;
        if ($status >= 200 && $status < 300) {
            return new self(true, $status, $data, '', false);
        }
        $message = is_array($data) && isset($data['message']) && is_string($data['message'])
            ? $data['message']
            : (string) wp_remote_retrieve_response_message($response);
        $error = sprintf('HTTP %d: %s', $status, $message);
        // 429 and 5xx say "later"; other 4xx say this request is wrong (bad secret, bad body).
        return new self(false, $status, $data, $error, $status === 429 || $status >= 500);
    }

    /**
     * A failure that never reached the network (for example: no secret configured).
     */
    public static function notSent(string $error): self
    {
        return new self(false, 0, null, $error, true);
    }
}
