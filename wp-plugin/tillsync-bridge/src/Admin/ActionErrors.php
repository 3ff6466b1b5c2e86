<?php

/**
 * Why an action failed, in the merchant's language and in WP admin's words. The sidecar
 * sends each failure with a code and its numbers (the sidecar README, "WP admin's API");
 * a code this version words itself is said here, anything else — a POS or WooCommerce
 * refusal quoting what they answered, a missing setting named by its variable — is shown
 * as the sidecar wrote it. A test keeps these codes and the sidecar's the same.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

defined('ABSPATH') || exit;

final class ActionErrors
{
    /**
     * The sentence for a failed action.
     *
     * @param array<string, mixed> $action the sidecar's action document
     */
    public static function sentence(array $action): string
    {
        $details = is_array($action['error_details'] ?? null) ? $action['error_details'] : [];
        $number = static fn (string $key): string => number_format_i18n((int) ($details[$key] ?? 0));
        $text = static fn (string $key): string => is_scalar($details[$key] ?? null) ? (string) $details[$key] : '';
        $code = (string) ($action['error_code'] ?? '');
        $own = self::worded($code, $number) ?? self::wordedConnect($code, $text);
        return $own ?? (string) ($action['error'] ?? '');
    }

    /**
     * @param callable(string): string $number a detail, as a number in the merchant's locale
     */
    private static function worded(string $code, callable $number): ?string
    {
        return match ($code) {
            'not_connected' => __(
                'Tillsync is not connected to the POS: connect first on the Connection tab.',
                'tillsync-bridge'
            ),
            'never_connected' => __(
                'Tillsync was never connected to the POS, so nothing was ever sent: connect first on the '
                . 'Connection tab.',
                'tillsync-bridge'
            ),
            /* translators: %s: backup number */
            'no_backup' => sprintf(__('There is no backup %s.', 'tillsync-bridge'), $number('backup_id')),
            'not_an_import_backup' => sprintf(
                /* translators: %s: backup number */
                __(
                    'Backup %s was not taken by an import, so there is no import to undo: choose the snapshot instead, '
                    . 'which sets every level back to what the backup saw.',
                    'tillsync-bridge'
                ),
                $number('backup_id')
            ),
            'import_still_queued' => sprintf(
                /* translators: %s: number of orders */
                __(
                    'Imported orders still queued: %s. Their sales would take stock after the restore: wait until the '
                    . 'History tab shows the import finished, then try again.',
                    'tillsync-bridge'
                ),
                $number('orders')
            ),
            'no_pos_stock' => sprintf(
                /* translators: %s: backup number */
                __(
                    'Backup %s holds no POS stock, so there is nothing to set back: undoing the import adds back '
                    . 'what it took.',
                    'tillsync-bridge'
                ),
                $number('backup_id')
            ),
            'already_undone' => sprintf(
                /* translators: %s: backup number */
                __(
                    'The import of backup %s was already undone: doing it again would add the stock twice.',
                    'tillsync-bridge'
                ),
                $number('backup_id')
            ),
            'import_interrupted' => sprintf(
                /* translators: %s: import number */
                __(
                    'Import %s was interrupted: start it again with the same dates to finish it before starting '
                    . 'another.',
                    'tillsync-bridge'
                ),
                $number('import_id')
            ),
            'window_empty' => __(
                'No order could be imported: the start date is not before the end, which is at the latest the first '
                . 'connection to the POS.',
                'tillsync-bridge'
            ),
            'no_new_credentials' => __('There are no new credentials to check: enter them again.', 'tillsync-bridge'),
            'pos_credentials_refused' => __(
                'The POS refused the credentials: enter the personal token again, or connect with Lightspeed again.',
                'tillsync-bridge'
            ),
            'pos_permission_missing' => __(
                'The POS token lacks a permission Tillsync needs: make a token with every permission, or connect '
                . 'with Lightspeed again.',
                'tillsync-bridge'
            ),
            'pos_unreachable' => __(
                'The POS did not answer: try again in a few minutes; if it lasts, check the store\'s domain prefix.',
                'tillsync-bridge'
            ),
            'unexpected' => __('An unexpected error stopped it; the sidecar\'s log says more.', 'tillsync-bridge'),
            default => null,
        };
    }

    /**
     * Why connecting (or checking the credentials) could not go on.
     *
     * @param callable(string): string $text a detail as the sidecar sent it
     */
    private static function wordedConnect(string $code, callable $text): ?string
    {
        return match ($code) {
            'no_register' => __('The POS has no register: create one in Lightspeed first.', 'tillsync-bridge'),
            'no_such_register' => sprintf(
                /* translators: %s: a register's id */
                __('The POS has no register %s: choose one from the list again.', 'tillsync-bridge'),
                $text('register_id')
            ),
            'several_registers' => __('The POS has several registers: choose one.', 'tillsync-bridge'),
            'no_payment_type' => __(
                'No single POS payment type is named like "WooCommerce": create one in Lightspeed, or ask your host '
                . 'to choose the payment type.',
                'tillsync-bridge'
            ),
            'no_such_payment_type' => sprintf(
                /* translators: %s: a payment type's id */
                __(
                    'The payment type your host chose (%s) is not one of the POS\'s: ask your host to correct it.',
                    'tillsync-bridge'
                ),
                $text('payment_type_id')
            ),
            'woo_key_refused' => __(
                'WooCommerce refused the sidecar\'s REST key: make the WooCommerce key for the sidecar again.',
                'tillsync-bridge'
            ),
            'woo_url_wrong' => __(
                'The shop address the sidecar was given does not lead to the WooCommerce REST API: check it.',
                'tillsync-bridge'
            ),
            'other_store' => sprintf(
                /* translators: 1: the POS store the sidecar's records belong to, 2: the store given now */
                __(
                    'The sidecar\'s records belong to POS store %1$s, not %2$s: your host can start new records '
                    . 'for this store (the old store\'s orders stay as history).',
                    'tillsync-bridge'
                ),
                $text('ledger_store'),
                $text('store')
            ),
            default => null,
        };
    }
}
