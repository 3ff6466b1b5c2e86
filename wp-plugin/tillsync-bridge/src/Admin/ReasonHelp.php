<?php

/**
 * What the merchant does about each reason code an order can carry, in the merchant's
 * language and in WP admin's words (the sidecar README, 'Troubleshooting', gives the same
 * advice with the commands). The sentence the sidecar wrote for the one order stays as it
 * was written; this is the translated "what to do" beside it. A test keeps this list and
 * the sidecar's reason codes the same.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

defined('ABSPATH') || exit;

final class ReasonHelp
{
    /**
     * The translated advice for $code, or null for a code this version does not know.
     */
    public static function whatToDo(string $code): ?string
    {
        $again = __('Send to POS again', 'tillsync-bridge');
        return match ($code) {
            'pos_product_deleted' => sprintf(
                /* translators: %s: the "Send to POS again" button */
                __(
                    'Restore the product in Lightspeed (or change the order so it no longer holds it), then press '
                    . '"%s" on the order.',
                    'tillsync-bridge'
                ),
                $again
            ),
            'pos_validation' => sprintf(
                /* translators: %s: the "Send to POS again" button */
                __(
                    'Fix the register, payment type, user or product the POS names in Lightspeed, then press "%s" '
                    . 'on the order.',
                    'tillsync-bridge'
                ),
                $again
            ),
            'pos_tax_missing' => __(
                'Add a tax with that rate in Lightspeed, then disconnect and connect again on the Connection tab: '
                . 'connecting reads the taxes again and sends these orders again.',
                'tillsync-bridge'
            ),
            'wc_order_missing' => sprintf(
                /* translators: %s: the "Send to POS again" button */
                __(
                    'If the order exists, give the sidecar\'s WooCommerce REST key Read/Write access, then press '
                    . '"%s" on the order; if it was deleted on purpose, nothing needs doing.',
                    'tillsync-bridge'
                ),
                $again
            ),
            'wc_order_invalid' => sprintf(
                /* translators: %s: the "Send to POS again" button */
                __(
                    'Open the order, correct it (usually a plugin wrote a bad line), save it, then press "%s".',
                    'tillsync-bridge'
                ),
                $again
            ),
            'wc_order_empty' => __(
                'Nothing to send: add the products to the order and save it, or leave it.',
                'tillsync-bridge'
            ),
            'wc_product_missing' => sprintf(
                /* translators: %s: the "Send to POS again" button */
                __(
                    'Give the line\'s product a SKU that exists in Lightspeed (or restore the product), then press '
                    . '"%s" on the order.',
                    'tillsync-bridge'
                ),
                $again
            ),
            'wc_order_trashed' => __(
                'If the order is really gone, void its sale in Lightspeed; restoring the order from the trash makes '
                . 'Tillsync look at it again.',
                'tillsync-bridge'
            ),
            'wc_not_paid' => __(
                'Nothing: the order goes to the POS by itself once it is processing or completed.',
                'tillsync-bridge'
            ),
            'wc_cancelled' => __('Nothing: there is no sale to make or void.', 'tillsync-bridge'),
            'history' => sprintf(
                /* translators: %s: the "Send to POS again" button */
                __(
                    'Import history on the History tab, add a note to the order, or press "%s" to send just this '
                    . 'one.',
                    'tillsync-bridge'
                ),
                $again
            ),
            'retrying' => __(
                'Nothing, unless it lasts: then check that the POS and this site answer.',
                'tillsync-bridge'
            ),
            default => null,
        };
    }
}
