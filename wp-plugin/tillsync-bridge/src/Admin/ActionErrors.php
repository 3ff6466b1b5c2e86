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
        $own = self::worded((string) ($action['error_code'] ?? ''), $number);
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
}
