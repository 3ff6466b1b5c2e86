<?php

/**
 * Signs a request body for the sidecar (CONTRACT §3 "Signed requests").
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

final class Signer
{
    public const TIMESTAMP_HEADER = 'X-Tillsync-Timestamp';
    public const SIGNATURE_HEADER = 'X-Tillsync-Signature';

    /**
     * The two headers that sign $body at $timestamp: v1=hex HMAC-SHA256(secret, "<timestamp>.<body>").
     *
     * @return array<string, string>
     */
    public static function headers(string $secret, string $body, int $timestamp): array
    {
        if ($secret === '') {
            throw new \InvalidArgumentException('Cannot sign without a secret.');
        }
        return [
            self::TIMESTAMP_HEADER => (string) $timestamp,
            self::SIGNATURE_HEADER => 'v1=' . hash_hmac('sha256', $timestamp . '.' . $body, $secret),
        ];
    }
}
