<?php

/**
 * A lean POST to a sidecar on this machine (plain http to a loopback address), with curl.
 *
 * The sidecar normally listens on 127.0.0.1, and every order-creating request posts to it.
 * WordPress' HTTP API sets up a lot for each call (argument parsing, proxy and cookie
 * handling, Requests' hooks and response objects): about 0.5 ms of a send that takes about
 * 1.5 ms. Here a loopback address means no proxy, no TLS and no redirect to follow, so one
 * curl call does the same job. Anything else (https, another host, no curl) goes through
 * wp_remote_post() with its TLS verification, in Sidecar.
 *
 * WordPress' own `pre_http_request` filter and `http_api_debug` action still run, so hosts and
 * tests can intercept, block or log these requests exactly as they do wp_remote_post().
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class LoopbackHttp
{
    /** Connecting to loopback succeeds or is refused at once; a wait here means trouble. */
    private const CONNECT_TIMEOUT_MS = 500;

    /**
     * Whether $url can take the lean path: http (never https) to a loopback host, curl present.
     */
    public static function handles(string $url): bool
    {
        if (!function_exists('curl_init') || strncasecmp($url, 'http://', 7) !== 0) {
            return false;
        }
        return Settings::isLoopbackHost((string) wp_parse_url($url, PHP_URL_HOST));
    }

    /**
     * POSTs $body with $headers; the answer is shaped like wp_remote_post()'s, or a WP_Error.
     *
     * @param array<string, string> $headers
     * @return array<string, mixed>|\WP_Error
     */
    public static function post(string $url, array $headers, string $body, float $timeout, string $userAgent)
    {
        $args = [
            'method' => 'POST',
            'timeout' => $timeout,
            'redirection' => 0,
            'user-agent' => $userAgent,
            'headers' => $headers,
            'body' => $body,
        ];
        $pre = apply_filters('pre_http_request', false, $args, $url);
        if ($pre !== false) {
            return $pre;
        }
        $lines = ['Expect:']; // no "100-continue" round trip before the body
        foreach ($headers as $name => $value) {
            $lines[] = $name . ': ' . $value;
        }
        $handle = curl_init();
        curl_setopt_array($handle, [
            CURLOPT_URL => $url,
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $body,
            CURLOPT_HTTPHEADER => $lines,
            CURLOPT_USERAGENT => $userAgent,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            // curl would otherwise take a proxy from the environment (http_proxy); loopback never needs one.
            CURLOPT_PROXY => '',
            CURLOPT_NOPROXY => '*',
            CURLOPT_CONNECTTIMEOUT_MS => min(self::CONNECT_TIMEOUT_MS, (int) ($timeout * 1000)),
            CURLOPT_TIMEOUT_MS => (int) ($timeout * 1000),
            // Sub-second timeouts without signals (curl's resolver would otherwise use SIGALRM).
            CURLOPT_NOSIGNAL => true,
        ]);
        $answer = curl_exec($handle);
        if ($answer === false) {
            $response = new \WP_Error(
                'http_request_failed',
                sprintf('cURL error %d: %s', curl_errno($handle), curl_error($handle))
            );
        } else {
            $code = (int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
            $response = [
                'headers' => [],
                'body' => (string) $answer,
                'response' => ['code' => $code, 'message' => get_status_header_desc($code)],
                'cookies' => [],
                'filename' => null,
            ];
        }
        do_action('http_api_debug', $response, 'response', 'Tillsync\\Bridge\\LoopbackHttp', $args, $url);
        return $response;
    }
}
