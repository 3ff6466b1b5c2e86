<?php

/**
 * The plugin's wiring: every WordPress hook it uses, in one table.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

use Automattic\WooCommerce\Utilities\FeaturesUtil;
use Tillsync\Bridge\Admin\ActionForm;
use Tillsync\Bridge\Admin\ActionRequests;
use Tillsync\Bridge\Admin\CredentialRequests;
use Tillsync\Bridge\Admin\CredentialsSection;
use Tillsync\Bridge\Admin\Notices;
use Tillsync\Bridge\Admin\OrderBox;
use Tillsync\Bridge\Admin\OrderColumn;
use Tillsync\Bridge\Admin\SettingsPage;
use Tillsync\Bridge\Admin\SidecarState;
use Tillsync\Bridge\Admin\StatusPanel;
use Tillsync\Bridge\Admin\Tabs;
use Tillsync\Bridge\Admin\TillsyncPage;

defined('ABSPATH') || exit;

final class Plugin
{
    public const VERSION = '0.4.0';
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
    /** @var array<string, object> the admin screens' parts, built on first use */
    private array $parts = [];

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
    }

    /**
     * One part of the admin screens, built (with what it needs) the first time one of its
     * hooks fires: a checkout never loads the screens' classes.
     */
    private function part(string $name): object
    {
        return $this->parts[$name] ??= $this->build($name);
    }

    private function build(string $name): object
    {
        return match ($name) {
            'notices' => new Notices(),
            'state' => new SidecarState($this->sidecar, $this->settings),
            'wooKey' => new WooRestKey(),
            'settingsPage' => new SettingsPage($this->settings, $this->sidecar, $this->part('notices')),
            'credentials' => new CredentialRequests(
                $this->sidecar,
                $this->part('state'),
                $this->part('wooKey'),
                $this->part('notices')
            ),
            'actions' => new ActionRequests($this->sidecar, $this->part('notices'), $this->part('wooKey')),
            'page' => new TillsyncPage(
                $this->part('state'),
                new Tabs\ConnectionTab(
                    $this->part('settingsPage'),
                    new StatusPanel($this->sidecar, $this->outbox, $this->breaker, $this->settings),
                    $this->part('state'),
                    new CredentialsSection($this->part('state'), $this->part('credentials')),
                    $this->part('credentials')
                ),
                new Tabs\HistoryTab($this->part('state')),
                new Tabs\BackupsTab($this->part('state')),
                new Tabs\OrdersTab($this->part('state')),
                new Tabs\ReconcileTab($this->part('state')),
                new Tabs\StockTab($this->part('state')),
                $this->mainFile
            ),
            'column' => new OrderColumn($this->sidecar),
            'box' => new OrderBox($this->sidecar, $this->part('notices')),
        };
    }

    /**
     * A hook callback that calls `$method` on the part `$name`, building it then.
     */
    private function later(string $name, string $method): \Closure
    {
        return fn (mixed ...$args): mixed => $this->part($name)->{$method}(...$args);
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
        $later = fn (string $name, string $method): \Closure => $this->later($name, $method);

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

            // Admin: WooCommerce › Tillsync and its tabs, settings, test connection, notices.
            ['woocommerce', 'admin_menu', $later('page', 'addMenu'), 60, 0],
            ['woocommerce', 'admin_init', [$this->installer, 'upgradeIfNeeded'], 5, 0],
            ['woocommerce', 'admin_init', $later('settingsPage', 'registerSettings'), 10, 0],
            [
                'woocommerce', 'option_page_capability_' . SettingsPage::OPTION_GROUP,
                $later('settingsPage', 'capability'), 10, 0,
            ],
            [
                'woocommerce', 'admin_post_' . SettingsPage::TEST_ACTION,
                $later('settingsPage', 'handleTestConnection'), 10, 0,
            ],
            ['woocommerce', 'admin_enqueue_scripts', $later('page', 'enqueueAssets'), 10, 1],
            ['woocommerce', 'admin_notices', $later('notices', 'render'), 10, 0],

            // Admin: the tabs' actions, sent to the sidecar from here, and followed by the page's script.
            ['woocommerce', 'admin_post_' . ActionForm::POST_ACTION, $later('actions', 'handleAction'), 10, 0],
            ['woocommerce', 'wp_ajax_' . ActionRequests::POLL_ACTION, $later('actions', 'handlePoll'), 10, 0],

            // Admin: credentials — the POS token, "Connect with Lightspeed" and its return, the WooCommerce key.
            ['woocommerce', 'admin_post_' . CredentialRequests::POST_ACTION, $later('credentials', 'handle'), 10, 0],
            ['woocommerce', 'admin_init', $later('credentials', 'handleOAuthReturn'), 20, 0],

            // Admin: the POS column on both order list screens (classic posts and HPOS).
            ['woocommerce', 'manage_edit-shop_order_columns', $later('column', 'addColumn'), 20, 1],
            ['woocommerce', 'manage_shop_order_posts_custom_column', $later('column', 'renderForPost'), 10, 2],
            ['woocommerce', 'manage_woocommerce_page_wc-orders_columns', $later('column', 'addColumn'), 20, 1],
            [
                'woocommerce', 'manage_woocommerce_page_wc-orders_custom_column',
                $later('column', 'renderForOrder'), 10, 2,
            ],
            [
                'woocommerce', 'woocommerce_order_list_table_prepare_items_query_args',
                $later('column', 'expectListQuery'), 10, 1,
            ],
            ['woocommerce', 'woocommerce_order_query', $later('column', 'rememberListPage'), 10, 2],

            // Admin: the box on the order screen and its "Send to POS again".
            ['woocommerce', 'add_meta_boxes', $later('box', 'addBox'), 30, 2],
            ['woocommerce', 'admin_post_' . OrderBox::RETRY_ACTION, $later('box', 'handleRetry'), 10, 0],
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
