<?php

/**
 * Reconcile tab: WooCommerce orders against POS sales (run in the background), its report,
 * and the fixes it would queue — offered only after a report that found something to fix.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin\Tabs;

use Tillsync\Bridge\Admin\ActionForm;
use Tillsync\Bridge\Admin\ActionResult;
use Tillsync\Bridge\Admin\SidecarState;
use Tillsync\Bridge\Admin\TillsyncPage;

defined('ABSPATH') || exit;

final class ReconcileTab
{
    private const TAB = 'reconcile';
    /** What a reconcile finds, in the order a merchant deals with them. */
    private const FINDINGS = ['unreadable', 'missing', 'different', 'duplicated', 'orphaned'];
    /** What reconcile-fix queues again. */
    private const FIXABLE = ['missing', 'different'];

    public function __construct(private SidecarState $state)
    {
    }

    public function render(): void
    {
        if ($this->state->connectionState() === 'never_connected') {
            TillsyncPage::renderNotConnected();
            return;
        }
        ActionResult::render($this->state->newest(['reconcile', 'reconcile-fix']), null, [$this, 'renderDone']);
        echo '<h2>' . esc_html__('Compare WooCommerce orders with POS sales', 'tillsync-bridge') . '</h2>';
        ActionForm::open('reconcile', self::TAB);
        ActionForm::dateField('since', __('Orders since', 'tillsync-bridge'));
        ActionForm::button('reconcile', __('Reconcile', 'tillsync-bridge'));
        ActionForm::close();
        $this->renderFix();
    }

    /**
     * The report: counts and the orders found, per kind.
     *
     * @param array<string, mixed> $result
     */
    public function renderDone(array $result): void
    {
        $found = 0;
        echo '<table class="widefat striped tillsync-findings"><thead><tr><th>' . esc_html__('Found', 'tillsync-bridge')
            . '</th><th>' . esc_html__('Order', 'tillsync-bridge') . '</th><th>'
            . esc_html__('WooCommerce status', 'tillsync-bridge') . '</th><th>'
            . esc_html__('Reason', 'tillsync-bridge') . '</th></tr></thead><tbody>';
        foreach (self::FINDINGS as $kind) {
            foreach (is_array($result[$kind] ?? null) ? $result[$kind] : [] as $finding) {
                if (!is_array($finding)) {
                    continue;
                }
                $found++;
                printf(
                    '<tr data-finding="%1$s"><td>%2$s</td><td>#%3$s</td><td>%4$s</td><td>%5$s</td></tr>',
                    esc_attr($kind),
                    esc_html(self::label($kind)),
                    esc_html((string) ($finding['number'] ?? $finding['order_id'] ?? '')),
                    esc_html((string) ($finding['status'] ?? '')),
                    esc_html((string) ($finding['reason_code'] ?? ''))
                );
            }
        }
        echo '</tbody></table>';
        echo '<p class="tillsync-reconcile-summary" data-found="' . esc_attr((string) $found) . '">'
            . esc_html(sprintf(
                /* translators: 1: orders checked, 2: differences found */
                __('%1$s orders checked, %2$s differences found.', 'tillsync-bridge'),
                number_format_i18n((int) ($result['checked'] ?? 0)),
                number_format_i18n($found)
            )) . '</p>';
        if (is_array($result['fixed'] ?? null)) {
            echo '<p>' . esc_html__('The fixes are queued: those orders go to the POS again.', 'tillsync-bridge')
                . '</p>';
        }
    }

    private function renderFix(): void
    {
        $toConfirm = $this->state->previewToConfirm('reconcile', 'reconcile-fix');
        if ($toConfirm === null) {
            return;
        }
        [$report, $result] = $toConfirm;
        $count = 0;
        foreach (self::FIXABLE as $kind) {
            $count += is_array($result[$kind] ?? null) ? count($result[$kind]) : 0;
        }
        if ($count === 0) {
            return;
        }
        echo '<p class="tillsync-confirm" data-tillsync-confirm="reconcile-fix">' . esc_html(sprintf(
            /* translators: %s: number of orders */
            _n(
                'Send %s missing or different order to the POS again.',
                'Send %s missing or different orders to the POS again.',
                $count,
                'tillsync-bridge'
            ),
            number_format_i18n($count)
        )) . '</p>';
        ActionForm::open('reconcile-fix', self::TAB);
        $params = is_array($report['params'] ?? null) ? $report['params'] : [];
        ActionForm::hidden('since', (string) ($params['since'] ?? ''));
        ActionForm::button('reconcile-fix', __('Fix them', 'tillsync-bridge'), true);
        ActionForm::close();
    }

    private static function label(string $kind): string
    {
        return match ($kind) {
            'missing' => __('Missing in the POS', 'tillsync-bridge'),
            'different' => __('Different in the POS', 'tillsync-bridge'),
            'duplicated' => __('Sent twice', 'tillsync-bridge'),
            'orphaned' => __('POS sale without an order', 'tillsync-bridge'),
            'unreadable' => __('Could not be read', 'tillsync-bridge'),
            default => $kind,
        };
    }
}
