<?php

/**
 * One order event as the sidecar receives it (the sidecar README, 'HTTP': the hook body).
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Event
{
    /** Most significant first: the event's topic is the first of these that happened. */
    public const PRECEDENCE = [
        'order.deleted',
        'order.trashed',
        'order.restored',
        'order.refunded',
        'order.created',
        'order.note_added',
        'order.status_changed',
        'order.updated',
    ];

    public const NOTE_EXCERPT_LENGTH = 200;

    /** The body, built once: it is signed and sent, and kept in the outbox if that fails. */
    private ?string $json = null;

    /**
     * @param list<string> $topics every topic seen for the order, in precedence order
     */
    private function __construct(
        public readonly string $id,
        public readonly int $orderId,
        public readonly array $topics,
        public readonly int $occurredAt,
        public readonly ?string $noteExcerpt,
    ) {
    }

    /**
     * Collapses what happened to one order into one event with a fresh UUID v4.
     *
     * @param array<string, true> $topics
     */
    public static function collapse(int $orderId, array $topics, int $occurredAt, ?string $note): self
    {
        $ordered = array_values(array_filter(self::PRECEDENCE, static fn (string $t): bool => isset($topics[$t])));
        if ($ordered === []) {
            throw new \InvalidArgumentException('An event needs at least one known topic.');
        }
        $excerpt = $note === null ? null : mb_substr($note, 0, self::NOTE_EXCERPT_LENGTH);
        return new self(wp_generate_uuid4(), $orderId, $ordered, $occurredAt, $excerpt);
    }

    /**
     * The topic the sidecar acts on: the most significant one.
     */
    public function topic(): string
    {
        return $this->topics[0];
    }

    /**
     * The JSON body, exactly as signed and sent.
     */
    public function toJson(): string
    {
        if ($this->json !== null) {
            return $this->json;
        }
        $data = ['topics' => $this->topics];
        if ($this->noteExcerpt !== null) {
            $data['note_excerpt'] = $this->noteExcerpt;
        }
        $body = [
            'id' => $this->id,
            'topic' => $this->topic(),
            'order_id' => $this->orderId,
            'occurred_at' => gmdate('Y-m-d\TH:i:s\Z', $this->occurredAt),
            'store_url' => home_url(),
            'data' => $data,
        ];
        // ASCII only (\u escapes): the same bytes in every transport and database charset.
        return $this->json = (string) wp_json_encode($body, JSON_UNESCAPED_SLASHES);
    }
}
