<?php

/**
 * Where the sidecar is and the secret shared with it: options, or constants set by the host.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Settings
{
    public const URL_OPTION = 'tillsync_sidecar_url';
    public const SECRET_OPTION = 'tillsync_hook_secret';
    public const URL_CONSTANT = 'TILLSYNC_SIDECAR_URL';
    public const SECRET_CONSTANT = 'TILLSYNC_HOOK_SECRET';
    public const DEFAULT_URL = 'http://127.0.0.1:8787';
    /** The sidecar refuses a shorter secret, so one this short could never match its own. */
    public const MIN_SECRET_LENGTH = 32;
    /** Where the sidecar is decides where signed order events go: a site administrator's call. */
    public const URL_CAPABILITY = 'manage_options';
    /**
     * The only URL shape accepted, so that what is checked here is what the HTTP client connects
     * to: a host of plain letters, digits, dots and hyphens (or an IP literal), an optional port
     * and a plain path; no user name, query, fragment, backslash or space for parsers to disagree on.
     */
    private const URL_SHAPE = '#^(?<scheme>https?)://(?<host>\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(?<port>\d{1,5}))?'
        . '(?<path>/[a-z0-9._~%/-]*)?$#iD';
    private const HOST_NAME = '/^(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/iD';

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
     *
     * Only a user with manage_options may change it (shop managers may save the rest of the
     * page), and a host other than this machine only over https.
     */
    public function sanitizeUrl(mixed $value): string
    {
        $current = (string) get_option(self::URL_OPTION, self::DEFAULT_URL);
        if ($value === null || $this->urlSetByHost()) {
            return $current;
        }
        $url = trim((string) $value);
        $url = $url === '' ? self::DEFAULT_URL : rtrim($url, '/');
        if ($url === $current) {
            return $current;
        }
        if (!current_user_can(self::URL_CAPABILITY)) {
            add_settings_error(
                self::URL_OPTION,
                'tillsync_url_needs_admin',
                __('Only an administrator can change the sidecar URL. It was not changed.', 'tillsync-bridge')
            );
            return $current;
        }
        $problem = self::urlProblem($url);
        if ($problem !== null) {
            add_settings_error(self::URL_OPTION, 'tillsync_invalid_url', $problem);
            return $current;
        }
        return $url;
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
        // Counted in characters, as the sidecar counts them.
        if (mb_strlen($secret, 'UTF-8') < self::MIN_SECRET_LENGTH || preg_match('/\s/u', $secret) === 1) {
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
     *
     * Plain http is only for a sidecar on this machine (see isLoopbackHost); anything else
     * must be https, so signed order events never cross a network in clear.
     */
    public static function urlProblem(string $url): ?string
    {
        $parts = wp_parse_url($url);
        if (is_array($parts) && (isset($parts['query']) || isset($parts['fragment']) || isset($parts['user']))) {
            return __(
                'The sidecar URL must not contain a query, a fragment or a user name. It was not changed.',
                'tillsync-bridge'
            );
        }
        if (preg_match(self::URL_SHAPE, $url, $match) !== 1 || !self::isHost($match['host'])) {
            return __(
                'The sidecar URL must start with http:// or https:// and name a host. It was not changed.',
                'tillsync-bridge'
            );
        }
        $port = $match['port'] ?? '';
        if ($port !== '' && ((int) $port < 1 || (int) $port > 65535)) {
            return __('The sidecar URL names a port that does not exist. It was not changed.', 'tillsync-bridge');
        }
        if (strtolower($match['scheme']) === 'http' && !self::isLoopbackHost($match['host'])) {
            return __(
                'The sidecar URL must use https:// unless its host is this machine (127.0.0.1, [::1] or '
                    . 'localhost). It was not changed.',
                'tillsync-bridge'
            );
        }
        return null;
    }

    /**
     * Whether a URL's host is this machine: 127.0.0.0/8, [::1] or localhost, written as such.
     *
     * The host as written, never what a name resolves to (DNS can say anything), and not
     * 0.0.0.0, which names no address to connect to.
     */
    public static function isLoopbackHost(string $host): bool
    {
        $host = strtolower($host);
        if ($host === 'localhost') {
            return true;
        }
        if (str_starts_with($host, '[') && str_ends_with($host, ']')) {
            $address = substr($host, 1, -1);
            return filter_var($address, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6) !== false
                && inet_pton($address) === inet_pton('::1');
        }
        return filter_var($host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4) !== false && str_starts_with($host, '127.');
    }

    /**
     * An IP literal (IPv6 in brackets, IPv4 as four decimal numbers) or a host name.
     *
     * All-numeric spellings such as 127.1 or 2130706433 are refused: resolvers read them as
     * addresses that the text does not show.
     */
    private static function isHost(string $host): bool
    {
        if (str_starts_with($host, '[')) {
            return filter_var(substr($host, 1, -1), FILTER_VALIDATE_IP, FILTER_FLAG_IPV6) !== false;
        }
        if (preg_match('/^[0-9.]+$/D', $host) === 1) {
            return filter_var($host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4) !== false;
        }
        return preg_match(self::HOST_NAME, $host) === 1;
    }
}
