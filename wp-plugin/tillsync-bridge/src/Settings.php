<?php

/**
 * Where the sidecar is and the secret shared with it: options, or constants set by the host.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

final class Settings
{
    public const URL_OPTION = 'tillsync_sidecar_url';
    public const SECRET_OPTION = 'tillsync_hook_secret';
    public const URL_CONSTANT = 'TILLSYNC_SIDECAR_URL';
    public const SECRET_CONSTANT = 'TILLSYNC_HOOK_SECRET';
    public const DEFAULT_URL = 'http://127.0.0.1:8787';
    public const MIN_SECRET_LENGTH = 16;

    private bool $primed = false;

    /**
     * The sidecar's base URL, without a trailing slash; a wp-config constant wins.
     */
    public function sidecarUrl(): string
    {
        $this->prime();
        $url = $this->urlSetByHost()
            ? (string) constant(self::URL_CONSTANT)
            : (string) get_option(self::URL_OPTION, '');
        $url = trim($url);
        return rtrim($url === '' ? self::DEFAULT_URL : $url, '/');
    }

    /**
     * The shared hook secret ('' when none is set); a wp-config constant wins.
     */
    public function secret(): string
    {
        $this->prime();
        if ($this->secretSetByHost()) {
            return trim((string) constant(self::SECRET_CONSTANT));
        }
        return trim((string) get_option(self::SECRET_OPTION, ''));
    }

    /**
     * Reads both options in one query, once per request, into WordPress' option cache.
     *
     * They are not autoloaded (the secret should not ride along on every page), so each would
     * cost its own query on the request that sends an event. get_option() still does the
     * reading, with its filters; this only fills the cache it reads from.
     */
    public function prime(): void
    {
        global $wpdb;
        if ($this->primed) {
            return;
        }
        $this->primed = true;
        if ($this->urlSetByHost() || $this->secretSetByHost()) {
            return;
        }
        $cached = wp_load_alloptions() + (array) wp_cache_get('notoptions', 'options');
        $names = [];
        foreach ([self::URL_OPTION, self::SECRET_OPTION] as $name) {
            if (!isset($cached[$name]) && wp_cache_get($name, 'options') === false) {
                $names[] = $name;
            }
        }
        if (count($names) < 2) {
            return;
        }
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name IN (%s, %s)",
            ...$names
        ));
        foreach ((array) $rows as $row) {
            wp_cache_add($row->option_name, $row->option_value, 'options');
        }
    }

    public function urlSetByHost(): bool
    {
        return defined(self::URL_CONSTANT);
    }

    public function secretSetByHost(): bool
    {
        return defined(self::SECRET_CONSTANT);
    }

    /**
     * Whether events can be signed at all.
     */
    public function isConfigured(): bool
    {
        return $this->secret() !== '';
    }

    /**
     * A short, non-reversible fingerprint of the secret, safe to show.
     */
    public function secretFingerprint(): string
    {
        $secret = $this->secret();
        return $secret === '' ? '' : substr(hash('sha256', $secret), 0, 8);
    }

    /**
     * Creates both options with autoload off, so no page load carries the secret around.
     */
    public function ensureOptions(): void
    {
        foreach ([self::URL_OPTION => self::DEFAULT_URL, self::SECRET_OPTION => ''] as $name => $default) {
            if (get_option($name, null) === null) {
                add_option($name, $default, '', 'no');
            }
        }
    }

    /**
     * Sanitize callback for the URL: bad input is refused with a message and changes nothing.
     */
    public function sanitizeUrl(mixed $value): string
    {
        $current = (string) get_option(self::URL_OPTION, self::DEFAULT_URL);
        if ($value === null || $this->urlSetByHost()) {
            return $current;
        }
        $url = trim((string) $value);
        if ($url === '') {
            return self::DEFAULT_URL;
        }
        $problem = self::urlProblem($url);
        if ($problem !== null) {
            add_settings_error(self::URL_OPTION, 'tillsync_invalid_url', $problem);
            return $current;
        }
        return rtrim($url, '/');
    }

    /**
     * Sanitize callback for the secret: write-only, so an empty field keeps the stored one.
     */
    public function sanitizeSecret(mixed $value): string
    {
        $current = (string) get_option(self::SECRET_OPTION, '');
        if ($value === null || $this->secretSetByHost()) {
            return $current;
        }
        $secret = trim((string) $value);
        if ($secret === '') {
            return $current;
        }
        if (strlen($secret) < self::MIN_SECRET_LENGTH || preg_match('/\s/', $secret) === 1) {
            add_settings_error(
                self::SECRET_OPTION,
                'tillsync_invalid_secret',
                sprintf(
                    /* translators: %d: minimum number of characters */
                    __(
                        'The hook secret must be at least %d characters, without spaces. It was not changed.',
                        'tillsync-bridge'
                    ),
                    self::MIN_SECRET_LENGTH
                )
            );
            return $current;
        }
        return $secret;
    }

    /**
     * Why a sidecar URL cannot be used, or null when it can.
     */
    public static function urlProblem(string $url): ?string
    {
        $parts = wp_parse_url($url);
        $scheme = is_array($parts) ? strtolower((string) ($parts['scheme'] ?? '')) : '';
        if (!is_array($parts) || !in_array($scheme, ['http', 'https'], true) || empty($parts['host'])) {
            return __(
                'The sidecar URL must start with http:// or https:// and name a host. It was not changed.',
                'tillsync-bridge'
            );
        }
        if (isset($parts['query']) || isset($parts['fragment']) || isset($parts['user'])) {
            return __(
                'The sidecar URL must not contain a query, a fragment or a user name. It was not changed.',
                'tillsync-bridge'
            );
        }
        return null;
    }
}
