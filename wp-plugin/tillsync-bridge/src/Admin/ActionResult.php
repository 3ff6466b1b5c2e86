<?php

/**
 * The outcome of a tab's last action in [data-tillsync-result] (ok, error, running, done),
 * and an import's [data-tillsync-progress] (README, "For merchants"); the page polls both while they run.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

defined('ABSPATH') || exit;

final class ActionResult
{
    /**
     * The state shown for $action: queued and running both show as running, and a started
     * import stays running until every order it queued has settled.
     *
     * @param array<string, mixed> $action
     * @param array<string, mixed>|null $import GET /admin/import's document
     */
    public static function state(array $action, ?array $import = null): string
    {
        $state = (string) ($action['state'] ?? '');
        if ($state === 'error') {
            return 'error';
        }
        if ($state !== 'done') {
            return 'running';
        }
        if (($action['kind'] ?? '') === 'import-start' && $import !== null && !self::importFinished($import)) {
            return 'running';
        }
        return 'done';
    }

    /**
     * Whether every order of the import was queued and has left "pending".
     *
     * @param array<string, mixed> $import
     */
    public static function importFinished(array $import): bool
    {
        return !empty($import['paging_done']) && (int) ($import['pending'] ?? 0) === 0;
    }

    /**
     * Prints the result element; $done prints what a finished action gave.
     *
     * @param array<string, mixed>|null $action
     * @param callable(array<string, mixed>): void $done
     */
    public static function render(?array $action, ?array $import, callable $done): void
    {
        if ($action === null) {
            echo '<div class="tillsync-result" data-tillsync-result data-state="ok" hidden></div>';
            return;
        }
        $state = self::state($action, $import);
        printf(
            '<div class="tillsync-result tillsync-result-%1$s" data-tillsync-result data-state="%1$s" '
                . 'data-action-id="%2$d" data-kind="%3$s">',
            esc_attr($state),
            (int) $action['id'],
            esc_attr((string) ($action['kind'] ?? ''))
        );
        if ($state === 'error') {
            echo '<p class="tillsync-result-error"><strong>' . esc_html__('It did not work:', 'tillsync-bridge')
                . '</strong> ' . esc_html(ActionErrors::sentence($action)) . '</p>';
        } elseif ($state === 'running') {
            echo '<p class="tillsync-result-running"><span class="spinner is-active"></span>'
                . esc_html(self::runningText($action)) . '</p>';
        } else {
            $done(is_array($action['result'] ?? null) ? $action['result'] : []);
        }
        echo '</div>';
    }

    /**
     * The progress bar of the latest import, read again on every page load.
     *
     * @param array<string, mixed> $import
     */
    public static function renderProgress(array $import): void
    {
        $total = (int) ($import['queued'] ?? 0);
        $done = (int) ($import['settled'] ?? 0);
        $finished = self::importFinished($import);
        printf(
            '<div class="tillsync-progress" data-tillsync-progress data-done="%1$d" data-total="%2$d" '
                . 'data-finished="%3$s"><progress max="%4$d" value="%1$d"></progress> '
                . '<span class="tillsync-progress-text">',
            $done,
            $total,
            $finished ? 'true' : 'false',
            max(1, $total)
        );
        echo esc_html(self::progressText($done, $total, $import['eta_seconds'] ?? null, $finished));
        echo '</span></div>';
    }

    /**
     * "12 of 40 orders settled; about 3 min left" (the script writes the same words).
     */
    public static function progressText(int $done, int $total, mixed $eta, bool $finished): string
    {
        $text = sprintf(
            /* translators: 1: orders settled, 2: orders queued */
            __('%1$s of %2$s orders settled', 'tillsync-bridge'),
            number_format_i18n($done),
            number_format_i18n($total)
        );
        if ($finished) {
            return $text . ' — ' . __('the import is finished.', 'tillsync-bridge');
        }
        if (is_numeric($eta)) {
            return $text . '; ' . sprintf(
                /* translators: %s: a duration such as "18 h" or "4 min" */
                __('about %s left at the POS rate limit', 'tillsync-bridge'),
                self::duration((int) $eta)
            );
        }
        return $text;
    }

    /**
     * A rough duration, read after "about": "1 min", "4 min", "18 h".
     */
    public static function duration(int $seconds): string
    {
        if ($seconds < 3600) {
            /* translators: %s: minutes */
            return sprintf(__('%s min', 'tillsync-bridge'), number_format_i18n(max(1, (int) ceil($seconds / 60))));
        }
        /* translators: %s: hours */
        return sprintf(__('%s h', 'tillsync-bridge'), number_format_i18n((int) round($seconds / 3600)));
    }

    /**
     * A date from the sidecar (ISO 8601) in the site's date format; '' when there is none.
     */
    public static function date(mixed $iso, bool $withTime = false): string
    {
        $time = is_string($iso) && $iso !== '' ? strtotime($iso) : false;
        if ($time === false) {
            return '';
        }
        $format = (string) get_option('date_format') . ($withTime ? ' ' . (string) get_option('time_format') : '');
        return (string) wp_date($format, $time);
    }

    /**
     * @param array<string, mixed> $action
     */
    private static function runningText(array $action): string
    {
        if (($action['kind'] ?? '') === 'import-start' && ($action['state'] ?? '') === 'done') {
            return __(
                'The import is running: orders go to the POS as fast as its rate limit allows.',
                'tillsync-bridge'
            );
        }
        if (($action['state'] ?? '') === 'queued') {
            return __('Waiting for the sidecar to start it...', 'tillsync-bridge');
        }
        if (is_numeric($action['total'] ?? null) && (int) $action['total'] > 0) {
            return sprintf(
                /* translators: 1: done so far, 2: total */
                __('Working... %1$s of %2$s', 'tillsync-bridge'),
                number_format_i18n((int) ($action['done'] ?? 0)),
                number_format_i18n((int) $action['total'])
            );
        }
        return __('Working...', 'tillsync-bridge');
    }
}
