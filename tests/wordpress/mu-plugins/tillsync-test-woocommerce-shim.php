<?php

/**
 * Plugin Name: WooCommerce shim (Tillsync tests only)
 * Description: Defines only the WooCommerce pieces tillsync-bridge and its tests use, and fires
 *              WooCommerce's hooks with WooCommerce's arguments (README, 'The POS and WooCommerce APIs as Tillsync reads them').
 *              Classic (posts) storage, like a fresh WooCommerce 7.8. Never ship this.
 */

// phpcs:ignoreFile -- WooCommerce's own names and shapes, on purpose.

namespace Automattic\WooCommerce\Utilities {

    /**
     * WooCommerce's feature-compatibility registry (declarations only count inside before_woocommerce_init).
     */
    final class FeaturesUtil
    {
        /** @var array<string, array{compatible: list<string>, incompatible: list<string>}> */
        private static array $declared = [];

        public static function declare_compatibility(string $feature_id, string $plugin_file, bool $positive_compatibility = true): bool
        {
            if (!doing_action('before_woocommerce_init')) {
                _doing_it_wrong(__METHOD__, 'FeaturesUtil::declare_compatibility() must be called inside before_woocommerce_init.', '7.0.0');
                return false;
            }
            $plugin = plugin_basename($plugin_file);
            $key = $positive_compatibility ? 'compatible' : 'incompatible';
            self::$declared[$feature_id] ??= ['compatible' => [], 'incompatible' => []];
            self::$declared[$feature_id][$key][] = $plugin;
            return true;
        }

        /** @return array{compatible: list<string>, incompatible: list<string>, uncertain: list<string>} */
        public static function get_compatible_plugins_for_feature(string $feature_id, bool $active_only = false): array
        {
            $declared = self::$declared[$feature_id] ?? ['compatible' => [], 'incompatible' => []];
            return $declared + ['uncertain' => []];
        }
    }
}

namespace {

    define('WC_VERSION', '8.2.0');

    /** WooCommerce's main class: its presence is how plugins know WooCommerce is active. */
    final class WooCommerce
    {
        public string $version = WC_VERSION;
    }

    /** A refund (post type shop_order_refund), as wc_create_refund() returns it. */
    class WC_Order_Refund
    {
        public function __construct(private int $id, private string $amount, private string $reason)
        {
        }

        public function get_id(): int
        {
            return $this->id;
        }

        public function get_amount(): string
        {
            return $this->amount;
        }

        public function get_reason(): string
        {
            return $this->reason;
        }
    }

    /** An order kept as a shop_order post (classic storage). */
    class WC_Order
    {
        protected int $id = 0;
        protected string $status = 'pending';
        protected string $total = '0.00';
        /** @var array{from: string, to: string, note: string}|null */
        protected ?array $status_transition = null;

        public function __construct(int $id = 0)
        {
            if ($id > 0) {
                $post = get_post($id);
                if ($post && $post->post_type === 'shop_order') {
                    $this->id = $id;
                    $this->status = str_starts_with($post->post_status, 'wc-') ? substr($post->post_status, 3) : $post->post_status;
                    $this->total = (string) get_post_meta($id, '_order_total', true);
                }
            }
        }

        public function get_id(): int
        {
            return $this->id;
        }

        public function get_order_number(): string
        {
            return (string) $this->id;
        }

        public function get_status(): string
        {
            return $this->status;
        }

        public function get_total(): string
        {
            return $this->total;
        }

        public function set_total(string $total): void
        {
            $this->total = wc_format_decimal($total);
        }

        public function get_date_modified(): ?DateTimeImmutable
        {
            $post = $this->id ? get_post($this->id) : null;
            return $post ? new DateTimeImmutable($post->post_modified_gmt, new DateTimeZone('UTC')) : null;
        }

        /** Like WooCommerce: a status change is recorded now and announced after save(). */
        public function set_status(string $new_status, string $note = ''): array
        {
            $new_status = str_starts_with($new_status, 'wc-') ? substr($new_status, 3) : $new_status;
            $old_status = $this->status;
            $this->status = $new_status;
            if ($this->id > 0 && $old_status !== $new_status) {
                $this->status_transition = ['from' => $this->status_transition['from'] ?? $old_status, 'to' => $new_status, 'note' => $note];
            }
            return ['from' => $old_status, 'to' => $new_status];
        }

