<?php

/**
 * The hook body and its signature, exactly as the README ("HTTP") describes them.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Event;
use Tillsync\Bridge\Signer;

final class EventBodyAndSignatureTest extends PluginTestCase
{
    private const UUID_V4 = '/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/';

    public function testBodyHasEveryContractFieldWithItsType(): void
    {
        $event = Event::collapse(77, ['order.updated' => true], 1795000000, null);
        $body = json_decode($event->toJson(), true);

        $this->assertMatchesRegularExpression(self::UUID_V4, $body['id']);
        $this->assertSame('order.updated', $body['topic']);
        $this->assertSame(77, $body['order_id']);
        $this->assertSame('2026-11-18T11:06:40Z', $body['occurred_at']);
        $this->assertSame(home_url(), $body['store_url']);
        $this->assertSame(['topics' => ['order.updated']], $body['data']);
    }

    public function testEveryEventHasItsOwnId(): void
    {
        $ids = [];
        for ($i = 0; $i < 50; ++$i) {
            $ids[] = Event::collapse(1, ['order.updated' => true], time(), null)->id;
        }
        $this->assertCount(50, array_unique($ids));
    }

    public function testPrecedenceIsDeletedTrashedRestoredRefundedCreatedNoteStatusUpdated(): void
    {
        $all = array_fill_keys(array_reverse(Event::PRECEDENCE), true);
        $expected = [
            'order.deleted', 'order.trashed', 'order.restored', 'order.refunded',
            'order.created', 'order.note_added', 'order.status_changed', 'order.updated',
        ];
        $this->assertSame($expected, Event::collapse(1, $all, time(), null)->topics);

        // Drop the winner each time: the next one in line takes the topic.
        foreach ($expected as $winner) {
            $this->assertSame($winner, Event::collapse(1, $all, time(), null)->topic());
            unset($all[$winner]);
        }
    }

    public function testAnEventNeedsAKnownTopic(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        Event::collapse(1, ['order.exploded' => true], time(), null);
    }

    public function testSentRequestIsSignedOverTimestampMethodPathAndRawBody(): void
    {
        $order = $this->newOrder();
        $order->add_order_note('Call the customer.');
        $before = time();

        $this->plugin()->sender->onShutdown();

        $this->assertCount(1, $this->requests);
        $request = $this->requests[0];
        $this->assertSame(self::SIDECAR . '/hooks/woocommerce', $request['url']);
        $this->assertSame('POST', $request['args']['method']);
        $this->assertSame('application/json', $request['args']['headers']['Content-Type']);
        $this->assertLessThanOrEqual(2.0, $request['args']['timeout']);
        $timestamp = $request['args']['headers'][Signer::TIMESTAMP_HEADER];
        $this->assertGreaterThanOrEqual($before, (int) $timestamp);
        // Recomputed here from the raw bytes that went out, independently of Signer.
        $signed = $timestamp . '.POST./hooks/woocommerce.' . $request['args']['body'];
        $expected = 'v2=' . hash_hmac('sha256', $signed, self::SECRET);
        $this->assertSame($expected, $request['args']['headers'][Signer::SIGNATURE_HEADER]);
        $this->assertSame($order->get_id(), json_decode($request['args']['body'], true)['order_id']);
    }

    public function testSigningWithoutASecretIsRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        Signer::headers('', 'POST', self::SIDECAR . '/hooks/woocommerce', '{}', time());
    }
}
