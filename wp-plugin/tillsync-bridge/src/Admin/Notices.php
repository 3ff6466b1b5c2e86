<?php

/**
 * One-shot admin notices that survive the redirect after an admin action.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

defined('ABSPATH') || exit;

final class Notices
{
    private const TRANSIENT_PREFIX = 'tillsync_notice_';

    /**
     * Keeps a message for the current user's next admin page.
     */
    public function flash(string $type, string $message): void
    {
        $type = in_array($type, ['success', 'error', 'warning', 'info'], true) ? $type : 'info';
        set_transient(self::TRANSIENT_PREFIX . get_current_user_id(), ['type' => $type, 'message' => $message], 300);
    }

    /**
     * admin_notices: shows and forgets the pending message.
     */
    public function render(): void
    {
        $key = self::TRANSIENT_PREFIX . get_current_user_id();
        $notice = get_transient($key);
        if (!is_array($notice) || !current_user_can('manage_woocommerce')) {
            return;
        }
        delete_transient($key);
        printf(
            '<div class="notice notice-%1$s is-dismissible tillsync-notice"><p>%2$s</p></div>',
            esc_attr((string) $notice['type']),
            esc_html((string) $notice['message'])
        );
    }
}