        public function update_status(string $new_status, string $note = ''): bool
        {
            $this->set_status($new_status, $note);
            $this->save();
            return true;
        }

        /** Marks the order paid: processing, like WC_Order::payment_complete(). */
        public function payment_complete(string $transaction_id = ''): bool
        {
            $this->set_status('processing');
            $this->save();
            return true;
        }

        /** The data store's create()/update(), then status_transition(), like WC_Order::save(). */
        public function save(): int
        {
            $postarr = [
                'post_type' => 'shop_order',
                'post_status' => 'wc-' . $this->status,
                'post_title' => 'Order',
                'ping_status' => 'closed',
                'post_author' => 1,
            ];
            if ($this->id === 0) {
                $id = wp_insert_post($postarr, true);
                if (is_wp_error($id)) {
                    throw new RuntimeException($id->get_error_message());
                }
                $this->id = (int) $id;
                update_post_meta($this->id, '_order_total', $this->total);
                do_action('woocommerce_new_order', $this->id, $this);
            } else {
                wp_update_post(['ID' => $this->id] + $postarr);
                update_post_meta($this->id, '_order_total', $this->total);
                do_action('woocommerce_update_order', $this->id, $this);
            }
            $this->status_transition();
            return $this->id;
        }

        protected function status_transition(): void
        {
            $transition = $this->status_transition;
            $this->status_transition = null;
            if ($transition === null) {
                return;
            }
            do_action('woocommerce_order_status_' . $transition['to'], $this->id, $this);
            $statuses = wc_get_order_statuses();
            $this->add_order_note(trim($transition['note'] . ' ' . sprintf(
                'Order status changed from %1$s to %2$s.',
                $statuses['wc-' . $transition['from']] ?? $transition['from'],
                $statuses['wc-' . $transition['to']] ?? $transition['to']
            )));
            do_action('woocommerce_order_status_' . $transition['from'] . '_to_' . $transition['to'], $this->id, $this);
            do_action('woocommerce_order_status_changed', $this->id, $transition['from'], $transition['to'], $this);
        }

        /** A note is a comment of type order_note; adding one does not save the order. */
        public function add_order_note(string $note, int $is_customer_note = 0, bool $added_by_user = false): int
        {
            if (!$this->id) {
                return 0;
            }
            $comment_id = wp_insert_comment([
                'comment_post_ID' => $this->id,
                'comment_author' => 'WooCommerce',
                'comment_author_email' => 'woocommerce@example.test',
                'comment_content' => $note,
                'comment_agent' => 'WooCommerce',
                'comment_type' => 'order_note',
                'comment_approved' => 1,
            ]);
            if ($is_customer_note) {
                add_comment_meta($comment_id, 'is_customer_note', 1);
            }
            do_action('woocommerce_order_note_added', $comment_id, $this);
            return (int) $comment_id;
        }

        /** Trash (or delete for good) through WooCommerce, as the posts data store does it. */
        public function delete(bool $force_delete = false): bool
        {
            $id = $this->id;
            if (!$id) {
                return false;
            }
            if ($force_delete) {
                wp_delete_post($id);
                $this->id = 0;
                do_action('woocommerce_delete_order', $id);
            } else {
                wp_trash_post($id);
                $this->status = 'trash';
                do_action('woocommerce_trash_order', $id);
            }
            return true;
        }
    }

    /** wc_rand_hash() of WooCommerce 7.8.2 (wc-core-functions.php), unchanged. */
    function wc_rand_hash()
    {
        if (!function_exists('openssl_random_pseudo_bytes')) {
            return sha1(wp_rand());
        }

        return bin2hex(openssl_random_pseudo_bytes(20));
    }

    /** wc_api_hash() of WooCommerce 7.8.2 (wc-core-functions.php), unchanged. */
    function wc_api_hash($data)
    {
        return hash_hmac('sha256', $data, 'wc-api');
    }

    function wc_format_decimal(string $number): string
    {
        return number_format((float) $number, 2, '.', '');
    }

