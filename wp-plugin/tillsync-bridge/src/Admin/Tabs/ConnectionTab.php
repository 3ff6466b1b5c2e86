<?php

/**
 * Connection tab: the sidecar settings, then the credentials (POS token or "Connect with
 * Lightspeed", the WooCommerce key the plugin makes), then the POS connection — load the
 * registers, pick one, connect or disconnect — then the status panel.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin\Tabs;

use Tillsync\Bridge\Admin\ActionForm;
use Tillsync\Bridge\Admin\ActionResult;
use Tillsync\Bridge\Admin\CredentialRequests;
use Tillsync\Bridge\Admin\CredentialsSection;
use Tillsync\Bridge\Admin\SettingsPage;
use Tillsync\Bridge\Admin\SidecarState;
use Tillsync\Bridge\Admin\StatusPanel;
use Tillsync\Bridge\Admin\TillsyncPage;

defined('ABSPATH') || exit;

final class ConnectionTab
{
    private const TAB = 'connection';

    public function __construct(
        private SettingsPage $settings,
        private StatusPanel $panel,
        private SidecarState $state,
        private CredentialsSection $credentials,
        private CredentialRequests $credentialRequests,
    ) {
    }

    public function render(): void
    {
        $this->settings->renderForms();
        echo '<h2>' . esc_html__('Point of sale', 'tillsync-bridge') . '</h2>';
        if (!$this->state->answers()) {
            TillsyncPage::renderGuard('sidecar', $this->state->problem());
            return;
        }
        $this->renderState();
        ActionResult::render(
            $this->state->newest(['check-credentials', 'registers', 'connect', 'disconnect']),
            null,
            [$this, 'renderDone']
        );
        $this->credentials->render();
        echo '<h3>' . esc_html__('Register and connection', 'tillsync-bridge') . '</h3>';
        if ($this->state->connected()) {
            $this->renderDisconnectForm();
        } else {
            $this->renderConnectForms();
        }
        $this->panel->render();
    }

    /**
     * What a finished registers, connect or disconnect action gave.
     *
     * @param array<string, mixed> $result
     */
    public function renderDone(array $result): void
    {
        if (array_key_exists('accepted', $result)) {
            CredentialsSection::renderDone($result);
        } elseif (is_array($result['registers'] ?? null)) {
            $count = is_array($result['registers']) ? count($result['registers']) : 0;
            echo '<p>' . esc_html(sprintf(
                /* translators: %s: number of registers */
                _n(
                    'The POS has %s register: choose it below, then connect.',
                    'The POS has %s registers: choose the one web sales go to, then connect.',
                    $count,
                    'tillsync-bridge'
                ),
                number_format_i18n($count)
            )) . '</p>';
        } elseif (array_key_exists('closed_epoch', $result)) {
            echo '<p>' . esc_html__(
                'Disconnected: orders are still recorded, nothing is sent to the POS.',
                'tillsync-bridge'
            ) . '</p>';
        } else {
            $register = is_array($result['register'] ?? null) ? (string) ($result['register']['name'] ?? '') : '';
            echo '<p>' . esc_html(sprintf(
                /* translators: 1: POS store, 2: register name */
                __('Connected to %1$s, register %2$s: from now on every new order goes to the POS.', 'tillsync-bridge'),
                (string) ($result['store'] ?? ''),
                $register
            )) . '</p>';
            foreach (is_array($result['warnings'] ?? null) ? $result['warnings'] : [] as $warning) {
                echo '<p class="tillsync-warning">' . esc_html((string) $warning) . '</p>';
            }
        }
    }

    private function renderState(): void
    {
        $connection = $this->state->section('connection');
        $state = $this->state->connectionState();
        if ($state === 'connected') {
            $text = sprintf(
                /* translators: 1: POS store, 2: date */
                __('Connected to %1$s since %2$s.', 'tillsync-bridge'),
                (string) ($connection['store'] ?? ''),
                ActionResult::date($connection['connected_since'] ?? null, true)
            );
        } elseif ($state === 'disconnected') {
            $text = __('Disconnected: orders are recorded and wait until you connect again.', 'tillsync-bridge');
        } else {
            $text = __(
                'Not connected yet: load the registers, choose the one web sales go to, and connect.',
                'tillsync-bridge'
            );
        }
        printf(
            '<p class="tillsync-connection-state" data-connection="%1$s">%2$s</p>',
            esc_attr($state),
            esc_html($text)
        );
    }

    /**
     * Disconnect, offering an administrator to revoke the WooCommerce key Tillsync made.
     */
    private function renderDisconnectForm(): void
    {
        ActionForm::open('disconnect', self::TAB);
        if (current_user_can(CredentialRequests::CAPABILITY) && $this->credentialRequests->wooKeyInUse()) {
            ActionForm::checkbox(
                'revoke_wc_key',
                __(
                    'Also revoke the WooCommerce REST key Tillsync made (make a new one before you connect again)',
                    'tillsync-bridge'
                )
            );
        }
        ActionForm::button('disconnect', __('Disconnect', 'tillsync-bridge'));
        ActionForm::close();
    }

    private function renderConnectForms(): void
    {
        ActionForm::single('registers', self::TAB, __('Load registers', 'tillsync-bridge'));
        $loaded = $this->state->latest('registers');
        $registers = ($loaded['state'] ?? '') === 'done' && is_array($loaded['result']['registers'] ?? null)
            ? $loaded['result']['registers']
            : [];
        ActionForm::open('connect', self::TAB);
        if ($registers !== []) {
            echo '<label class="tillsync-field">' . esc_html__('Register for web sales', 'tillsync-bridge')
                . ' <select name="register_id" data-tillsync-field="register_id">';
            foreach ($registers as $register) {
                if (is_array($register)) {
                    printf(
                        '<option value="%1$s">%2$s</option>',
                        esc_attr((string) ($register['id'] ?? '')),
                        esc_html((string) ($register['name'] ?? ''))
                    );
                }
            }
            echo '</select></label> ';
        }
        ActionForm::button('connect', __('Connect', 'tillsync-bridge'), true);
        ActionForm::close();
    }
}
