<?php

/**
 * The plugin's wiring: every WordPress hook it uses, in one table.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

use Automattic\WooCommerce\Utilities\FeaturesUtil;
use Tillsync\Bridge\Admin\Notices;
use Tillsync\Bridge\Admin\OrderBox;
use Tillsync\Bridge\Admin\OrderColumn;
use Tillsync\Bridge\Admin\SettingsPage;
use Tillsync\Bridge\Admin\StatusPanel;

defined('ABSPATH') || exit;

final class Plugin
{
    public const VERSION = '0.2.0';
    public const TEXT_DOMAIN = 'tillsync-bridge';

    private static ?Plugin $instance = null;

    private bool $wooCommerceActive = false;
    /** @var list<array{0: string, 1: string, 2: callable, 3: int, 4: int}>|null built once, used twice */
    private ?array $hooks = null;

    public readonly string $mainFile;
    public readonly Settings $settings;
    public readonly Sidecar $sidecar;
    public readonly Capture $capture;
    public readonly Outbox $outbox;
    public readonly Breaker $breaker;
    public readonly Sender $sender;
    public readonly OutboxDrain $drain;
    public readonly Installer $installer;
    private Notices $notices;
    private SettingsPage $settingsPage;
    private OrderColumn $orderColumn;
    private OrderBox $orderBox;

    private function __construct(string $mainFile)
    {
        $this->mainFile = $mainFile;
        $this->settings = new Settings();
        $this->sidecar = new Sidecar($this->settings);
        $this->capture = new Capture();
        $this->outbox = new Outbox();
        $this->breaker = new Breaker();
        $this->drain = new OutboxDrain($this->sidecar, $this->outbox, $this->breaker, $this->settings);
        $this->sender = new Sender($this->capture, $this->sidecar, $this->outbox, $this->breaker, $this->settings);
        $this->installer = new Installer($this->settings, $this->outbox, $this->breaker);
        $this->notices = new Notices();
        $panel = new StatusPanel($this->sidecar, $this->outbox, $this->breaker, $this->settings);
        $this->settingsPage = new SettingsPage($this->settings, $this->sidecar, $panel, $this->notices, $mainFile);
        $this->orderColumn = new OrderColumn($this->sidecar);
        $this->orderBox = new OrderBox($this->sidecar, $this->notices);
    }

    /**
     * Builds the plugin once and registers the hooks that do not need WooCommerce.
     */
    public static function boot(string $mainFile): self
    {
        if (self::$instance === null) {
            self::$instance = new self($mainFile);
            self::$instance->register('always');
        }
        return self::$instance;
    }

    /**
     * The running plugin (tests and uninstall reach the parts through it).
     */
    public static function instance(): self
    {
        if (self::$instance === null) {
            throw new \LogicException('Tillsync Bridge has not been booted.');
        }
        return self::$instance;
    }

    /**
     * Every WordPress hook the plugin uses: [when, hook, callback, priority, accepted args].
     *
     * "always" rows are registered when the plugin file loads; "woocommerce" rows on
     * plugins_loaded, and only when WooCommerce is there (it loads after this plugin).
     *
     * @return list<array{0: string, 1: string, 2: callable, 3: int, 4: int}>
     */
    public function hooks(): array
    {
        return $this->hooks ??= $this->hookTable();
    }

    /**
     * @return list<array{0: string, 1: string, 2: callable, 3: int, 4: int}>
     */
    private function hookTable(): array
    {
        $basename = plugin_basename($this->mainFile);
        $capture = $this->capture;
        $column = $this->orderColumn;
        $box = $this->orderBox;
        $page = $this->settingsPage;

        return [
            // Lifecycle, languages, the WooCommerce guard, the outbox drain.
            ['always', 'activate_' . $basename, [$this->installer, 'activate'], 10, 0],
            ['always', 'deactivate_' . $basename, [$this->installer, 'deactivate'], 10, 0],
            ['always', 'plugins_loaded', [$this, 'registerWithWooCommerce'], 10, 0],
            ['always', 'before_woocommerce_init', [$this, 'declareHposCompatibility'], 10, 0],
            ['always', 'init', [$this, 'loadTextDomain'], 10, 0],
            ['always', 'admin_notices', [$this, 'noticeWooCommerceMissing'], 10, 0],
            ['always', 'cron_schedules', [$this->drain, 'addSchedule'], 10, 1],
            ['always', OutboxDrain::CRON_HOOK, [$this->drain, 'run'], 10, 0],

            // Capture: order ids and topics collected during the request.
            ['woocommerce', 'woocommerce_new_order', [$capture, 'onCreated'], 10, 2],
            ['woocommerce', 'woocommerce_update_order', [$capture, 'onUpdated'], 10, 2],
            ['woocommerce', 'woocommerce_order_status_changed', [$capture, 'onStatusChanged'], 10, 4],
            ['woocommerce', 'woocommerce_order_note_added', [$capture, 'onNoteAdded'], 10, 2],
            ['woocommerce', 'woocommerce_order_refunded', [$capture, 'onRefunded'], 10, 2],
            ['woocommerce', 'woocommerce_trash_order', [$capture, 'onTrashed'], 10, 1],
            ['woocommerce', 'woocommerce_untrash_order', [$capture, 'onRestored'], 10, 2],
            ['woocommerce', 'woocommerce_delete_order', [$capture, 'onDeleted'], 10, 1],
            ['woocommerce', 'wp_trash_post', [$capture, 'onPostTrashed'], 10, 1],
            ['woocommerce', 'untrashed_post', [$capture, 'onPostRestored'], 10, 2],
            ['woocommerce', 'before_delete_post', [$capture, 'onPostDeleted'], 10, 2],

            // Send: one event per order once the request is done (after WordPress flushed its output).
            ['woocommerce', 'shutdown', [$this->sender, 'onShutdown'], 100, 0],

            // Admin: settings page, test connection, notices.
            ['woocommerce', 'admin_menu', [$page, 'addMenu'], 60, 0],
            ['woocommerce', 'admin_init', [$this->installer, 'upgradeIfNeeded'], 5, 0],
            ['woocommerce', 'admin_init', [$page, 'registerSettings'], 10, 0],
            ['woocommerce', 'option_page_capability_' . SettingsPage::OPTION_GROUP, [$page, 'capability'], 10, 0],
            ['woocommerce', 'admin_post_' . SettingsPage::TEST_ACTION, [$page, 'handleTestConnection'], 10, 0],
            ['woocommerce', 'admin_enqueue_scripts', [$page, 'enqueueStyles'], 10, 1],
            ['woocommerce', 'admin_notices', [$this->notices, 'render'], 10, 0],

            // Admin: the POS column on both order list screens (classic posts and HPOS).
            ['woocommerce', 'manage_edit-shop_order_columns', [$column, 'addColumn'], 20, 1],
            ['woocommerce', 'manage_shop_order_posts_custom_column', [$column, 'renderForPost'], 10, 2],
            ['woocommerce', 'manage_woocommerce_page_wc-orders_columns', [$column, 'addColumn'], 20, 1],
            ['woocommerce', 'manage_woocommerce_page_wc-orders_custom_column', [$column, 'renderForOrder'], 10, 2],
            [
                'woocommerce', 'woocommerce_order_list_table_prepare_items_query_args',
                [$column, 'expectListQuery'], 10, 1,
            ],
            ['woocommerce', 'woocommerce_order_query', [$column, 'rememberListPage'], 10, 2],

            // Admin: the box on the order screen and its "Send to POS again".
            ['woocommerce', 'add_meta_boxes', [$box, 'addBox'], 30, 2],
            ['woocommerce', 'admin_post_' . OrderBox::RETRY_ACTION, [$box, 'handleRetry'], 10, 0],
        ];
    }

    /**
     * Registers the rows of the hooks table for one phase.
     */
    public function register(string $when): void
    {
        foreach ($this->hooks() as [$rowWhen, $hook, $callback, $priority, $args]) {
            if ($rowWhen === $when) {
                add_filter($hook, $callback, $priority, $args);
            }
        }
    }

    /**
     * Guard clause: without WooCommerce the plugin only says so.
     */
    public function registerWithWooCommerce(): void
    {
        $this->wooCommerceActive = class_exists('WooCommerce');
        if ($this->wooCommerceActive) {
            $this->register('woocommerce');
        }
    }

    /**
     * Whether WooCommerce was found on plugins_loaded.
     */
    public function wooCommerceActive(): bool
    {
        return $this->wooCommerceActive;
    }

    /**
     * Tells WooCommerce this plugin works with its custom order tables (HPOS).
     */
    public function declareHposCompatibility(): void
    {
        if (class_exists(FeaturesUtil::class)) {
            FeaturesUtil::declare_compatibility('custom_order_tables', $this->mainFile, true);
        }
    }

    /**
     * Loads translations from the plugin's languages folder (on init, as WordPress asks).
     */
    public function loadTextDomain(): void
    {
        load_plugin_textdomain(self::TEXT_DOMAIN, false, dirname(plugin_basename($this->mainFile)) . '/languages');
    }

    /**
     * Admin notice shown while WooCommerce is missing.
     */
    public function noticeWooCommerceMissing(): void
    {
        if ($this->wooCommerceActive || !current_user_can('activate_plugins')) {
            return;
        }
        printf(
            '<div class="notice notice-error"><p>%s</p></div>',
            esc_html__(
                'Tillsync Bridge needs WooCommerce. Activate WooCommerce to forward orders to your point of sale.',
                'tillsync-bridge'
            )
        );
    }
}
