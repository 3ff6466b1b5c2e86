<?php

/**
 * The Connection tab's credentials, on the server: the POS token form, "Connect with
 * Lightspeed" (out to the consent page and back), and the WooCommerce REST key the plugin
 * makes. Each goes to the sidecar's POST /admin/credentials, which checks them before it
 * uses them (the check-credentials action); nothing is kept here but the key's row id.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Sidecar;
use Tillsync\Bridge\SidecarResponse;
use Tillsync\Bridge\WooRestKey;

defined('ABSPATH') || exit;

final class CredentialRequests
{
    public const POST_ACTION = 'tillsync_credentials';
    /** Credentials are a site administrator's call, like the sidecar URL. */
    public const CAPABILITY = 'manage_options';
    public const KINDS = ['save-credentials', 'create-woo-key', 'connect-lightspeed'];
    /** The OAuth state of the current user: one value, good once, for ten minutes. */
    public const STATE_META = 'tillsync_oauth_state';
    private const STATE_TTL = 600;

    public function __construct(
        private Sidecar $sidecar,
        private SidecarState $state,
        private WooRestKey $wooKey,
        private Notices $notices,
    ) {
    }

    /**
     * admin_post_tillsync_credentials: capability, nonce, then the one request asked for.
     */
    public function handle(): void
    {
        if (!current_user_can(self::CAPABILITY)) {
            wp_die(
                esc_html__('Only an administrator can change the POS and WooCommerce credentials.', 'tillsync-bridge'),
                '',
                ['response' => 403]
            );
        }
        check_admin_referer(ActionForm::NONCE);
        // phpcs:disable -- the nonce is checked above.
        $kind = isset($_POST['kind']) ? sanitize_text_field(wp_unslash($_POST['kind'])) : '';
        $requestId = isset($_POST['request_id']) ? sanitize_text_field(wp_unslash($_POST['request_id'])) : '';
        // phpcs:enable
        if (!in_array($kind, self::KINDS, true) || preg_match('/^[A-Za-z0-9-]{8,64}$/D', $requestId) !== 1) {
            wp_die(esc_html__('This form is not one of Tillsync\'s.', 'tillsync-bridge'), '', ['response' => 400]);
        }
        if ($this->state->setup() === null) {
            $this->refuse($this->state->problem());
        }
        match ($kind) {
            'save-credentials' => $this->saveCredentials($requestId),
            'create-woo-key' => $this->createWooKey($requestId),
            'connect-lightspeed' => $this->startOAuth(),
        };
    }

    /**
     * admin_init: the browser is back from Lightspeed's consent page on the Connection tab
     * with code, domain_prefix and state. The state must be the one this user was sent with
     * (it stands for the nonce a foreign page cannot carry); it is spent either way.
     */
    public function handleOAuthReturn(): void
    {
        // phpcs:disable -- the state is checked below; it is this request's nonce.
        $page = isset($_GET['page']) ? sanitize_key(wp_unslash($_GET['page'])) : '';
        if ($page !== TillsyncPage::SLUG || !isset($_GET['state'])) {
            return;
        }
        $given = [];
        foreach (['state', 'code', 'domain_prefix', 'error'] as $name) {
            $given[$name] = isset($_GET[$name]) ? trim(sanitize_text_field(wp_unslash($_GET[$name]))) : '';
        }
        // phpcs:enable
        if (!current_user_can(self::CAPABILITY)) {
            wp_die(
                esc_html__('Only an administrator can change the POS and WooCommerce credentials.', 'tillsync-bridge'),
                '',
                ['response' => 403]
            );
        }
        if (!$this->spendState($given['state'])) {
            $this->refuse(__(
                'The answer from Lightspeed does not belong to a "Connect with Lightspeed" started here (its state '
                    . 'differs or has expired), so it was ignored and nothing was sent. Click "Connect with '
                    . 'Lightspeed" again.',
                'tillsync-bridge'
            ));
        }
        if ($given['error'] !== '' || $given['code'] === '' || $given['domain_prefix'] === '') {
            $this->refuse(__(
                'Lightspeed did not authorize Tillsync, so nothing changed. Click "Connect with Lightspeed" again '
                    . 'and choose "Allow".',
                'tillsync-bridge'
            ));
        }
        $answer = $this->sidecar->giveCredentials([
            'oauth' => [
                'code' => $given['code'],
                'redirect_uri' => TillsyncPage::url('connection'),
                'domain_prefix' => $given['domain_prefix'],
            ],
        ], wp_generate_uuid4());
        $this->followAction($answer);
    }

    /**
     * The plugin's key after its check: kept if the sidecar accepted it, revoked if it did
     * not. Runs when the Connection tab is drawn, which the page's script reloads when the
     * check is over.
     */
    public function settleWooKey(): void
    {
        $kept = $this->wooKey->remembered();
        if ($kept === null || $kept['accepted'] || $kept['action_id'] === 0) {
            return;
        }
        $check = $this->state->action($kept['action_id']);
        $state = (string) ($check['state'] ?? '');
        if ($state === 'done') {
            $this->wooKey->remember($kept['key_id'], $kept['action_id'], true);
        } elseif ($state === 'error' || ($check === null && $this->state->answers())) {
            $this->wooKey->revokeRemembered();
        }
    }

    /**
     * Whether the key this plugin handed over was revoked in WooCommerce since.
     */
    public function wooKeyRevoked(): bool
    {
        $kept = $this->wooKey->remembered();
        return $kept !== null && $kept['accepted'] && !$this->wooKey->exists($kept['key_id']);
    }

    /**
     * Whether a key this plugin made is in use and still there (no new one is needed).
     */
    public function wooKeyInUse(): bool
    {
        $kept = $this->wooKey->remembered();
        return $kept !== null && $this->wooKey->exists($kept['key_id']);
    }

    private function saveCredentials(string $requestId): void
    {
        $values = [];
        foreach (['pos_domain_prefix', 'pos_token'] as $field) {
            // phpcs:ignore -- the nonce was checked by the caller; a token is kept as typed.
            $value = isset($_POST[$field]) ? trim((string) wp_unslash($_POST[$field])) : '';
            if ($value === '' || $this->state->credentialSource($field) === 'environment') {
                continue;
            }
            if (strlen($value) > 500 || preg_match('/[\x00-\x1f\x7f]/', $value) === 1) {
                $this->refuse(__('A credential is one line of up to 500 characters.', 'tillsync-bridge'));
            }
            $values[$field] = $field === 'pos_domain_prefix' ? strtolower($value) : $value;
        }
        if ($values === []) {
            $this->refuse(__(
                'Enter the POS personal token (and the store\'s domain prefix if the host did not set it).',
                'tillsync-bridge'
            ));
        }
        $this->followAction($this->sidecar->giveCredentials(['values' => $values], $requestId));
    }

    private function createWooKey(string $requestId): void
    {
        if ($this->state->credentialSource('wc_key') === 'environment') {
            $this->refuse(__(
                'Your host set the WooCommerce REST key in the sidecar\'s environment: there is nothing to make here.',
                'tillsync-bridge'
            ));
        }
        if ($this->wooKeyInUse()) {
            $this->refuse(__('The sidecar already has the WooCommerce REST key Tillsync made.', 'tillsync-bridge'));
        }
        $this->wooKey->forget();
        try {
            $made = $this->wooKey->create(get_current_user_id());
        } catch (\RuntimeException $failed) {
            $this->refuse($failed->getMessage());
        }
        $values = ['wc_key' => $made['consumer_key'], 'wc_secret' => $made['consumer_secret']];
        if ($this->state->credentialSource('wc_url') === null) {
            $values['wc_url'] = home_url();
        }
        $answer = $this->sidecar->giveCredentials(['values' => $values], $requestId);
        $actionId = is_array($answer->data['action'] ?? null) ? (int) ($answer->data['action']['id'] ?? 0) : 0;
        if (!$answer->ok || $actionId === 0) {
            $this->wooKey->delete($made['key_id']);
        } else {
            $this->wooKey->remember($made['key_id'], $actionId);
        }
        $this->followAction($answer);
    }

    private function startOAuth(): void
    {
        $setup = $this->state->setup();
        $authorize = is_string($setup['oauth_authorize_url'] ?? null) ? $setup['oauth_authorize_url'] : '';
        if ($authorize === '') {
            $this->refuse(__(
                'Connect with Lightspeed needs an OAuth client set by your host on the sidecar; give a personal '
                    . 'token instead.',
                'tillsync-bridge'
            ));
        }
        $state = bin2hex(random_bytes(16));
        update_user_meta(get_current_user_id(), self::STATE_META, [
            'hash' => hash('sha256', $state),
            'expires' => time() + self::STATE_TTL,
        ]);
        $query = http_build_query(
            ['redirect_uri' => TillsyncPage::url('connection'), 'state' => $state],
            '',
            '&',
            PHP_QUERY_RFC3986
        );
        // The consent page is Lightspeed's (another host): wp_safe_redirect() would refuse it.
        wp_redirect($authorize . (str_contains($authorize, '?') ? '&' : '?') . $query);
        exit;
    }

    private function spendState(string $given): bool
    {
        $userId = get_current_user_id();
        $kept = get_user_meta($userId, self::STATE_META, true);
        delete_user_meta($userId, self::STATE_META);
        return is_array($kept)
            && $given !== ''
            && (int) ($kept['expires'] ?? 0) >= time()
            && hash_equals((string) ($kept['hash'] ?? ''), hash('sha256', $given));
    }

    /**
     * Back to the Connection tab, following the check-credentials action the answer names.
     */
    private function followAction(SidecarResponse $answer): never
    {
        $action = is_array($answer->data['action'] ?? null) ? $answer->data['action'] : null;
        if (!$answer->ok || $action === null) {
            $this->refuse(sprintf(
                /* translators: 1: error, 2: hint */
                __('The sidecar did not take the credentials: %1$s %2$s', 'tillsync-bridge'),
                self::sidecarProblem($answer),
                StatusPanel::hint($answer->status)
            ));
        }
        wp_safe_redirect(add_query_arg('tillsync_action', (int) $action['id'], TillsyncPage::url('connection')));
        exit;
    }

    /**
     * The sidecar's own sentence for a refused field (400) is ours to show: it names the
     * setting; anything else is told by its status only.
     */
    private static function sidecarProblem(SidecarResponse $answer): string
    {
        $message = $answer->data['message'] ?? null;
        if ($answer->status === 400 && is_string($message)) {
            return $message . '.';
        }
        return StatusPanel::problem($answer);
    }

    private function refuse(string $sentence): never
    {
        $this->notices->flash('error', $sentence);
        wp_safe_redirect(TillsyncPage::url('connection'));
        exit;
    }
}
