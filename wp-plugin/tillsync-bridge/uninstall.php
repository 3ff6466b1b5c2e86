<?php

/**
 * Runs when the merchant deletes the plugin in WP admin: removes everything it created,
 * on every site of a network.
 */

declare(strict_types=1);

if (!defined('WP_UNINSTALL_PLUGIN')) {
    exit;
}

require_once __DIR__ . '/src/autoload.php';

$tillsyncSettings = new Tillsync\Bridge\Settings();
$tillsyncInstaller = new Tillsync\Bridge\Installer(
    $tillsyncSettings,
    new Tillsync\Bridge\Outbox(),
    new Tillsync\Bridge\Breaker()
);
$tillsyncInstaller->uninstallEverywhere();
