<?php

/**
 * Words a merchant reads for each ledger state (the sidecar README, 'How an order reaches the POS').
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

defined('ABSPATH') || exit;

final class StateLabels
{
    /**
     * The translated label of a state; an unknown state is shown as sent by the sidecar.
     */
    public static function label(string $state): string
    {
        return match ($state) {
            'waiting' => __('Waiting', 'tillsync-bridge'),
            'pending' => __('Pending', 'tillsync-bridge'),
            'sent' => __('Sent', 'tillsync-bridge'),
            'voided' => __('Voided', 'tillsync-bridge'),
            'skipped' => __('Skipped', 'tillsync-bridge'),
            'failed' => __('Failed', 'tillsync-bridge'),
            default => $state,
        };
    }

    /**
     * All states, in the order a merchant reads them.
     *
     * @return list<string>
     */
    public static function states(): array
    {
        return ['waiting', 'pending', 'sent', 'voided', 'skipped', 'failed'];
    }
}
