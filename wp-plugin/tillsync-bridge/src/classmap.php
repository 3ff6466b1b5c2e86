<?php

/**
 * Every class of the plugin and its file, relative to this folder.
 *
 * A fixed map instead of probing the disk: the loader runs on every request, and an
 * is_readable() per class was a measurable part of what the plugin cost a checkout.
 * tests/wordpress checks that this map and the files agree.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

return [
    Admin\ActionErrors::class => 'Admin/ActionErrors.php',
    Admin\ActionForm::class => 'Admin/ActionForm.php',
    Admin\ActionRequests::class => 'Admin/ActionRequests.php',
    Admin\ActionResult::class => 'Admin/ActionResult.php',
    Admin\CredentialRequests::class => 'Admin/CredentialRequests.php',
    Admin\CredentialsSection::class => 'Admin/CredentialsSection.php',
    Admin\Notices::class => 'Admin/Notices.php',
    Admin\OrderBox::class => 'Admin/OrderBox.php',
    Admin\OrderColumn::class => 'Admin/OrderColumn.php',
    Admin\ReasonHelp::class => 'Admin/ReasonHelp.php',
    Admin\SettingsPage::class => 'Admin/SettingsPage.php',
    Admin\StateLabels::class => 'Admin/StateLabels.php',
    Admin\SidecarState::class => 'Admin/SidecarState.php',
    Admin\StatusPanel::class => 'Admin/StatusPanel.php',
    Admin\Tabs\BackupsTab::class => 'Admin/Tabs/BackupsTab.php',
    Admin\Tabs\ConnectionTab::class => 'Admin/Tabs/ConnectionTab.php',
    Admin\Tabs\HistoryTab::class => 'Admin/Tabs/HistoryTab.php',
    Admin\Tabs\OrdersTab::class => 'Admin/Tabs/OrdersTab.php',
    Admin\Tabs\ReconcileTab::class => 'Admin/Tabs/ReconcileTab.php',
    Admin\Tabs\StockTab::class => 'Admin/Tabs/StockTab.php',
    Admin\TillsyncPage::class => 'Admin/TillsyncPage.php',
    Breaker::class => 'Breaker.php',
    Capture::class => 'Capture.php',
    Event::class => 'Event.php',
    Installer::class => 'Installer.php',
    LoopbackHttp::class => 'LoopbackHttp.php',
    Outbox::class => 'Outbox.php',
    OutboxDrain::class => 'OutboxDrain.php',
    Plugin::class => 'Plugin.php',
    Sender::class => 'Sender.php',
    Settings::class => 'Settings.php',
    Sidecar::class => 'Sidecar.php',
    SidecarResponse::class => 'SidecarResponse.php',
    Signer::class => 'Signer.php',
    WooRestKey::class => 'WooRestKey.php',
];
