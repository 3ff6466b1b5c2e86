<?php

/**
 * Signs a request for the sidecar (README "HTTP": signed requests).
 *
 * v2 covers the method and the path with its query as well as the timestamp and the body,
 * so a captured request cannot be sent to another endpoint or with other `?ids=`.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Signer
{
    public const TIMESTAMP_HEADER = 'X-Tillsync-Timestamp';
    public const SIGNATURE_HEADER = 'X-Tillsync-Signature';

    /**
     * The two headers that sign a $method request to $url with $body at $timestamp:
     * v2=hex HMAC-SHA256(secret, "<timestamp>.<METHOD>.<path and query>.<body>").
     *
     * @return array<string, string>
     */
    public static function headers(string $secret, string $method, string $url, string $body, int $timestamp): array
    {
        if ($secret === '') {
            throw new \InvalidArgumentException('Cannot sign without a secret.');
        }
        $message = $timestamp . '.' . strtoupper($method) . '.' . self::target($url) . '.' . $body;
        return [
            self::TIMESTAMP_HEADER => (string) $timestamp,
            self::SIGNATURE_HEADER => 'v2=' . hash_hmac('sha256', $message, $secret),
        ];
    }

    /**
     * The path and query of $url as the request line carries them ("/orders?ids=1%2C2").
     *
     * Taken from the URL itself, so a sidecar URL with a path of its own is signed as sent;
     * the sidecar compares it with the raw request target, byte for byte.
     */
    public static function target(string $url): string
    {
        $parts = wp_parse_url($url);
        $path = is_array($parts) && isset($parts['path']) && $parts['path'] !== '' ? $parts['path'] : '/';
        return $path . (is_array($parts) && isset($parts['query']) ? '?' . $parts['query'] : '');
    }
}
