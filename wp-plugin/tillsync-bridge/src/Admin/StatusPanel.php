<?php

/**
 * The status panel: what the sidecar reports, and what still waits in this site's outbox.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Breaker;
use Tillsync\Bridge\Outbox;
use Tillsync\Bridge\Settings;
use Tillsync\Bridge\Sidecar;
use Tillsync\Bridge\SidecarResponse;

defined('ABSPATH') || exit;

final class StatusPanel
{
    public function __construct(
        private Sidecar $sidecar,
        private Outbox $outbox,
        private Breaker $breaker,
        private Settings $settings,
    ) {
    }

    /**
     * A hint that points the merchant at the likely cause of a failed call.
     */
    public static function hint(int $status): string
    {
        if ($status === 0) {
            return __(
                'Is the sidecar running at this URL? See "Troubleshooting" in the Tillsync README.',
                'tillsync-bridge'
            );
        }
        if ($status === 401) {
            return __(
                'The secret here differs from the sidecar\'s, or this server\'s clock is off by more than 5 minutes.',
                'tillsync-bridge'
            );
        }
        return __('See "Troubleshooting" in the Tillsync README.', 'tillsync-bridge');
    }

    /**
     * What went wrong with a call, in words of our own.
     *
     * An answer from the far end is told by its status code only: its body and reason phrase
     * are whatever that server chose to send, and are never shown. A call that never got an
     * answer keeps its own error (no secret set, connection refused, timeout).
     */
    public static function problem(SidecarResponse $answer): string
    {
        if ($answer->status === 0) {
            return $answer->error;
        }
        return sprintf(
            /* translators: %d: HTTP status code */
            __('The sidecar answered HTTP %d.', 'tillsync-bridge'),
            $answer->status
        );
    }

    /**
     * Prints the panel.
     */
    public function render(): void
    {
        echo '<div class="tillsync-status" id="tillsync-status">';
        echo '<h2>' . esc_html__('Status', 'tillsync-bridge') . '</h2>';
        $this->renderSidecar();
        $this->renderOutbox();
        echo '</div>';
    }

    private function renderSidecar(): void
    {
        if (!$this->settings->isConfigured()) {
            echo '<p class="tillsync-status-error">'
                . esc_html__('No hook secret is set: events wait in the outbox until one is.', 'tillsync-bridge')
                . '</p>';
            return;
        }
        $answer = $this->sidecar->status();
        if (!$answer->ok || !is_array($answer->data)) {
            echo '<p class="tillsync-status-error">'
                . esc_html(self::problem($answer) . ' ' . self::hint($answer->status)) . '</p>';
            return;
        }
        $data = $answer->data;
        $connection = is_array($data['connection'] ?? null) ? $data['connection'] : [];
        echo '<p id="tillsync-connection">' . esc_html(sprintf(
            /* translators: %s: connection state */
            __('Point of sale: %s', 'tillsync-bridge'),
            self::connectionLabel((string) ($connection['state'] ?? ''))
        ));
        if (!empty($connection['store'])) {
            echo ' (' . esc_html((string) $connection['store']) . ')';
        }
        echo '</p>';

        $counts = is_array($data['counts'] ?? null) ? $data['counts'] : [];
        echo '<table class="widefat striped" id="tillsync-counts"><thead><tr><th>'
            . esc_html__('State', 'tillsync-bridge') . '</th><th>' . esc_html__('Orders', 'tillsync-bridge')
            . '</th></tr></thead><tbody>';
        foreach (StateLabels::states() as $state) {
            printf(
                '<tr data-state="%1$s"><td>%2$s</td><td class="tillsync-count">%3$d</td></tr>',
                esc_attr($state),
                esc_html(StateLabels::label($state)),
                (int) ($counts[$state] ?? 0)
            );
        }
        echo '</tbody></table>';

        $lastPush = is_string($data['last_push_at'] ?? null) ? strtotime($data['last_push_at']) : false;
        echo '<p id="tillsync-last-push">' . esc_html(sprintf(
            /* translators: %s: date and time, or "never" */
            __('Last sale pushed: %s', 'tillsync-bridge'),
            $lastPush ? self::when($lastPush) : __('never', 'tillsync-bridge')
        )) . '</p>';

        self::renderFailureList(is_array($data['failures'] ?? null) ? $data['failures'] : []);
    }

    /**
     * The orders that need the merchant, each with the reason sentence (shown first on the tabs).
     *
     * @param array<int|string, mixed> $failures
     */
    public static function renderFailureList(array $failures): void
    {
        echo '<h3>' . esc_html__('Orders that need you', 'tillsync-bridge') . '</h3>';
        if ($failures === []) {
            echo '<p id="tillsync-no-failures">' . esc_html__('None.', 'tillsync-bridge') . '</p>';
            return;
        }
        echo '<table class="widefat striped" id="tillsync-failures"><thead><tr><th>'
            . esc_html__('Order', 'tillsync-bridge') . '</th><th>' . esc_html__('Reason', 'tillsync-bridge')
            . '</th><th>' . esc_html__('What to do', 'tillsync-bridge') . '</th></tr></thead><tbody>';
        foreach ($failures as $failure) {
            if (!is_array($failure)) {
                continue;
            }
            $orderId = (int) ($failure['order_id'] ?? 0);
            $code = (string) ($failure['reason_code'] ?? '');
            printf(
                '<tr data-reason-code="%4$s"><td><a href="%1$s">#%2$d</a></td><td>%3$s <code>%4$s</code></td>'
                    . '<td class="tillsync-what-to-do">%5$s</td></tr>',
                esc_url(OrderBox::editUrl($orderId)),
                $orderId,
                esc_html((string) ($failure['reason'] ?? '')),
                esc_html($code),
                esc_html(ReasonHelp::whatToDo($code) ?? '')
            );
        }
        echo '</tbody></table>';
    }

    private function renderOutbox(): void
    {
        $stats = $this->outbox->stats();
        echo '<h3>' . esc_html__('Outbox', 'tillsync-bridge') . '</h3>';
        echo '<p id="tillsync-outbox" data-size="' . esc_attr((string) $stats['size']) . '">';
        if ($stats['size'] === 0 || $stats['oldest'] === null) {
            echo esc_html__('Empty: every event reached the sidecar.', 'tillsync-bridge');
        } else {
            echo esc_html(sprintf(
                /* translators: 1: number of events, 2: date and time of the oldest */
                _n(
                    '%1$d event waits to be sent; the oldest is from %2$s.',
                    '%1$d events wait to be sent; the oldest is from %2$s.',
                    $stats['size'],
                    'tillsync-bridge'
                ),
                $stats['size'],
                self::when($stats['oldest'])
            ));
            if ($stats['last_error'] !== '') {
                echo ' ' . esc_html(sprintf(
                    /* translators: %s: error message */
                    __('Last error: %s', 'tillsync-bridge'),
                    $stats['last_error']
                ));
            }
        }
        echo '</p>';
        if ($this->breaker->isOpen()) {
            $state = $this->breaker->state();
            echo '<p id="tillsync-breaker">' . esc_html(sprintf(
                /* translators: %s: time */
                __(
                    'After a failure, new events go straight to the outbox until %s; WP-Cron retries each minute.',
                    'tillsync-bridge'
                ),
                self::when($state['until'])
            )) . '</p>';
        }
    }

    private static function when(int $timestamp): string
    {
        return (string) wp_date(get_option('date_format') . ' ' . get_option('time_format'), $timestamp);
    }

    private static function connectionLabel(string $state): string
    {
        return match ($state) {
            'connected' => __('connected', 'tillsync-bridge'),
            'disconnected' => __('disconnected', 'tillsync-bridge'),
            'never_connected' => __('never connected', 'tillsync-bridge'),
            default => $state,
        };
    }
}
