<?php

/**
 * Shared set-up: a known sidecar configuration, an empty outbox, and HTTP answered by the test.
 *
 * HTTP is intercepted with WordPress' own pre_http_request filter, so the plugin runs its real
 * wp_remote_post path up to the socket; every request it tried is kept in $this->requests.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use PHPUnit\Framework\TestCase;
use Tillsync\Bridge\Admin\SettingsPage;
use Tillsync\Bridge\Breaker;
use Tillsync\Bridge\Plugin;
use Tillsync\Bridge\Settings;

abstract class PluginTestCase extends TestCase
{
    protected const SECRET = 'phpunit-secret-0123456789abcdef';
    protected const SIDECAR = 'http://127.0.0.1:9';

    /** @var list<array{url: string, args: array<string, mixed>}> */
    protected array $requests = [];
    /** @var list<array<string, mixed>|\WP_Error> answers given in order; then $defaultAnswer */
    protected array $answers = [];
    /** @var array<string, mixed>|\WP_Error */
    protected $defaultAnswer;
    /** @var array<string, mixed> */
    private array $savedOptions = [];

    protected function setUp(): void
    {
        parent::setUp();
        foreach ([Settings::URL_OPTION, Settings::SECRET_OPTION, Breaker::OPTION] as $name) {
            $this->savedOptions[$name] = get_option($name);
        }
        update_option(Settings::URL_OPTION, self::SIDECAR);
        update_option(Settings::SECRET_OPTION, self::SECRET);
        update_option(Breaker::OPTION, ['until' => 0, 'failures' => 0, 'reason' => '']);
        $this->clearOutbox();
        $this->plugin()->capture->takeEvents();
        $this->defaultAnswer = self::answer(202, ['accepted' => true, 'duplicate' => false]);
        add_filter('pre_http_request', [$this, 'interceptHttp'], 10, 3);
    }

    protected function tearDown(): void
    {
        remove_filter('pre_http_request', [$this, 'interceptHttp'], 10);
        // Nothing captured by a test may be sent when this PHP process shuts down.
        $this->plugin()->capture->takeEvents();
        $this->clearOutbox();
        // A test that fired admin_init registered the settings' sanitizers, and one that logged
        // someone in changed what they allow: neither may decide what the next test can set up.
        foreach (array_keys($this->savedOptions) as $name) {
            if (isset(get_registered_settings()[$name])) {
                unregister_setting(SettingsPage::OPTION_GROUP, $name);
            }
        }
        wp_set_current_user(0);
        foreach ($this->savedOptions as $name => $value) {
            update_option($name, $value);
        }
        parent::tearDown();
    }

    /**
     * @param mixed $pre
     * @param array<string, mixed> $args
     * @return array<string, mixed>|\WP_Error
     */
    public function interceptHttp($pre, array $args, string $url)
    {
        $this->requests[] = ['url' => $url, 'args' => $args];
        return $this->answers !== [] ? array_shift($this->answers) : $this->defaultAnswer;
    }

    protected function plugin(): Plugin
    {
        return Plugin::instance();
    }

    /**
     * What $work returns with the plugin speaking French, English again afterwards.
     *
     * @template T
     * @param callable(): T $work
     * @return T
     */
    protected function inFrench(callable $work): mixed
    {
        $this->assertTrue(switch_to_locale('fr_FR'));
        // WordPress 6.1 forgets a domain it resolved to "no file" in en_US: load it as init does.
        $this->plugin()->loadTextDomain();
        try {
            return $work();
        } finally {
            restore_previous_locale();
            unload_textdomain('tillsync-bridge');
        }
    }

    /**
     * A response shaped like wp_remote_request's.
     *
     * @param array<string, mixed> $body
     * @return array<string, mixed>
     */
    protected static function answer(int $status, array $body): array
    {
        return [
            'headers' => ['content-type' => 'application/json'],
            'body' => (string) wp_json_encode($body),
            'response' => ['code' => $status, 'message' => get_status_header_desc($status)],
            'cookies' => [],
            'filename' => null,
        ];
    }

    protected static function refused(): \WP_Error
    {
        return new \WP_Error('http_request_failed', 'cURL error 7: Failed to connect to 127.0.0.1 port 9: Connection refused');
    }

    protected function clearOutbox(): void
    {
        global $wpdb;
        $wpdb->query('TRUNCATE TABLE ' . $this->plugin()->outbox->table());
    }

    /**
     * @return list<array<string, mixed>>
     */
    protected function outboxRows(): array
    {
        global $wpdb;
        return $wpdb->get_results('SELECT * FROM ' . $this->plugin()->outbox->table() . ' ORDER BY id', ARRAY_A);
    }

    /**
     * A saved order in the shim's classic storage (fires woocommerce_new_order); captured hooks cleared.
     */
    protected function newOrder(string $total = '12.50'): \WC_Order
    {
        $order = wc_create_order(['total' => $total]);
        $this->plugin()->capture->takeEvents();
        return $order;
    }

    /**
     * The decoded bodies of the events the capture holds now (and forgets them).
     *
     * @return array<int, array<string, mixed>> by order id
     */
    protected function takeBodies(): array
    {
        $bodies = [];
        foreach ($this->plugin()->capture->takeEvents() as $event) {
            $bodies[$event->orderId] = json_decode($event->toJson(), true);
        }
        return $bodies;
    }
}
