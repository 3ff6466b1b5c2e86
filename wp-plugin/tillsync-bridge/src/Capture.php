<?php

/**
 * Collects order ids and topics while a request runs; nothing is sent from here.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Capture
{
    /** Notes Tillsync itself writes; forwarding them would loop. */
    public const INFO_NOTE_PREFIX = '[Tillsync:info]';
    public const ORDER_POST_TYPE = 'shop_order';

    /** @var array<int, array{topics: array<string, true>, first_seen: int, note: ?string}> */
    private array $orders = [];

    /**
     * woocommerce_new_order: ($order_id, $order), though some plugins pass the id alone.
     */
    public function onCreated(mixed $orderId, mixed $order = null): void
    {
        $this->record($orderId, 'order.created');
    }

    /**
     * woocommerce_update_order: ($order_id, $order), once per save().
     */
    public function onUpdated(mixed $orderId, mixed $order = null): void
    {
        $this->record($orderId, 'order.updated');
    }

    /**
     * woocommerce_order_status_changed: ($order_id, $from, $to, $order).
     */
    public function onStatusChanged(mixed $orderId, mixed $from = '', mixed $to = '', mixed $order = null): void
    {
        $this->record($orderId, 'order.status_changed');
    }

    /**
     * woocommerce_order_note_added: ($comment_id, $order); Tillsync's own info notes are ignored.
     */
    public function onNoteAdded(mixed $commentId, mixed $order = null): void
    {
        $comment = get_comment(self::positiveInt($commentId));
        if (!$comment instanceof \WP_Comment) {
            return;
        }
        $text = (string) $comment->comment_content;
        if (str_starts_with(ltrim($text), self::INFO_NOTE_PREFIX)) {
            return;
        }
        $orderId = is_object($order) && method_exists($order, 'get_id') ? $order->get_id() : $comment->comment_post_ID;
        $this->record($orderId, 'order.note_added', $text);
    }

    /**
     * woocommerce_order_refunded: ($order_id, $refund_id).
     */
    public function onRefunded(mixed $orderId, mixed $refundId = null): void
    {
        $this->record($orderId, 'order.refunded');
    }

    /**
     * woocommerce_trash_order: ($order_id).
     */
    public function onTrashed(mixed $orderId): void
    {
        $this->record($orderId, 'order.trashed');
    }

    /**
     * woocommerce_untrash_order: ($order_id, $previous_status), HPOS only.
     */
    public function onRestored(mixed $orderId, mixed $previousStatus = ''): void
    {
        $this->record($orderId, 'order.restored');
    }

    /**
     * woocommerce_delete_order: ($order_id).
     */
    public function onDeleted(mixed $orderId): void
    {
        $this->record($orderId, 'order.deleted');
    }

    /**
     * wp_trash_post: the classic orders list trashes through WordPress alone.
     */
    public function onPostTrashed(mixed $postId): void
    {
        if ($this->isOrderPost($postId)) {
            $this->record($postId, 'order.trashed');
        }
    }

    /**
     * untrashed_post: ($post_id, $previous_status).
     */
    public function onPostRestored(mixed $postId, mixed $previousStatus = ''): void
    {
        if ($this->isOrderPost($postId)) {
            $this->record($postId, 'order.restored');
        }
    }

    /**
     * before_delete_post: ($post_id, $post).
     */
    public function onPostDeleted(mixed $postId, mixed $post = null): void
    {
        $type = $post instanceof \WP_Post ? $post->post_type : get_post_type(self::positiveInt($postId));
        if ($type === self::ORDER_POST_TYPE) {
            $this->record($postId, 'order.deleted');
        }
    }

    /**
     * Whether anything was collected in this request.
     */
    public function isEmpty(): bool
    {
        return $this->orders === [];
    }

    /**
     * One event per order collected so far, and forgets them (so they are sent once).
     *
     * @return list<Event>
     */
    public function takeEvents(): array
    {
        $events = [];
        foreach ($this->orders as $orderId => $seen) {
            $events[] = Event::collapse($orderId, $seen['topics'], $seen['first_seen'], $seen['note']);
        }
        $this->orders = [];
        return $events;
    }

    private function record(mixed $orderId, string $topic, ?string $note = null): void
    {
        $id = self::positiveInt($orderId);
        if ($id === 0) {
            return;
        }
        if (!isset($this->orders[$id])) {
            $this->orders[$id] = ['topics' => [], 'first_seen' => time(), 'note' => null];
        }
        $this->orders[$id]['topics'][$topic] = true;
        if ($note !== null) {
            // The latest note of the request is the one a merchant just wrote.
            $this->orders[$id]['note'] = $note;
        }
    }

    private function isOrderPost(mixed $postId): bool
    {
        $id = self::positiveInt($postId);
        return $id > 0 && get_post_type($id) === self::ORDER_POST_TYPE;
    }

    private static function positiveInt(mixed $value): int
    {
        if (is_int($value)) {
            return max(0, $value);
        }
        if (is_string($value) && ctype_digit($value)) {
            return (int) $value;
        }
        return 0;
    }
}
