<?php

/**
 * History import tab: preview (the dry run), then a confirmation built from it, then the
 * import with a progress bar that a page reload finds again.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin\Tabs;

use Tillsync\Bridge\Admin\ActionForm;
use Tillsync\Bridge\Admin\ActionResult;
use Tillsync\Bridge\Admin\SidecarState;
use Tillsync\Bridge\Admin\StatusPanel;
use Tillsync\Bridge\Admin\TillsyncPage;

defined('ABSPATH') || exit;

final class HistoryTab
{
    private const TAB = 'history';

    public function __construct(private SidecarState $state)
    {
    }

    public function render(): void
    {
        if (!$this->state->connected()) {
            TillsyncPage::renderNotConnected();
            return;
        }
        $import = $this->state->importProgress();
        if ($import !== null && (int) ($import['by_state']['failed'] ?? 0) > 0) {
            StatusPanel::renderFailureList($this->state->section('failures'));
        }
        ActionResult::render(
            $this->state->newest(['import-preview', 'import-start']),
            $import,
            [$this, 'renderDone']
        );
        if ($import !== null) {
            echo '<h2>' . esc_html__('Latest import', 'tillsync-bridge') . '</h2>';
            ActionResult::renderProgress($import);
        }
        echo '<h2>' . esc_html__('Import the orders placed before the connection', 'tillsync-bridge') . '</h2>';
        echo '<p>' . esc_html__(
            'First a preview: nothing is backed up, sent or changed until you confirm.',
            'tillsync-bridge'
        ) . '</p>';
        ActionForm::open('import-preview', self::TAB);
        ActionForm::dateField('since', __('From', 'tillsync-bridge'));
        ActionForm::dateField('until', __('Until', 'tillsync-bridge'));
        ActionForm::button('import-preview', __('Preview the import', 'tillsync-bridge'));
        ActionForm::close();
        $this->renderConfirmation();
    }

    /**
     * What a finished preview or start gave.
     *
     * @param array<string, mixed> $result
     */
    public function renderDone(array $result): void
    {
        if (array_key_exists('import_id', $result)) {
            echo '<p>' . esc_html(sprintf(
                /* translators: %s: number of orders */
                _n(
                    'The import is finished: %s order queued.',
                    'The import is finished: %s orders queued; failures are listed first.',
                    (int) ($result['queued'] ?? 0),
                    'tillsync-bridge'
                ),
                number_format_i18n((int) ($result['queued'] ?? 0))
            )) . '</p>';
            return;
        }
        echo '<p>' . esc_html__('Preview ready: read it below before you start the import.', 'tillsync-bridge')
            . '</p>';
    }

    private function renderConfirmation(): void
    {
        $toConfirm = $this->state->previewToConfirm('import-preview', 'import-start');
        if ($toConfirm === null) {
            return;
        }
        [$preview, $result] = $toConfirm;
        $params = is_array($preview['params'] ?? null) ? $preview['params'] : [];
        echo '<div class="tillsync-preview" data-tillsync-preview="import">';
        echo '<h3>' . esc_html__('Preview', 'tillsync-bridge') . '</h3>';
        echo '<ul class="tillsync-preview-lines">';
        foreach (is_array($result['lines'] ?? null) ? $result['lines'] : [] as $line) {
            echo '<li>' . esc_html((string) $line) . '</li>';
        }
        echo '</ul>';
        $sales = (int) ($result['sales_to_create'] ?? 0);
        if ($sales === 0 && (int) ($result['orders'] ?? 0) === 0) {
            echo '<p class="tillsync-confirm">'
                . esc_html__('There is no order to import in this window.', 'tillsync-bridge') . '</p></div>';
            return;
        }
        echo '<p class="tillsync-confirm" data-tillsync-confirm="import-start">'
            . esc_html($this->confirmation($result, $params)) . '</p>';
        ActionForm::open('import-start', self::TAB);
        ActionForm::hidden('since', (string) ($params['since'] ?? ''));
        ActionForm::hidden('until', (string) ($params['until'] ?? ''));
        echo '<p class="tillsync-warning">';
        ActionForm::checkbox('skip_backup', __('Skip the backup', 'tillsync-bridge'));
        echo esc_html__(
            'Without a backup, the stock this import takes in the POS cannot be put back from the Backups tab. '
                . 'Skip it only if you made one yourself.',
            'tillsync-bridge'
        ) . '</p>';
        ActionForm::button('import-start', __('Start the import', 'tillsync-bridge'), true);
        ActionForm::close();
        echo '</div>';
    }

    /**
     * "Back up 412 products, then send 1,250 orders placed before 3 Nov 2025; about 18 h at
     * the POS rate limit."
     *
     * @param array<string, mixed> $result
     * @param array<string, mixed> $params
     */
    private function confirmation(array $result, array $params): string
    {
        $connection = $this->state->section('connection');
        $until = ActionResult::date($params['until'] ?? ($connection['first_connected_at'] ?? null));
        $since = ActionResult::date($params['since'] ?? null);
        $products = number_format_i18n((int) ($result['products_to_back_up'] ?? 0));
        $sales = number_format_i18n((int) ($result['sales_to_create'] ?? 0));
        $eta = ActionResult::duration((int) ($result['eta_seconds'] ?? 0));
        if ($since !== '') {
            return sprintf(
                /* translators: 1: products, 2: orders, 3: first date, 4: last date, 5: duration */
                __(
                    'Back up %1$s products, then send %2$s orders placed from %3$s until %4$s; about %5$s at the POS '
                        . 'rate limit.',
                    'tillsync-bridge'
                ),
                $products,
                $sales,
                $since,
                $until,
                $eta
            );
        }
        return sprintf(
            /* translators: 1: products, 2: orders, 3: date, 4: duration */
            __(
                'Back up %1$s products, then send %2$s orders placed before %3$s; about %4$s at the POS rate limit.',
                'tillsync-bridge'
            ),
            $products,
            $sales,
            $until,
            $eta
        );
    }
}