    /** @return array<string, string> */
    function wc_get_order_statuses(): array
    {
        return [
            'wc-pending' => 'Pending payment',
            'wc-processing' => 'Processing',
            'wc-on-hold' => 'On hold',
            'wc-completed' => 'Completed',
            'wc-cancelled' => 'Cancelled',
            'wc-refunded' => 'Refunded',
            'wc-failed' => 'Failed',
        ];
    }

    /** @return WC_Order|false */
    function wc_get_order(mixed $order = false)
    {
        $id = $order instanceof WC_Order ? $order->get_id() : (int) $order;
        if ($id <= 0 || get_post_type($id) !== 'shop_order') {
            return false;
        }
        return new WC_Order($id);
    }

    /** Creates and saves an order, firing woocommerce_new_order like WooCommerce. */
    function wc_create_order(array $args = []): WC_Order
    {
        $order = new WC_Order();
        $order->set_status($args['status'] ?? 'pending');
        $order->set_total((string) ($args['total'] ?? '0'));
        $order->save();
        return $order;
    }

    /** Saves a refund, then fires woocommerce_order_refunded($order_id, $refund_id). */
    function wc_create_refund(array $args = []): WC_Order_Refund|WP_Error
    {
        $order = wc_get_order($args['order_id'] ?? 0);
        if (!$order) {
            return new WP_Error('error', 'Invalid order ID.');
        }
        $amount = wc_format_decimal((string) ($args['amount'] ?? '0'));
        $refund_id = wp_insert_post([
            'post_type' => 'shop_order_refund',
            'post_status' => 'wc-completed',
            'post_parent' => $order->get_id(),
            'post_title' => 'Refund',
        ], true);
        if (is_wp_error($refund_id)) {
            return $refund_id;
        }
        update_post_meta($refund_id, '_refund_amount', $amount);
        $refund = new WC_Order_Refund((int) $refund_id, $amount, (string) ($args['reason'] ?? ''));
        if ((float) $amount >= (float) $order->get_total()) {
            do_action('woocommerce_order_fully_refunded', $order->get_id(), $refund->get_id());
            $order->update_status('refunded');
        } else {
            do_action('woocommerce_order_partially_refunded', $order->get_id(), $refund->get_id());
        }
        $order->save();
        do_action('woocommerce_refund_created', $refund->get_id(), $args);
        do_action('woocommerce_order_refunded', $order->get_id(), $refund->get_id());
        return $refund;
    }

    /**
     * The order query, with WooCommerce's two filters around it (the HPOS list table uses this).
     *
     * @return list<WC_Order>|list<int>|object
     */
    function wc_get_orders(array $args = [])
    {
        $args = apply_filters('woocommerce_order_query_args', $args + ['limit' => 10, 'page' => 1, 'return' => 'objects']);
        $query = new WP_Query([
            'post_type' => 'shop_order',
            'post_status' => array_keys(wc_get_order_statuses()),
            'posts_per_page' => (int) $args['limit'],
            'paged' => max(1, (int) $args['page']),
            'orderby' => 'ID',
            'order' => 'DESC',
            'fields' => 'ids',
        ]);
        $ids = array_map('intval', $query->posts);
        $orders = $args['return'] === 'ids' ? $ids : array_map(static fn (int $id) => new WC_Order($id), $ids);
        $results = empty($args['paginate'])
            ? $orders
            : (object) ['orders' => $orders, 'total' => (int) $query->found_posts, 'max_num_pages' => (int) $query->max_num_pages];
        return apply_filters('woocommerce_order_query', $results, $args);
    }

    /** 'shop_order' on classic storage, 'woocommerce_page_wc-orders' with HPOS on. */
    function wc_get_page_screen_id(string $for): string
    {
        $hpos = get_option('woocommerce_custom_orders_table_enabled') === 'yes';
        return match ($for) {
            'shop-order', 'shop_order' => $hpos ? 'woocommerce_page_wc-orders' : 'shop_order',
            default => $for,
        };
    }

    // WooCommerce::init() runs on init priority 0 and starts with before_woocommerce_init.
    add_action('init', static function (): void {
        do_action('before_woocommerce_init');
        do_action('woocommerce_init');
    }, 0);

