<?php

/**
 * "Send them again" through WooCommerce notes: the Orders tab says how many notes were added
 * and names every order whose note WooCommerce refused — by number only, never with what
 * WooCommerce answered — so no order is left unsent without the merchant knowing.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Admin\SidecarState;
use Tillsync\Bridge\Admin\Tabs\OrdersTab;

final class RetriggerThroughNotesTellsWhatWasRefusedTest extends PluginTestCase
{
    private const ANSWER_MARKER = 'WOO-ANSWER-3c1e';

    /**
     * @param array<string, mixed> $result
     */
    private function done(array $result): string
    {
        $plugin = $this->plugin();
        $tab = new OrdersTab(new SidecarState($plugin->sidecar, $plugin->settings));
        ob_start();
        $tab->renderDone($result);
        return (string) ob_get_clean();
    }

    public function testEveryNoteAdded(): void
    {
        $page = $this->done(['notes_added' => 2, 'refused' => []]);

        $this->assertStringContainsString('data-tillsync-notes-added="2"', $page);
        $this->assertStringContainsString('note was added to 2 orders', $page);
        $this->assertStringNotContainsString('data-tillsync-notes-refused', $page);
    }

    public function testRefusedOrdersAreNamedWithoutWooCommercesAnswer(): void
    {
        $page = $this->done([
            'notes_added' => 1,
            'refused' => ['15' => self::ANSWER_MARKER . ' <b>', '22' => self::ANSWER_MARKER],
        ]);

        $this->assertStringContainsString('note was added to 1 order:', $page);
        $this->assertStringContainsString('data-tillsync-notes-refused="2"', $page);
        $this->assertStringContainsString('WooCommerce refused the note on #15, #22', $page);
        $this->assertStringNotContainsString(self::ANSWER_MARKER, $page);
    }

    public function testLedgerRetriggerStillCountsQueuedOrders(): void
    {
        $page = $this->done(['queued' => 1]);

        $this->assertStringContainsString('1 order is queued to be sent to the POS again.', $page);
    }
}
