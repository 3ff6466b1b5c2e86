<?php

/**
 * Notes: Tillsync's own "[Tillsync:info]" notes never loop; "[Tillsync:resend]" and merchants' notes do.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

final class NoteLoopGuardTest extends PluginTestCase
{
    public function testInfoNoteIsNeverForwarded(): void
    {
        $order = $this->newOrder();
        $order->add_order_note('[Tillsync:info] Sent to the POS as sale 0b8f.');

        $this->assertSame([], $this->takeBodies());
    }

    public function testInfoNoteDoesNotHideOtherChangesOfTheSameRequest(): void
    {
        $order = $this->newOrder();
        $order->add_order_note('[Tillsync:info] Sent to the POS as sale 0b8f.');
        $order->save();

        $body = $this->takeBodies()[$order->get_id()];

        $this->assertSame(['order.updated'], $body['data']['topics']);
        $this->assertArrayNotHasKey('note_excerpt', $body['data']);
    }

    public function testResendNoteIsForwardedWithItsExcerpt(): void
    {
        $order = $this->newOrder();
        $order->add_order_note('[Tillsync:resend] Please push this order again.');

        $body = $this->takeBodies()[$order->get_id()];

        $this->assertSame('order.note_added', $body['topic']);
        $this->assertSame('[Tillsync:resend] Please push this order again.', $body['data']['note_excerpt']);
    }

    public function testExcerptIsTheFirst200CharactersNotBytes(): void
    {
        $order = $this->newOrder();
        $order->add_order_note(str_repeat('é', 250));

        $excerpt = $this->takeBodies()[$order->get_id()]['data']['note_excerpt'];

        $this->assertSame(200, mb_strlen($excerpt));
        $this->assertSame(str_repeat('é', 200), $excerpt);
    }

    public function testTheLatestNoteOfTheRequestIsTheExcerpt(): void
    {
        $order = $this->newOrder();
        $order->add_order_note('First note.');
        $order->add_order_note('Second note.');

        $this->assertSame('Second note.', $this->takeBodies()[$order->get_id()]['data']['note_excerpt']);
    }
}