    // WC_Post_Types::register_post_types / register_post_status run on init priority 5.
    add_action('init', static function (): void {
        register_post_type('shop_order', [
            'labels' => ['name' => 'Orders', 'singular_name' => 'Order', 'edit_item' => 'Edit order', 'add_new' => 'Add order'],
            'public' => false,
            'show_ui' => true,
            'capability_type' => 'shop_order',
            'map_meta_cap' => true,
            'publicly_queryable' => false,
            'exclude_from_search' => true,
            'show_in_menu' => current_user_can('edit_others_shop_orders') ? 'woocommerce' : true,
            'hierarchical' => false,
            'show_in_nav_menus' => false,
            'rewrite' => false,
            'query_var' => false,
            'supports' => ['title', 'comments', 'custom-fields'],
            'has_archive' => false,
        ]);
        register_post_type('shop_order_refund', [
            'public' => false,
            'capability_type' => 'shop_order',
            'map_meta_cap' => true,
            'show_ui' => false,
            'rewrite' => false,
            'query_var' => false,
        ]);
        foreach (wc_get_order_statuses() as $status => $label) {
            register_post_status($status, [
                'label' => $label,
                'public' => false,
                'exclude_from_search' => false,
                'show_in_admin_all_list' => true,
                'show_in_admin_status_list' => true,
                /* translators: %s: number of orders */
                'label_count' => _n_noop($label . ' <span class="count">(%s)</span>', $label . ' <span class="count">(%s)</span>'),
            ]);
        }
        // WC_Install::create_roles(), which WooCommerce runs once at install.
        $admin = get_role('administrator');
        if ($admin && !$admin->has_cap('manage_woocommerce')) {
            $caps = ['manage_woocommerce', 'view_woocommerce_reports'];
            foreach (['edit_', 'read_', 'delete_'] as $verb) {
                $caps[] = $verb . 'shop_order';
            }
            foreach (['edit_', 'edit_others_', 'publish_', 'read_private_', 'delete_', 'delete_private_', 'delete_published_', 'delete_others_', 'edit_private_', 'edit_published_'] as $verb) {
                $caps[] = $verb . 'shop_orders';
            }
            if (!get_role('shop_manager')) {
                add_role('shop_manager', 'Shop manager', ['read' => true, 'edit_posts' => true, 'view_admin_dashboard' => true]);
            }
            foreach (['administrator', 'shop_manager'] as $role) {
                foreach ($caps as $cap) {
                    get_role($role)->add_cap($cap);
                }
            }
        }
    }, 5);

    // WC_Admin_List_Table_Orders::request_query: "All" on the classic orders list means every order status.
    add_filter('request', static function (array $query_vars): array {
        global $typenow;
        if (is_admin() && $typenow === 'shop_order' && empty($query_vars['post_status'])) {
            $query_vars['post_status'] = array_keys(wc_get_order_statuses());
        }
        return $query_vars;
    });

    // WC_Admin_Menus::admin_menu: the WooCommerce top-level menu that extensions hang under.
    add_action('admin_menu', static function (): void {
        add_menu_page('WooCommerce', 'WooCommerce', 'edit_others_shop_orders', 'woocommerce', null, 'dashicons-cart', '55.5');
    }, 9);

    // WC_Install::create_tables(): the REST API key table, exactly as WooCommerce 7.8.2's
    // WC_Install::get_schema() defines it (made once, as an install would).
    add_action('init', static function (): void {
        global $wpdb;
        if (get_option('tillsync_test_wc_api_keys_table') === '7.8.2') {
            return;
        }
        require_once ABSPATH . 'wp-admin/includes/upgrade.php';
        $collate = $wpdb->has_cap('collation') ? $wpdb->get_charset_collate() : '';
        dbDelta("
CREATE TABLE {$wpdb->prefix}woocommerce_api_keys (
  key_id BIGINT UNSIGNED NOT NULL auto_increment,
  user_id BIGINT UNSIGNED NOT NULL,
  description varchar(200) NULL,
  permissions varchar(10) NOT NULL,
  consumer_key char(64) NOT NULL,
  consumer_secret char(43) NOT NULL,
  nonces longtext NULL,
  truncated_key char(7) NOT NULL,
  last_access datetime NULL default null,
  PRIMARY KEY  (key_id),
  KEY consumer_key (consumer_key),
  KEY consumer_secret (consumer_secret)
) $collate;");
        update_option('tillsync_test_wc_api_keys_table', '7.8.2');
    }, 1);
}
