<?php

/**
 * Orders tab: the orders that need the merchant first, with their reason, then the counts
 * per state, then "send again" for what never reached the POS — counted before it runs.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin\Tabs;

use Tillsync\Bridge\Admin\ActionForm;
use Tillsync\Bridge\Admin\ActionResult;
use Tillsync\Bridge\Admin\SidecarState;
use Tillsync\Bridge\Admin\StateLabels;
use Tillsync\Bridge\Admin\StatusPanel;
use Tillsync\Bridge\Admin\TillsyncPage;

defined('ABSPATH') || exit;

final class OrdersTab
{
    private const TAB = 'orders';

    public function __construct(private SidecarState $state)
    {
    }

    public function render(): void
    {
        if (!$this->state->connected()) {
            TillsyncPage::renderNotConnected();
            return;
        }
        StatusPanel::renderFailureList($this->state->section('failures'));
        ActionResult::render(
            $this->state->newest(['retrigger-preview', 'retrigger']),
            null,
            [$this, 'renderDone']
        );
        $counts = $this->state->section('counts');
        echo '<table class="widefat striped tillsync-counts"><thead><tr><th>'
            . esc_html__('State', 'tillsync-bridge') . '</th><th>' . esc_html__('Orders', 'tillsync-bridge')
            . '</th></tr></thead><tbody>';
        foreach (StateLabels::states() as $state) {
            printf(
                '<tr data-state="%1$s"><td>%2$s</td><td>%3$d</td></tr>',
                esc_attr($state),
                esc_html(StateLabels::label($state)),
                (int) ($counts[$state] ?? 0)
            );
        }
        echo '</tbody></table>';
        echo '<h2>' . esc_html__('Send again what never reached the POS', 'tillsync-bridge') . '</h2>';
        ActionForm::single('retrigger-preview', self::TAB, __('Count them first', 'tillsync-bridge'));
        $this->renderConfirmation();
    }

    /**
     * @param array<string, mixed> $result
     */
    public function renderDone(array $result): void
    {
        if (array_key_exists('notes_added', $result)) {
            $this->renderNotes((int) $result['notes_added'], (array) ($result['refused'] ?? []));
            return;
        }
        if (array_key_exists('queued', $result)) {
            $queued = (int) $result['queued'];
            echo '<p>' . esc_html(sprintf(
                /* translators: %s: number of orders */
                _n(
                    '%s order is queued to be sent to the POS again.',
                    '%s orders are queued to be sent to the POS again.',
                    $queued,
                    'tillsync-bridge'
                ),
                number_format_i18n($queued)
            )) . '</p>';
            return;
        }
        echo '<p>' . esc_html__('Counted: see below.', 'tillsync-bridge') . '</p>';
    }

    /**
     * Sent again through WooCommerce: how many notes were added, and each order whose
     * note WooCommerce refused (by number only: what WooCommerce answered is in the
     * sidecar's log, never on this screen). Those orders stay unsent.
     *
     * @param array<mixed> $refused order id => WooCommerce's refusal
     */
    private function renderNotes(int $added, array $refused): void
    {
        echo '<p data-tillsync-notes-added="' . esc_attr((string) $added) . '">' . esc_html(sprintf(
            /* translators: %s: number of orders */
            _n(
                'A [Tillsync:resend] note was added to %s order: it goes to the POS again.',
                'A [Tillsync:resend] note was added to %s orders: they go to the POS again.',
                $added,
                'tillsync-bridge'
            ),
            number_format_i18n($added)
        )) . '</p>';
        if ($refused === []) {
            return;
        }
        $numbers = array_map(static fn ($id): string => '#' . (int) $id, array_keys($refused));
        echo '<p class="tillsync-warning" data-tillsync-notes-refused="' . esc_attr((string) count($refused)) . '">'
            . esc_html(sprintf(
                /* translators: %s: order numbers, such as "#12, #15" */
                __(
                    'WooCommerce refused the note on %s: these orders were not sent again '
                    . '(the sidecar\'s log says why).',
                    'tillsync-bridge'
                ),
                implode(', ', $numbers)
            )) . '</p>';
    }

    private function renderConfirmation(): void
    {
        $toConfirm = $this->state->previewToConfirm('retrigger-preview', 'retrigger');
        if ($toConfirm === null) {
            return;
        }
        $count = (int) ($toConfirm[1]['count'] ?? 0);
        echo '<div class="tillsync-preview" data-tillsync-preview="retrigger" data-count="' . esc_attr((string) $count)
            . '">';
        if ($count === 0) {
            echo '<p class="tillsync-confirm">' . esc_html__('Every order reached the POS.', 'tillsync-bridge')
                . '</p></div>';
            return;
        }
        echo '<p class="tillsync-confirm" data-tillsync-confirm="retrigger">' . esc_html(sprintf(
            /* translators: %s: number of orders */
            _n(
                '%s order never reached the POS. Send it again?',
                '%s orders never reached the POS. Send them again?',
                $count,
                'tillsync-bridge'
            ),
            number_format_i18n($count)
        )) . '</p>';
        ActionForm::open('retrigger', self::TAB);
        ActionForm::checkbox('via_note', __(
            'Through WooCommerce instead: add a [Tillsync:resend] note to each order, as a merchant would',
            'tillsync-bridge'
        ));
        ActionForm::button('retrigger', __('Send them again', 'tillsync-bridge'), true);
        ActionForm::close();
        echo '</div>';
    }
}
