<?php

/**
 * The forms that ask the sidecar for an action: each posts to admin-post.php with a nonce
 * and a request id drawn with the page, so the same form sent twice names one action.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

defined('ABSPATH') || exit;

final class ActionForm
{
    public const POST_ACTION = 'tillsync_action';
    public const NONCE = 'tillsync_action';

    /**
     * Opens a form for $kind on $tab, sent to admin-post.php?action=$postAction; the caller
     * prints its fields, then close(). Every form carries the same nonce.
     */
    public static function open(string $kind, string $tab, string $postAction = self::POST_ACTION): void
    {
        printf(
            '<form method="post" action="%1$s" class="tillsync-action-form" data-kind="%2$s">'
                . '<input type="hidden" name="action" value="%3$s">'
                . '<input type="hidden" name="kind" value="%2$s">'
                . '<input type="hidden" name="tab" value="%4$s">'
                . '<input type="hidden" name="request_id" value="%5$s">'
                . '<input type="hidden" name="_wpnonce" value="%6$s">',
            esc_url(admin_url('admin-post.php')),
            esc_attr($kind),
            esc_attr($postAction),
            esc_attr($tab),
            esc_attr(wp_generate_uuid4()),
            esc_attr(wp_create_nonce(self::NONCE))
        );
    }

    /**
     * The submit button, with its stable handle data-tillsync-action (README, "For merchants").
     */
    public static function button(string $kind, string $label, bool $primary = false): void
    {
        printf(
            '<button type="submit" class="button%1$s" data-tillsync-action="%2$s">%3$s</button>',
            $primary ? ' button-primary' : '',
            esc_attr($kind),
            esc_html($label)
        );
    }

    /**
     * A value carried from a preview to the action it confirms (no handle: not for typing).
     */
    public static function hidden(string $name, string $value): void
    {
        if ($value !== '') {
            printf('<input type="hidden" name="%1$s" value="%2$s">', esc_attr($name), esc_attr($value));
        }
    }

    /**
     * A checkbox sending "1" when ticked, with a sentence beside it.
     */
    public static function checkbox(string $name, string $label): void
    {
        printf(
            '<label class="tillsync-field tillsync-checkbox"><input type="checkbox" name="%1$s" value="1" '
                . 'data-tillsync-field="%1$s"> %2$s</label> ',
            esc_attr($name),
            esc_html($label)
        );
    }

    /**
     * A date input with its handle (since, until), YYYY-MM-DD.
     */
    public static function dateField(string $name, string $label): void
    {
        printf(
            '<label class="tillsync-field">%1$s <input type="text" name="%2$s" data-tillsync-field="%2$s" '
                . 'placeholder="YYYY-MM-DD" pattern="\d{4}-\d{2}-\d{2}" size="12"></label> ',
            esc_html($label),
            esc_attr($name)
        );
    }

    public static function close(): void
    {
        echo '</form>';
    }

    /**
     * A whole form that is one button.
     */
    public static function single(
        string $kind,
        string $tab,
        string $label,
        bool $primary = false,
        string $postAction = self::POST_ACTION,
    ): void {
        self::open($kind, $tab, $postAction);
        self::button($kind, $label, $primary);
        self::close();
    }
}
