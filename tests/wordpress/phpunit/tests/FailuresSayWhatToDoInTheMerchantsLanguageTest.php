<?php

/**
 * Each failed order in WP admin comes with what to do about it, in the merchant's language
 * and in WP admin's words: the sidecar's sentence for that order stays as written, the advice
 * beside it is the plugin's own, translated. A code this version does not know shows no advice
 * (and no error).
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Admin\ReasonHelp;
use Tillsync\Bridge\Admin\StatusPanel;

final class FailuresSayWhatToDoInTheMerchantsLanguageTest extends PluginTestCase
{
    private const FAILURES = [
        ['order_id' => 41, 'reason' => 'Product MUG was deleted in the POS.', 'reason_code' => 'pos_product_deleted'],
        ['order_id' => 42, 'reason' => 'Something new.', 'reason_code' => 'from_a_later_sidecar'],
    ];

    private static function failureList(): string
    {
        ob_start();
        StatusPanel::renderFailureList(self::FAILURES);
        return (string) ob_get_clean();
    }

    public function testEnglish(): void
    {
        $page = self::failureList();

        $this->assertStringContainsString('<th>What to do</th>', $page);
        $this->assertStringContainsString(
            'Restore the product in Lightspeed (or change the order so it no longer holds it), then press '
                . '&quot;Send to POS again&quot; on the order.',
            $page
        );
        $this->assertStringContainsString('Product MUG was deleted in the POS.', $page);
        $this->assertMatchesRegularExpression(
            '#<tr data-reason-code="from_a_later_sidecar">.*<td class="tillsync-what-to-do"></td></tr>#',
            $page
        );
        $this->assertNull(ReasonHelp::whatToDo('from_a_later_sidecar'));
    }

    public function testFrench(): void
    {
        $page = $this->inFrench(static fn (): string => self::failureList());

        $this->assertStringContainsString('<th>Que faire</th>', $page);
        $this->assertStringContainsString(
            'puis cliquez sur « Envoyer de nouveau au point de vente » dans la commande.',
            $page
        );
        $this->assertStringContainsString('Product MUG was deleted in the POS.', $page);
    }
}
