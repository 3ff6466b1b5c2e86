<?php

/**
 * Stock tab: every linked product's POS level against its WooCommerce stock, and writing
 * the ones that differ — offered only after a comparison that found some.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin\Tabs;

use Tillsync\Bridge\Admin\ActionForm;
use Tillsync\Bridge\Admin\ActionResult;
use Tillsync\Bridge\Admin\SidecarState;
use Tillsync\Bridge\Admin\TillsyncPage;

defined('ABSPATH') || exit;

final class StockTab
{
    private const TAB = 'stock';

    public function __construct(private SidecarState $state)
    {
    }

    public function render(): void
    {
        if (!$this->state->connected()) {
            TillsyncPage::renderNotConnected();
            return;
        }
        ActionResult::render($this->state->newest(['stock', 'stock-fix']), null, [$this, 'renderDone']);
        echo '<h2>' . esc_html__('The POS is the stock master', 'tillsync-bridge') . '</h2>';
        ActionForm::single('stock', self::TAB, __('Compare stock', 'tillsync-bridge'));
        $toConfirm = $this->state->previewToConfirm('stock', 'stock-fix');
        $differing = $toConfirm === null ? 0 : (int) ($toConfirm[1]['differing'] ?? 0);
        if ($differing > 0) {
            echo '<p class="tillsync-confirm" data-tillsync-confirm="stock-fix">' . esc_html(sprintf(
                /* translators: %s: number of products */
                _n(
                    'Write the WooCommerce stock of %s product to match the POS.',
                    'Write the WooCommerce stock of %s products to match the POS.',
                    $differing,
                    'tillsync-bridge'
                ),
                number_format_i18n($differing)
            )) . '</p>';
            ActionForm::single('stock-fix', self::TAB, __('Write them', 'tillsync-bridge'), true);
        }
    }

    /**
     * The comparison table (and what a fix wrote).
     *
     * @param array<string, mixed> $result
     */
    public function renderDone(array $result): void
    {
        if (array_key_exists('written', $result)) {
            echo '<p>' . esc_html(sprintf(
                /* translators: %s: number of products */
                __('WooCommerce stock written for %s products.', 'tillsync-bridge'),
                number_format_i18n((int) $result['written'])
            )) . '</p>';
        }
        $products = is_array($result['products'] ?? null) ? $result['products'] : [];
        if ($products === []) {
            echo '<p class="tillsync-empty">' . esc_html__(
                'No WooCommerce product follows a POS product yet.',
                'tillsync-bridge'
            ) . '</p>';
            return;
        }
        echo '<table class="widefat striped tillsync-stock"><thead><tr><th>' . esc_html__('SKU', 'tillsync-bridge')
            . '</th><th>' . esc_html__('POS level', 'tillsync-bridge') . '</th><th>'
            . esc_html__('Reserved by web orders', 'tillsync-bridge') . '</th><th>'
            . esc_html__('WooCommerce should show', 'tillsync-bridge') . '</th><th>'
            . esc_html__('WooCommerce shows', 'tillsync-bridge') . '</th></tr></thead><tbody>';
        foreach ($products as $row) {
            if (!is_array($row)) {
                continue;
            }
            printf(
                '<tr data-differs="%1$s"><td>%2$s</td><td>%3$s</td><td>%4$s</td><td>%5$s</td><td>%6$s</td></tr>',
                empty($row['differs']) ? 'false' : 'true',
                esc_html((string) ($row['sku'] ?? '')),
                esc_html((string) ($row['pos_level'] ?? '')),
                esc_html((string) ($row['reserved'] ?? '')),
                esc_html((string) ($row['woo_expected'] ?? '')),
                esc_html((string) ($row['woo_stock'] ?? ''))
            );
        }
        echo '</tbody></table>';
    }
}
