<?php

/**
 * WooCommerce › Tillsync (admin.php?page=tillsync): the tabs, each behind its guards
 * (README, "For merchants"). Everything shown is read from the sidecar; every action goes through
 * ActionRequests on the server.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Admin\Tabs\BackupsTab;
use Tillsync\Bridge\Admin\Tabs\ConnectionTab;
use Tillsync\Bridge\Admin\Tabs\HistoryTab;
use Tillsync\Bridge\Admin\Tabs\OrdersTab;
use Tillsync\Bridge\Admin\Tabs\ReconcileTab;
use Tillsync\Bridge\Admin\Tabs\StockTab;
use Tillsync\Bridge\Plugin;

defined('ABSPATH') || exit;

final class TillsyncPage
{
    public const SLUG = 'tillsync';
    public const CAPABILITY = 'manage_woocommerce';
    public const TABS = ['connection', 'history', 'backups', 'orders', 'reconcile', 'stock'];
    /** Screens that show a Tillsync state and need the stylesheet. */
    private const ORDER_SCREENS = ['shop_order', 'edit-shop_order', 'woocommerce_page_wc-orders'];

    private string $hookSuffix = '';

    public function __construct(
        private SidecarState $state,
        private ConnectionTab $connection,
        private HistoryTab $history,
        private BackupsTab $backups,
        private OrdersTab $orders,
        private ReconcileTab $reconcile,
        private StockTab $stock,
        private string $mainFile,
    ) {
    }

    /**
     * The page's URL, on one tab.
     */
    public static function url(string $tab = 'connection'): string
    {
        $tab = in_array($tab, self::TABS, true) ? $tab : 'connection';
        return admin_url('admin.php?page=' . self::SLUG . '&tab=' . $tab);
    }

    /**
     * admin_menu: the page sits under WooCommerce.
     */
    public function addMenu(): void
    {
        $suffix = add_submenu_page(
            'woocommerce',
            __('Tillsync point-of-sale sync', 'tillsync-bridge'),
            __('Tillsync', 'tillsync-bridge'),
            self::CAPABILITY,
            self::SLUG,
            [$this, 'render']
        );
        $this->hookSuffix = is_string($suffix) ? $suffix : '';
    }

    /**
     * admin_enqueue_scripts: the stylesheet where Tillsync shows something; the small
     * script that follows a running action on this page only.
     */
    public function enqueueAssets(mixed $hookSuffix = ''): void
    {
        $screen = function_exists('get_current_screen') ? get_current_screen() : null;
        $screenId = $screen instanceof \WP_Screen ? $screen->id : '';
        $onPage = $this->hookSuffix !== '' && $hookSuffix === $this->hookSuffix;
        if (!$onPage && !in_array($screenId, self::ORDER_SCREENS, true)) {
            return;
        }
        wp_enqueue_style(
            'tillsync-bridge-admin',
            plugins_url('assets/admin.css', $this->mainFile),
            [],
            Plugin::VERSION
        );
        if (!$onPage) {
            return;
        }
        wp_enqueue_script(
            'tillsync-bridge-actions',
            plugins_url('assets/actions.js', $this->mainFile),
            [],
            Plugin::VERSION,
            true
        );
        wp_localize_script('tillsync-bridge-actions', 'tillsyncActions', [
            'url' => admin_url('admin-ajax.php'),
            'action' => ActionRequests::POLL_ACTION,
            'nonce' => wp_create_nonce(ActionRequests::POLL_NONCE),
        ]);
    }

    /**
     * The page: title, tabs, then the current tab behind its guards.
     */
    public function render(): void
    {
        if (!current_user_can(self::CAPABILITY)) {
            wp_die(esc_html__('You are not allowed to see this page.', 'tillsync-bridge'), '', ['response' => 403]);
        }
        $tab = self::currentTab();
        echo '<div class="wrap tillsync-settings">';
        echo '<h1>' . esc_html__('Tillsync point-of-sale sync', 'tillsync-bridge') . '</h1>';
        $this->renderNav($tab);
        echo '<div class="tillsync-tab" data-tillsync-tab="' . esc_attr($tab) . '">';
        if ($tab === 'connection') {
            // The settings stay reachable here even when the sidecar is down: they may be why.
            $this->connection->render();
        } elseif (!$this->state->answers()) {
            self::renderGuard('sidecar', $this->state->problem());
        } else {
            match ($tab) {
                'history' => $this->history->render(),
                'backups' => $this->backups->render(),
                'orders' => $this->orders->render(),
                'reconcile' => $this->reconcile->render(),
                'stock' => $this->stock->render(),
            };
        }
        echo '</div></div>';
    }

    /**
     * A guard clause's one sentence, instead of the tab.
     */
    public static function renderGuard(string $guard, string $sentence): void
    {
        printf(
            '<p class="tillsync-guard" data-tillsync-guard="%1$s">%2$s</p>',
            esc_attr($guard),
            esc_html($sentence)
        );
    }

    /**
     * The guard of the tabs that need an open connection: one sentence and a link.
     */
    public static function renderNotConnected(): void
    {
        printf(
            '<p class="tillsync-guard" data-tillsync-guard="not-connected">%1$s <a href="%2$s">%3$s</a></p>',
            esc_html__('Tillsync is not connected to the POS, so there is nothing to do here yet.', 'tillsync-bridge'),
            esc_url(self::url('connection')),
            esc_html__('Connect on the Connection tab.', 'tillsync-bridge')
        );
    }

    private static function currentTab(): string
    {
        // phpcs:ignore -- reading which tab to show changes nothing.
        $tab = isset($_GET['tab']) ? sanitize_key(wp_unslash($_GET['tab'])) : 'connection';
        return in_array($tab, self::TABS, true) ? $tab : 'connection';
    }

    private function renderNav(string $current): void
    {
        $labels = [
            'connection' => __('Connection', 'tillsync-bridge'),
            'history' => __('History import', 'tillsync-bridge'),
            'backups' => __('Backups', 'tillsync-bridge'),
            'orders' => __('Orders', 'tillsync-bridge'),
            'reconcile' => __('Reconcile', 'tillsync-bridge'),
            'stock' => __('Stock', 'tillsync-bridge'),
        ];
        echo '<nav class="nav-tab-wrapper tillsync-tabs">';
        foreach ($labels as $tab => $label) {
            printf(
                '<a href="%1$s" class="nav-tab%2$s" data-tillsync-tab-link="%3$s">%4$s</a>',
                esc_url(self::url($tab)),
                $tab === $current ? ' nav-tab-active' : '',
                esc_attr($tab),
                esc_html($label)
            );
        }
        echo '</nav>';
    }
}
