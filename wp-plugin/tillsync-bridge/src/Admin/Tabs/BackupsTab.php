<?php

/**
 * Backups tab: the POS backups, "take one now", and a stock restore — previewed as a table
 * of changes first, run only by an administrator.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin\Tabs;

use Tillsync\Bridge\Admin\ActionForm;
use Tillsync\Bridge\Admin\ActionRequests;
use Tillsync\Bridge\Admin\ActionResult;
use Tillsync\Bridge\Admin\SidecarState;

defined('ABSPATH') || exit;

final class BackupsTab
{
    private const TAB = 'backups';

    public function __construct(private SidecarState $state)
    {
    }

    public function render(): void
    {
        ActionResult::render(
            $this->state->newest(['backup', 'restore-preview', 'restore']),
            null,
            [$this, 'renderDone']
        );
        $backups = $this->state->backups();
        echo '<h2>' . esc_html__('Backups of POS products and stock', 'tillsync-bridge') . '</h2>';
        ActionForm::single('backup', self::TAB, __('Take a backup now', 'tillsync-bridge'));
        if ($backups === []) {
            echo '<p class="tillsync-empty">' . esc_html__(
                'No backup yet: the history import takes one before it sends anything.',
                'tillsync-bridge'
            ) . '</p>';
            return;
        }
        $this->renderTable($backups);
        $this->renderRestoreForm($backups);
        $this->renderConfirmation();
    }

    /**
     * What a finished backup, restore preview or restore gave.
     *
     * @param array<string, mixed> $result
     */
    public function renderDone(array $result): void
    {
        if (array_key_exists('restore_id', $result)) {
            $uncertain = is_array($result['uncertain'] ?? null) ? $result['uncertain'] : [];
            if ($uncertain !== []) {
                echo '<p class="tillsync-result-error">' . esc_html(sprintf(
                    /* translators: %s: POS product ids */
                    __(
                        'These levels moved both ways meanwhile; check them in the POS by hand: %s',
                        'tillsync-bridge'
                    ),
                    implode(', ', array_map('strval', $uncertain))
                )) . '</p>';
            }
            echo '<p>' . esc_html(sprintf(
                /* translators: %s: number of stock levels */
                _n(
                    'Stock put back: %s level written in the POS.',
                    'Stock put back: %s levels written in the POS.',
                    (int) ($result['written'] ?? 0),
                    'tillsync-bridge'
                ),
                number_format_i18n((int) ($result['written'] ?? 0))
            )) . '</p>';
        } elseif (array_key_exists('changes', $result)) {
            echo '<p>' . esc_html__('Restore preview ready: read it below.', 'tillsync-bridge') . '</p>';
        } else {
            echo '<p>' . esc_html(sprintf(
                /* translators: %s: backup number */
                __('Backup #%s taken.', 'tillsync-bridge'),
                (string) ($result['id'] ?? '')
            )) . '</p>';
        }
    }

    /**
     * @param list<array<string, mixed>> $backups
     */
    private function renderTable(array $backups): void
    {
        echo '<table class="widefat striped tillsync-backups"><thead><tr><th>#</th><th>'
            . esc_html__('Taken', 'tillsync-bridge') . '</th><th>' . esc_html__('Why', 'tillsync-bridge')
            . '</th><th>' . esc_html__('Products', 'tillsync-bridge') . '</th><th>'
            . esc_html__('Stock levels', 'tillsync-bridge') . '</th></tr></thead><tbody>';
        foreach ($backups as $backup) {
            printf(
                '<tr data-backup-id="%1$d"><td>%1$d</td><td>%2$s</td><td>%3$s</td><td>%4$s</td><td>%5$s</td></tr>',
                (int) ($backup['id'] ?? 0),
                esc_html(ActionResult::date($backup['taken_at'] ?? null, true)),
                esc_html((string) ($backup['purpose'] ?? '')),
                esc_html(number_format_i18n((int) ($backup['products'] ?? 0))),
                esc_html(number_format_i18n((int) ($backup['inventory_rows'] ?? 0)))
            );
        }
        echo '</tbody></table>';
    }

    /**
     * @param list<array<string, mixed>> $backups
     */
    private function renderRestoreForm(array $backups): void
    {
        echo '<h2>' . esc_html__('Put stock back', 'tillsync-bridge') . '</h2>';
        ActionForm::open('restore-preview', self::TAB);
        echo '<label class="tillsync-field">' . esc_html__('Backup', 'tillsync-bridge')
            . ' <select name="backup_id" data-tillsync-field="backup_id">';
        foreach ($backups as $backup) {
            printf(
                '<option value="%1$d">#%1$d — %2$s</option>',
                (int) ($backup['id'] ?? 0),
                esc_html(ActionResult::date($backup['taken_at'] ?? null, true))
            );
        }
        echo '</select></label> <label class="tillsync-field">' . esc_html__('How', 'tillsync-bridge')
            . ' <select name="restore_mode" data-tillsync-field="restore_mode">'
            . '<option value="undo-import">'
            . esc_html__('Undo the import: add back what the imported sales took', 'tillsync-bridge') . '</option>'
            . '<option value="snapshot">'
            . esc_html__('Snapshot: set every level back to the backup', 'tillsync-bridge') . '</option>'
            . '</select></label> ';
        ActionForm::button('restore-preview', __('Preview the restore', 'tillsync-bridge'));
        ActionForm::close();
    }

    private function renderConfirmation(): void
    {
        $toConfirm = $this->state->previewToConfirm('restore-preview', 'restore');
        if ($toConfirm === null) {
            return;
        }
        [$preview, $result] = $toConfirm;
        $count = (int) ($result['count'] ?? 0);
        echo '<div class="tillsync-preview" data-tillsync-preview="restore" data-count="' . esc_attr((string) $count)
            . '">';
        if ($count === 0) {
            echo '<p class="tillsync-confirm">' . esc_html__(
                'Nothing to put back: every level already matches.',
                'tillsync-bridge'
            ) . '</p></div>';
            return;
        }
        $this->renderChanges(is_array($result['changes'] ?? null) ? $result['changes'] : []);
        if (!current_user_can(ActionRequests::RESTORE_CAPABILITY)) {
            echo '<p class="tillsync-confirm">' . esc_html__(
                'Only an administrator can put stock back in the POS.',
                'tillsync-bridge'
            ) . '</p></div>';
            return;
        }
        echo '<p class="tillsync-confirm" data-tillsync-confirm="restore">' . esc_html(sprintf(
            /* translators: 1: number of stock levels, 2: backup number */
            _n(
                'Write %1$s stock level in the POS from backup #%2$s.',
                'Write %1$s stock levels in the POS from backup #%2$s.',
                $count,
                'tillsync-bridge'
            ),
            number_format_i18n($count),
            (string) ($result['backup_id'] ?? '')
        )) . '</p>';
        ActionForm::open('restore', self::TAB);
        ActionForm::hidden('backup_id', (string) ($result['backup_id'] ?? ''));
        ActionForm::hidden('restore_mode', (string) ($result['mode'] ?? ''));
        ActionForm::button('restore', __('Put stock back', 'tillsync-bridge'), true);
        ActionForm::close();
        echo '</div>';
    }

    /**
     * @param array<int|string, mixed> $changes
     */
    private function renderChanges(array $changes): void
    {
        echo '<table class="widefat striped tillsync-changes"><thead><tr><th>' . esc_html__('SKU', 'tillsync-bridge')
            . '</th><th>' . esc_html__('Product', 'tillsync-bridge') . '</th><th>'
            . esc_html__('Now', 'tillsync-bridge') . '</th><th>' . esc_html__('After', 'tillsync-bridge')
            . '</th></tr></thead><tbody>';
        foreach ($changes as $change) {
            if (!is_array($change)) {
                continue;
            }
            printf(
                '<tr data-pos-id="%1$s"><td>%2$s</td><td>%3$s</td><td>%4$s</td><td>%5$s</td></tr>',
                esc_attr((string) ($change['pos_id'] ?? '')),
                esc_html((string) ($change['sku'] ?? '')),
                esc_html((string) ($change['name'] ?? $change['pos_id'] ?? '')),
                esc_html((string) ($change['now'] ?? '')),
                esc_html((string) ($change['after'] ?? $change['change'] ?? ''))
            );
        }
        echo '</tbody></table>';
    }
}
