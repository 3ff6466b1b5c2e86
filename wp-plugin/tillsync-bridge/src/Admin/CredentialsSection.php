<?php

/**
 * The credentials part of the Connection tab: the POS token (or "Connect with Lightspeed")
 * and the WooCommerce REST key, each shown by where it comes from — set by the host, given
 * here, or missing — and never by its value: a secret shows only its fingerprint.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

defined('ABSPATH') || exit;

final class CredentialsSection
{
    private const TAB = 'connection';

    public function __construct(private SidecarState $state, private CredentialRequests $requests)
    {
    }

    public function render(): void
    {
        $setup = $this->state->setup();
        if ($setup === null) {
            return;
        }
        $this->requests->settleWooKey();
        $admin = current_user_can(CredentialRequests::CAPABILITY);
        echo '<div class="tillsync-credentials" id="tillsync-credentials">';
        echo '<h3>' . esc_html__('POS credentials', 'tillsync-bridge') . '</h3>';
        $this->renderPos($admin, $setup);
        echo '<h3>' . esc_html__('WooCommerce REST key', 'tillsync-bridge') . '</h3>';
        $this->renderWoo($admin);
        echo '</div>';
    }

    /**
     * What a finished check-credentials gave.
     *
     * @param array<string, mixed> $result
     */
    public static function renderDone(array $result): void
    {
        $accepted = is_array($result['accepted'] ?? null) ? $result['accepted'] : [];
        if (!empty($result['oauth'])) {
            echo '<p>'
                . esc_html__('Lightspeed authorized Tillsync: the sidecar now talks to the POS.', 'tillsync-bridge')
                . '</p>';
        } elseif (array_intersect(['pos_token', 'pos_domain_prefix'], $accepted) !== []) {
            echo '<p>' . esc_html__('The POS accepted the credentials: the sidecar now uses them.', 'tillsync-bridge')
                . '</p>';
        }
        if (in_array('wc_key', $accepted, true)) {
            echo '<p>' . esc_html__(
                'WooCommerce accepted the REST key Tillsync made: the sidecar reads orders with it.',
                'tillsync-bridge'
            ) . '</p>';
        }
        if (is_string($result['woocommerce_warning'] ?? null)) {
            echo '<p class="tillsync-warning">' . esc_html($result['woocommerce_warning']) . '</p>';
        }
    }

    /**
     * @param array<string, mixed> $setup
     */
    private function renderPos(bool $admin, array $setup): void
    {
        $prefixSource = $this->state->credentialSource('pos_domain_prefix');
        $tokenSource = $this->state->credentialSource('pos_token');
        $editable = $admin && ($prefixSource !== 'environment' || $tokenSource !== 'environment');
        if ($editable) {
            ActionForm::open('save-credentials', self::TAB, CredentialRequests::POST_ACTION);
        }
        echo '<table class="form-table" role="presentation"><tbody>';
        echo '<tr><th scope="row"><label for="tillsync-pos-domain-prefix">'
            . esc_html__('Store domain prefix', 'tillsync-bridge') . '</label></th><td>';
        $prefix = (string) ($setup['credentials']['pos_domain_prefix']['value'] ?? '');
        printf(
            '<input type="text" id="tillsync-pos-domain-prefix" name="pos_domain_prefix" '
                . 'data-tillsync-field="pos_domain_prefix" class="regular-text code" value="%1$s" '
                . 'placeholder="yourstore"%2$s>',
            esc_attr($prefix),
            $admin && $prefixSource !== 'environment' ? '' : ' readonly'
        );
        echo '<p class="description">' . esc_html__(
            'The first part of your Lightspeed address: yourstore for yourstore.retail.lightspeed.app.',
            'tillsync-bridge'
        ) . '</p>';
        self::renderSource('pos_domain_prefix', $prefixSource, '');
        echo '</td></tr><tr><th scope="row"><label for="tillsync-pos-token">'
            . esc_html__('Personal token', 'tillsync-bridge') . '</label></th><td>';
        // Write-only: never printed back, not even masked in the value attribute.
        printf(
            '<input type="password" id="tillsync-pos-token" name="pos_token" data-tillsync-field="pos_token" '
                . 'class="regular-text" value="" autocomplete="new-password"%s>',
            $admin && $tokenSource !== 'environment' ? '' : ' readonly'
        );
        self::renderSource('pos_token', $tokenSource, (string) ($setup['credentials']['pos_token']['value'] ?? ''));
        echo '</td></tr></tbody></table>';
        if ($editable) {
            ActionForm::button('save-credentials', __('Check and save the credentials', 'tillsync-bridge'), true);
            ActionForm::close();
        }
        if (!$admin) {
            echo '<p class="description tillsync-admin-only">' . esc_html__(
                'Only an administrator can change the POS and WooCommerce credentials.',
                'tillsync-bridge'
            ) . '</p>';
            return;
        }
        if (is_string($setup['oauth_authorize_url'] ?? null) && $tokenSource !== 'environment') {
            echo '<p>' . esc_html__('Or let Lightspeed authorize Tillsync, without a token:', 'tillsync-bridge')
                . '</p>';
            ActionForm::single(
                'connect-lightspeed',
                self::TAB,
                __('Connect with Lightspeed', 'tillsync-bridge'),
                false,
                CredentialRequests::POST_ACTION
            );
        }
    }

    private function renderWoo(bool $admin): void
    {
        $source = $this->state->credentialSource('wc_key');
        if ($this->requests->wooKeyRevoked()) {
            echo '<p class="tillsync-result-error" data-tillsync-woo-key="revoked"><strong>' . esc_html__(
                'The WooCommerce REST key Tillsync made was revoked in WooCommerce, so the sidecar can no longer '
                    . 'read or update orders.',
                'tillsync-bridge'
            ) . '</strong> ' . esc_html__('Make a new key below to let it work again.', 'tillsync-bridge') . '</p>';
        } elseif ($source === 'environment') {
            echo '<p class="tillsync-set-by-host" data-tillsync-woo-key="environment">' . esc_html__(
                'Set by your host in the sidecar\'s environment (TILLSYNC_WC_KEY).',
                'tillsync-bridge'
            ) . '</p>';
            return;
        } elseif ($this->requests->wooKeyInUse()) {
            echo '<p data-tillsync-woo-key="made">' . esc_html__(
                'Tillsync made a read/write key named "Tillsync sidecar" for the sidecar; you find it under '
                    . 'WooCommerce > Settings > Advanced > REST API.',
                'tillsync-bridge'
            ) . '</p>';
            return;
        } elseif ($source === 'wp-admin') {
            echo '<p data-tillsync-woo-key="given">' . esc_html__(
                'The sidecar has a WooCommerce REST key given from WP admin.',
                'tillsync-bridge'
            ) . '</p>';
        } else {
            echo '<p data-tillsync-woo-key="missing">' . esc_html__(
                'The sidecar has no WooCommerce REST key yet: Tillsync makes one (read/write, named "Tillsync '
                    . 'sidecar") and hands it over; you never copy it.',
                'tillsync-bridge'
            ) . '</p>';
        }
        if ($admin) {
            ActionForm::single(
                'create-woo-key',
                self::TAB,
                __('Make the WooCommerce key for the sidecar', 'tillsync-bridge'),
                false,
                CredentialRequests::POST_ACTION
            );
        }
    }

    private static function renderSource(string $field, ?string $source, string $fingerprint): void
    {
        if ($source === 'environment') {
            $text = __('Set by the host in the sidecar\'s environment; it cannot be changed here.', 'tillsync-bridge');
        } elseif ($source === 'wp-admin' && $fingerprint !== '') {
            $text = sprintf(
                /* translators: %s: a short fingerprint of the secret */
                __('Given here and in use (fingerprint %s). Leave the field empty to keep it.', 'tillsync-bridge'),
                $fingerprint
            );
        } elseif ($source === 'wp-admin') {
            $text = __('Given here and in use.', 'tillsync-bridge');
        } else {
            $text = __('Not given yet.', 'tillsync-bridge');
        }
        printf(
            '<p class="description tillsync-source" data-tillsync-source="%1$s" data-source="%2$s">%3$s</p>',
            esc_attr($field),
            esc_attr((string) $source),
            esc_html($text)
        );
    }
}
