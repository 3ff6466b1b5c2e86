<?php

/**
 * Activation, deactivation, upgrade and uninstall.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

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
     * Uninstall: options, the outbox table, scheduled events and the plugin's transients go.
     */
    public function uninstall(): void
    {
        global $wpdb;
        foreach ([Settings::URL_OPTION, Settings::SECRET_OPTION, Breaker::OPTION, self::DB_VERSION_OPTION] as $name) {
            delete_option($name);
        }
        $this->outbox->dropTable();
        wp_clear_scheduled_hook(OutboxDrain::CRON_HOOK);
        $wpdb->query(
            "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_tillsync\\_%'
             OR option_name LIKE '\\_transient\\_timeout\\_tillsync\\_%'" // phpcs:ignore
        );
    }
}
