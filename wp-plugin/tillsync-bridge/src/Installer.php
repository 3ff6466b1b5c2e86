<?php

/**
 * Activation, deactivation, upgrade and uninstall.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Installer
{
    public const DB_VERSION_OPTION = 'tillsync_bridge_db_version';
    public const DB_VERSION = '1';

    public function __construct(private Settings $settings, private Outbox $outbox, private Breaker $breaker)
    {
    }

    /**
     * Activation: options (autoload off), the outbox table, the drain schedule.
     */
    public function activate(): void
    {
        $this->settings->ensureOptions();
        $this->outbox->createTable();
        add_option(Breaker::OPTION, ['until' => 0, 'failures' => 0, 'reason' => ''], '', 'yes');
        update_option(self::DB_VERSION_OPTION, self::DB_VERSION, true);
        OutboxDrain::ensureScheduled();
    }

    /**
     * An update replaces files without activation: bring the table up to date once.
     */
    public function upgradeIfNeeded(): void
    {
        if (get_option(self::DB_VERSION_OPTION) !== self::DB_VERSION) {
            $this->activate();
        }
    }

    /**
     * Deactivation stops the schedule; the outbox keeps its events for when the plugin comes back.
     */
    public function deactivate(): void
    {
        wp_clear_scheduled_hook(OutboxDrain::CRON_HOOK);
    }

    /**
     * Uninstall everywhere the plugin may have run: this site, or every site of a network.
     *
     * On a network each site has its own options, outbox table and cron event, whether the
     * plugin was activated there or network-wide. Nothing is kept network-wide (no site
     * options), so there is nothing more to remove.
     */
    public function uninstallEverywhere(): void
    {
        if (!is_multisite()) {
            $this->uninstall();
            return;
        }
        foreach (self::siteIds() as $siteId) {
            switch_to_blog($siteId);
            try {
                $this->uninstall();
            } finally {
                restore_current_blog();
            }
        }
    }

    /**
     * Every site of every network on this installation (they share the plugin's files).
     *
     * @return \Generator<int>
     */
    private static function siteIds(): \Generator
    {
        $page = 100;
        for ($offset = 0;; $offset += $page) {
            $ids = get_sites([
                'fields' => 'ids',
                'number' => $page,
                'offset' => $offset,
                'orderby' => 'id',
                'update_site_meta_cache' => false,
            ]);
            foreach ($ids as $id) {
                yield (int) $id;
            }
            if (count($ids) < $page) {
                return;
            }
        }
    }

    /**
     * Uninstall from the current site: options, the outbox table, scheduled events and the
     * plugin's transients go, and so does the WooCommerce REST key the plugin made (a
     * read-write key to the shop must not outlive the plugin that answers for it; keys the
     * merchant made stay). Deactivating keeps everything, the key included.
     */
    public function uninstall(): void
    {
        global $wpdb;
        $options = [
            Settings::URL_OPTION,
            Settings::SECRET_OPTION,
            Breaker::OPTION,
            self::DB_VERSION_OPTION,
        ];
        (new WooRestKey())->revokeRemembered();
        foreach ($options as $name) {
            delete_option($name);
        }
        delete_metadata('user', 0, Admin\CredentialRequests::STATE_META, '', true);
        $this->outbox->dropTable();
        wp_clear_scheduled_hook(OutboxDrain::CRON_HOOK);
        $wpdb->query(
            "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_tillsync\\_%'
             OR option_name LIKE '\\_transient\\_timeout\\_tillsync\\_%'" // phpcs:ignore
        );
    }
}
