<?php

/**
 * The server side of the tabs' forms: admin-post.php sends an action to the sidecar, and an
 * admin-ajax.php endpoint lets the page follow it. The browser never holds the secret.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Sidecar;
use Tillsync\Bridge\WooRestKey;

defined('ABSPATH') || exit;

final class ActionRequests
{
    public const POLL_ACTION = 'tillsync_poll';
    public const POLL_NONCE = 'tillsync_poll';
    /** Putting stock back in the POS is a site administrator's call, like the sidecar URL. */
    public const RESTORE_CAPABILITY = 'manage_options';
    /** Every action the tabs may ask for and the form fields it takes (README "WP admin's API"). */
    public const KINDS = [
        'registers' => [],
        'connect' => ['register_id'],
        'disconnect' => [],
        'import-preview' => ['since', 'until'],
        'import-start' => ['since', 'until', 'skip_backup'],
        'backup' => [],
        'restore-preview' => ['backup_id', 'restore_mode'],
        'restore' => ['backup_id', 'restore_mode'],
        'retrigger-preview' => [],
        'retrigger' => ['via_note'],
        'reconcile' => ['since'],
        'reconcile-fix' => ['since'],
        'stock' => [],
        'stock-fix' => [],
    ];
    private const RESTORE_MODES = ['undo-import', 'snapshot'];
    /** Checkboxes: sent as JSON true when ticked, left out otherwise. */
    private const FLAGS = ['skip_backup', 'via_note'];

    public function __construct(private Sidecar $sidecar, private Notices $notices, private WooRestKey $wooKey)
    {
    }

    /**
     * admin_post_tillsync_action: capability, nonce, fields, then one signed POST /admin/actions.
     */
    public function handleAction(): void
    {
        if (!current_user_can(SettingsPage::CAPABILITY)) {
            wp_die(esc_html__('You are not allowed to do this.', 'tillsync-bridge'), '', ['response' => 403]);
        }
        check_admin_referer(ActionForm::NONCE);
        // phpcs:disable -- the nonce is checked above; every field is checked below.
        $kind = isset($_POST['kind']) ? sanitize_text_field(wp_unslash($_POST['kind'])) : '';
        $requestId = isset($_POST['request_id']) ? sanitize_text_field(wp_unslash($_POST['request_id'])) : '';
        $tab = isset($_POST['tab']) ? sanitize_key(wp_unslash($_POST['tab'])) : '';
        // phpcs:enable
        if (!isset(self::KINDS[$kind]) || preg_match('/^[A-Za-z0-9-]{8,64}$/D', $requestId) !== 1) {
            wp_die(esc_html__('This form is not one of Tillsync\'s.', 'tillsync-bridge'), '', ['response' => 400]);
        }
        if ($kind === 'restore' && !current_user_can(self::RESTORE_CAPABILITY)) {
            wp_die(
                esc_html__('Only an administrator can put stock back in the POS.', 'tillsync-bridge'),
                '',
                ['response' => 403]
            );
        }
        // phpcs:ignore -- the nonce is checked above.
        $revokeKey = $kind === 'disconnect' && !empty($_POST['revoke_wc_key']);
        if ($revokeKey && !current_user_can(CredentialRequests::CAPABILITY)) {
            wp_die(
                esc_html__('Only an administrator can change the POS and WooCommerce credentials.', 'tillsync-bridge'),
                '',
                ['response' => 403]
            );
        }
        $back = TillsyncPage::url($tab);
        try {
            $params = self::params($kind);
        } catch (\InvalidArgumentException $refused) {
            $this->notices->flash('error', $refused->getMessage());
            wp_safe_redirect($back);
            exit;
        }
        $answer = $this->sidecar->askAction($kind, $params, $requestId);
        $action = is_array($answer->data['action'] ?? null) ? $answer->data['action'] : null;
        if (!$answer->ok || $action === null) {
            $this->notices->flash('error', sprintf(
                /* translators: 1: error, 2: hint */
                __('The sidecar did not take the request: %1$s %2$s', 'tillsync-bridge'),
                StatusPanel::problem($answer),
                StatusPanel::hint($answer->status)
            ));
            wp_safe_redirect($back);
            exit;
        }
        if ($revokeKey) {
            $this->wooKey->revokeRemembered();
            $this->notices->flash('success', __(
                'The WooCommerce REST key Tillsync made is revoked: the sidecar can no longer read orders with it.',
                'tillsync-bridge'
            ));
        }
        wp_safe_redirect(add_query_arg('tillsync_action', (int) $action['id'], $back));
        exit;
    }

    /**
     * wp_ajax_tillsync_poll: one action's state (and the import's progress) for the page's script.
     */
    public function handlePoll(): void
    {
        if (!current_user_can(SettingsPage::CAPABILITY)) {
            wp_send_json_error(null, 403);
        }
        check_ajax_referer(self::POLL_NONCE);
        // phpcs:ignore -- the nonce is checked above.
        $actionId = isset($_GET['id']) ? absint(wp_unslash($_GET['id'])) : 0;
        $answer = $this->sidecar->action($actionId);
        $action = is_array($answer->data['action'] ?? null) ? $answer->data['action'] : null;
        if (!$answer->ok || $action === null) {
            wp_send_json_error(null, 502);
        }
        $import = null;
        if (($action['kind'] ?? '') === 'import-start') {
            $read = $this->sidecar->importProgress();
            $import = is_array($read->data['import'] ?? null) ? $read->data['import'] : null;
        }
        $reply = ['state' => ActionResult::state($action, $import)];
        if ($import !== null) {
            $done = (int) ($import['settled'] ?? 0);
            $total = (int) ($import['queued'] ?? 0);
            $reply['progress'] = [
                'done' => $done,
                'total' => $total,
                'text' => ActionResult::progressText(
                    $done,
                    $total,
                    $import['eta_seconds'] ?? null,
                    ActionResult::importFinished($import)
                ),
            ];
        }
        wp_send_json_success($reply);
    }

    /**
     * The action's parameters from the posted form, checked here so a typo gets a sentence.
     *
     * @return array<string, string|int|bool>
     * @throws \InvalidArgumentException with the sentence to show
     */
    private static function params(string $kind): array
    {
        $params = [];
        foreach (self::KINDS[$kind] as $field) {
            if (in_array($field, self::FLAGS, true)) {
                // phpcs:ignore -- the nonce was checked by the caller.
                if (!empty($_POST[$field])) {
                    $params[$field] = true;
                }
                continue;
            }
            // phpcs:ignore -- the nonce was checked by the caller.
            $value = isset($_POST[$field]) ? trim(sanitize_text_field(wp_unslash($_POST[$field]))) : '';
            if ($field === 'backup_id') {
                if (absint($value) === 0) {
                    throw new \InvalidArgumentException(__('Choose a backup first.', 'tillsync-bridge'));
                }
                $params[$field] = absint($value);
            } elseif ($field === 'restore_mode') {
                $params[$field] = in_array($value, self::RESTORE_MODES, true) ? $value : 'undo-import';
            } elseif ($value === '') {
                continue;
            } elseif (in_array($field, ['since', 'until'], true) && !self::isDate($value)) {
                throw new \InvalidArgumentException(
                    __('Write dates as YYYY-MM-DD, for example 2025-11-03.', 'tillsync-bridge')
                );
            } else {
                $params[$field] = substr($value, 0, 64);
            }
        }
        return $params;
    }

    private static function isDate(string $value): bool
    {
        if (preg_match('/^(\d{4})-(\d{2})-(\d{2})$/D', $value, $parts) !== 1) {
            return false;
        }
        return checkdate((int) $parts[2], (int) $parts[3], (int) $parts[1]);
    }
}
