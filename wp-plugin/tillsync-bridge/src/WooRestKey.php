<?php

/**
 * The WooCommerce REST key the sidecar reads orders with, made here the way WooCommerce's
 * own key screen makes one (WC_Auth::create_keys): read_write, described "Tillsync sidecar",
 * for the current admin; the row keeps wc_api_hash(ck) and the secret, never the clear key.
 *
 * The plugin remembers only the row's id and whether the sidecar accepted the key, so it
 * can say when the key was revoked in WooCommerce (its row deleted) and revoke it itself.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class WooRestKey
{
    public const OPTION = 'tillsync_wc_key';
    public const DESCRIPTION = 'Tillsync sidecar';
    public const PERMISSIONS = 'read_write';

    /**
     * A new key for $userId: its row id and the clear key and secret, which exist only now.
     *
     * @return array{key_id: int, consumer_key: string, consumer_secret: string}
     * @throws \RuntimeException when WooCommerce's key table cannot take the row
     */
    public function create(int $userId): array
    {
        global $wpdb;
        if (!function_exists('wc_rand_hash') || !function_exists('wc_api_hash')) {
            throw new \RuntimeException(
                __('WooCommerce is not active, so no REST key can be made.', 'tillsync-bridge')
            );
        }
        $consumerKey = 'ck_' . wc_rand_hash();
        $consumerSecret = 'cs_' . wc_rand_hash();
        $inserted = $wpdb->insert(
            self::table(),
            [
                'user_id' => $userId,
                'description' => self::DESCRIPTION,
                'permissions' => self::PERMISSIONS,
                'consumer_key' => wc_api_hash($consumerKey),
                'consumer_secret' => $consumerSecret,
                'truncated_key' => substr($consumerKey, -7),
            ],
            ['%d', '%s', '%s', '%s', '%s', '%s']
        );
        if ($inserted !== 1) {
            throw new \RuntimeException(
                __('WooCommerce\'s REST key table did not take the new key.', 'tillsync-bridge')
            );
        }
        return [
            'key_id' => (int) $wpdb->insert_id,
            'consumer_key' => $consumerKey,
            'consumer_secret' => $consumerSecret,
        ];
    }

    /**
     * Whether the row is still there (WooCommerce's "Revoke" deletes it).
     */
    public function exists(int $keyId): bool
    {
        global $wpdb;
        $table = self::table();
        // phpcs:ignore -- the table name is WooCommerce's, the id a placeholder.
        $found = $wpdb->get_var($wpdb->prepare("SELECT key_id FROM {$table} WHERE key_id = %d", $keyId));
        return $found !== null;
    }

    /**
     * Revokes a key: deletes its row, as WooCommerce's key list does. Nothing to do when
     * WooCommerce's table is gone (WooCommerce deleted with its data before this plugin).
     */
    public function delete(int $keyId): void
    {
        global $wpdb;
        $table = self::table();
        if ($wpdb->get_var($wpdb->prepare('SHOW TABLES LIKE %s', $wpdb->esc_like($table))) !== $table) {
            return;
        }
        $wpdb->delete($table, ['key_id' => $keyId], ['%d']);
    }

    /**
     * The key this plugin made and still answers for: key_id, the check-credentials action
     * that took it to the sidecar, and whether that check passed; null if none.
     *
     * @return array{key_id: int, action_id: int, accepted: bool}|null
     */
    public function remembered(): ?array
    {
        $kept = get_option(self::OPTION, null);
        if (!is_array($kept) || !isset($kept['key_id'])) {
            return null;
        }
        return [
            'key_id' => (int) $kept['key_id'],
            'action_id' => (int) ($kept['action_id'] ?? 0),
            'accepted' => !empty($kept['accepted']),
        ];
    }

    public function remember(int $keyId, int $actionId, bool $accepted = false): void
    {
        update_option(
            self::OPTION,
            ['key_id' => $keyId, 'action_id' => $actionId, 'accepted' => $accepted],
            false
        );
    }

    public function forget(): void
    {
        delete_option(self::OPTION);
    }

    /**
     * Revokes the key this plugin made, if any, and forgets it.
     */
    public function revokeRemembered(): void
    {
        $kept = $this->remembered();
        if ($kept !== null) {
            $this->delete($kept['key_id']);
        }
        $this->forget();
    }

    private static function table(): string
    {
        global $wpdb;
        return $wpdb->prefix . 'woocommerce_api_keys';
    }
}
