<?php

/**
 * Shape: the hooks table is what is registered; headers, HPOS, languages.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Automattic\WooCommerce\Utilities\FeaturesUtil;

final class HooksTableTest extends PluginTestCase
{
    public function testEveryRowOfTheTableIsRegisteredWithItsPriority(): void
    {
        $rows = $this->plugin()->hooks();
        $this->assertGreaterThan(30, count($rows));
        foreach ($rows as [$when, $hook, $callback, $priority]) {
            $this->assertContains($when, ['always', 'woocommerce']);
            $this->assertSame($priority, has_filter($hook, $callback), "$hook is registered at $priority");
        }
    }

    public function testEveryOrderHookOfTheSpecIsListened(): void
    {
        $hooks = array_column($this->plugin()->hooks(), 1);
        $spec = [
            'woocommerce_new_order', 'woocommerce_update_order', 'woocommerce_order_status_changed',
            'woocommerce_order_note_added', 'woocommerce_order_refunded', 'woocommerce_trash_order',
            'woocommerce_delete_order', 'woocommerce_untrash_order', 'wp_trash_post', 'untrashed_post',
            'before_delete_post', 'shutdown',
        ];
        foreach ($spec as $hook) {
            $this->assertContains($hook, $hooks);
        }
    }

    public function testWooCommerceWasFound(): void
    {
        $this->assertTrue($this->plugin()->wooCommerceActive());
    }

    public function testHposCompatibilityIsDeclared(): void
    {
        $declared = FeaturesUtil::get_compatible_plugins_for_feature('custom_order_tables');
        $this->assertContains('tillsync-bridge/tillsync-bridge.php', $declared['compatible']);
        $this->assertNotContains('tillsync-bridge/tillsync-bridge.php', $declared['incompatible']);
    }

    public function testMainFileHeaders(): void
    {
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        $file = $this->plugin()->mainFile;
        $data = get_plugin_data($file, false, false);
        $this->assertSame('Tillsync Bridge', $data['Name']);
        $this->assertSame('tillsync-bridge', $data['TextDomain']);
        $this->assertSame('/languages', $data['DomainPath']);
        $this->assertSame('6.1', $data['RequiresWP']);
        $this->assertSame('8.1', $data['RequiresPHP']);
        $extra = get_file_data($file, [
            'wc_min' => 'WC requires at least',
            'wc_tested' => 'WC tested up to',
            'requires_plugins' => 'Requires Plugins',
        ]);
        $this->assertSame('woocommerce', $extra['requires_plugins']);
        $this->assertMatchesRegularExpression('/^\d+\.\d+/', $extra['wc_min']);
        $this->assertMatchesRegularExpression('/^\d+\.\d+/', $extra['wc_tested']);
    }

    public function testDrainRunsOnItsOwnOneMinuteSchedule(): void
    {
        $schedules = wp_get_schedules();
        $this->assertSame(60, $schedules['tillsync_every_minute']['interval']);
        $this->assertSame('tillsync_every_minute', wp_get_schedule('tillsync_bridge_drain_outbox'));
    }

    public function testFrenchTranslationLoads(): void
    {
        [$again, $test] = $this->inFrench(static fn (): array => [
            __('Send to POS again', 'tillsync-bridge'),
            __('Test connection', 'tillsync-bridge'),
        ]);

        $this->assertSame('Envoyer de nouveau au point de vente', $again);
        $this->assertSame('Tester la connexion', $test);
    }
}
