<?php

/**
 * The settings on the Connection tab: sidecar URL, write-only secret, "Test connection".
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Settings;
use Tillsync\Bridge\Sidecar;

defined('ABSPATH') || exit;

final class SettingsPage
{
    public const OPTION_GROUP = 'tillsync_bridge';
    public const TEST_ACTION = 'tillsync_test_connection';
    public const CAPABILITY = 'manage_woocommerce';

    public function __construct(
        private Settings $settings,
        private Sidecar $sidecar,
        private Notices $notices,
    ) {
    }

    /**
     * admin_init: both options go through the Settings API with their sanitize callbacks.
     */
    public function registerSettings(): void
    {
        $this->settings->ensureOptions();
        register_setting(self::OPTION_GROUP, Settings::URL_OPTION, [
            'type' => 'string',
            'sanitize_callback' => [$this->settings, 'sanitizeUrl'],
            'show_in_rest' => false,
        ]);
        register_setting(self::OPTION_GROUP, Settings::SECRET_OPTION, [
            'type' => 'string',
            'sanitize_callback' => [$this->settings, 'sanitizeSecret'],
            'show_in_rest' => false,
        ]);
    }

    /**
     * option_page_capability_{group}: shop managers may save, not only administrators.
     */
    public function capability(): string
    {
        return self::CAPABILITY;
    }

    /**
     * Where the settings are: the Connection tab.
     */
    public static function url(): string
    {
        return TillsyncPage::url('connection');
    }

    /**
     * admin_post_tillsync_test_connection: one signed GET /status, result shown on the page.
     *
     * The notice is one of a few fixed sentences: what the far end sent back (its body, its
     * reason phrase) is never shown, so the button cannot be used to read another service.
     */
    public function handleTestConnection(): void
    {
        if (!current_user_can(self::CAPABILITY)) {
            wp_die(esc_html__('You are not allowed to do this.', 'tillsync-bridge'), '', ['response' => 403]);
        }
        check_admin_referer(self::TEST_ACTION);
        [$type, $message] = $this->testConnection();
        $this->notices->flash($type, $message);
        wp_safe_redirect(self::url());
        exit;
    }

    /**
     * The outcome of "Test connection" as a notice type and a fixed sentence.
     *
     * @return array{0: string, 1: string}
     */
    public function testConnection(): array
    {
        $url = $this->settings->sidecarUrl();
        if (!$this->settings->isConfigured()) {
            return ['error', __(
                'No hook secret is set, so nothing can be signed. Enter it on the Tillsync settings page.',
                'tillsync-bridge'
            )];
        }
        $answer = $this->sidecar->status();
        if ($answer->ok) {
            return ['success', sprintf(
                /* translators: %s: sidecar URL */
                __('Connected: the sidecar at %s accepted the signed request.', 'tillsync-bridge'),
                $url
            )];
        }
        if ($answer->status === 0) {
            return ['error', sprintf(
                /* translators: 1: sidecar URL, 2: hint */
                __('Test connection failed: could not connect to the sidecar at %1$s. %2$s', 'tillsync-bridge'),
                $url,
                StatusPanel::hint(0)
            )];
        }
        return ['error', sprintf(
            /* translators: 1: sidecar URL, 2: HTTP status code, 3: hint */
            __('Test connection failed: the sidecar at %1$s answered HTTP %2$d. %3$s', 'tillsync-bridge'),
            $url,
            $answer->status,
            StatusPanel::hint($answer->status)
        )];
    }

    /**
     * The settings form and "Test connection" (the Connection tab shows them first).
     */
    public function renderForms(): void
    {
        settings_errors();
        echo '<form method="post" action="' . esc_url(admin_url('options.php')) . '" id="tillsync-settings-form">';
        settings_fields(self::OPTION_GROUP);
        echo '<table class="form-table" role="presentation"><tbody>';
        $this->renderUrlRow();
        $this->renderSecretRow();
        echo '</tbody></table>';
        submit_button(__('Save settings', 'tillsync-bridge'), 'primary', 'submit', true, ['id' => 'tillsync-save']);
        echo '</form>';

        echo '<h2>' . esc_html__('Connection', 'tillsync-bridge') . '</h2>';
        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '" id="tillsync-test-form">';
        echo '<input type="hidden" name="action" value="' . esc_attr(self::TEST_ACTION) . '">';
        wp_nonce_field(self::TEST_ACTION);
        echo '<p>'
            . esc_html__('Sends a signed request to the sidecar and reports what it answered.', 'tillsync-bridge')
            . '</p>';
        submit_button(__('Test connection', 'tillsync-bridge'), 'secondary', 'tillsync-test', false, [
            'id' => 'tillsync-test-connection',
        ]);
        echo '</form>';
    }

    private function renderUrlRow(): void
    {
        $url = $this->settings->sidecarUrl();
        echo '<tr><th scope="row"><label for="tillsync-sidecar-url">'
            . esc_html__('Sidecar URL', 'tillsync-bridge') . '</label></th><td>';
        if ($this->settings->urlSetByHost()) {
            printf(
                '<input type="text" id="tillsync-sidecar-url" class="regular-text code" value="%s" readonly>',
                esc_attr($url)
            );
            echo '<p class="description tillsync-set-by-host">'
                . esc_html__('Set by your host in wp-config.php (TILLSYNC_SIDECAR_URL).', 'tillsync-bridge') . '</p>';
        } elseif (!current_user_can(Settings::URL_CAPABILITY)) {
            // No name: the form does not post it, so saving the secret leaves the URL alone.
            printf(
                '<input type="text" id="tillsync-sidecar-url" class="regular-text code" value="%s" readonly>',
                esc_attr($url)
            );
            echo '<p class="description tillsync-url-admin-only">'
                . esc_html__('Only an administrator can change the sidecar URL.', 'tillsync-bridge') . '</p>';
        } else {
            printf(
                '<input type="url" id="tillsync-sidecar-url" name="%1$s" class="regular-text code" value="%2$s">',
                esc_attr(Settings::URL_OPTION),
                esc_attr($url)
            );
            echo '<p class="description">' . esc_html(sprintf(
                /* translators: %s: default URL */
                __('Where the Tillsync sidecar listens. Default: %s', 'tillsync-bridge'),
                Settings::DEFAULT_URL
            )) . '</p>';
        }
        echo '</td></tr>';
    }

    private function renderSecretRow(): void
    {
        $isSet = $this->settings->isConfigured();
        $mask = $isSet ? '••••••••••••' : '';
        echo '<tr><th scope="row"><label for="tillsync-hook-secret">'
            . esc_html__('Hook secret', 'tillsync-bridge') . '</label></th><td>';
        if ($this->settings->secretSetByHost()) {
            printf(
                '<input type="password" id="tillsync-hook-secret" class="regular-text" value="" '
                    . 'placeholder="%s" readonly>',
                esc_attr($mask)
            );
            echo '<p class="description tillsync-set-by-host">'
                . esc_html__('Set by your host in wp-config.php (TILLSYNC_HOOK_SECRET).', 'tillsync-bridge') . '</p>';
        } else {
            // Write-only: the stored secret is never printed, not even in the value attribute.
            printf(
                '<input type="password" id="tillsync-hook-secret" name="%1$s" class="regular-text" value="" '
                    . 'placeholder="%2$s" autocomplete="new-password">',
                esc_attr(Settings::SECRET_OPTION),
                esc_attr($mask)
            );
        }
        if ($isSet) {
            echo '<p class="description" id="tillsync-secret-state">' . esc_html(sprintf(
                /* translators: %s: 8 hex characters identifying the secret */
                __('A secret is set (fingerprint %s). Leave the field empty to keep it.', 'tillsync-bridge'),
                $this->settings->secretFingerprint()
            )) . '</p>';
        } else {
            echo '<p class="description" id="tillsync-secret-state">'
                . esc_html__('No secret is set yet: paste the one `tillsync serve` printed.', 'tillsync-bridge')
                . '</p>';
        }
        echo '</td></tr>';
    }
}
