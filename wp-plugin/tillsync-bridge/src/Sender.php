<?php

/**
 * Delivers the request's events on shutdown: signed HTTP, or the outbox when that fails.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Sender
{
    /** Fired right before the response is handed to the visitor early (PHP-FPM); what follows costs the worker. */
    public const FINISHING_RESPONSE_ACTION = 'tillsync_bridge_finishing_response';

    public function __construct(
        private Capture $capture,
        private Sidecar $sidecar,
        private Outbox $outbox,
        private Breaker $breaker,
        private Settings $settings,
    ) {
    }

    /**
     * shutdown: one event per order touched in this request, kept or sent after the response.
     */
    public function onShutdown(): void
    {
        if ($this->capture->isEmpty()) {
            return;
        }
        $this->finishResponse();
        $this->deliver($this->capture->takeEvents());
    }

    /**
     * Sends each event once; whatever is not accepted ends in the outbox, never dropped.
     *
     * @param list<Event> $events
     */
    public function deliver(array $events): void
    {
        if ($events === []) {
            return;
        }
        if ($this->breaker->isOpen()) {
            // A dead sidecar must not cost a checkout anything: straight to the outbox, no HTTP.
            $reason = $this->breaker->state()['reason'];
            foreach ($events as $event) {
                $this->keep($event, $reason, 0);
            }
            return;
        }
        if (!$this->settings->isConfigured()) {
            foreach ($events as $event) {
                $this->keep($event, __('No hook secret is set.', 'tillsync-bridge'), 0);
            }
            return;
        }
        foreach ($events as $event) {
            if ($this->breaker->isOpen()) {
                $this->keep($event, $this->breaker->state()['reason'], 0);
                continue;
            }
            $answer = $this->sidecar->postHook($event->toJson());
            if ($answer->ok) {
                continue;
            }
            if ($answer->transient) {
                $this->breaker->trip($answer->error);
                $this->keep($event, $answer->error, 1);
                continue;
            }
            $this->keep($event, $answer->error, 1, time() + Outbox::backoff(1));
        }
    }

    /**
     * Under PHP-FPM, hands the visitor the response now: the outbox write and the HTTP call
     * below then cost the worker, not the checkout. The PHP process goes on until they are
     * done, so every event is still sent or kept before the request ends.
     */
    private function finishResponse(): void
    {
        // The visitor may close the connection now; the events must be kept all the same.
        ignore_user_abort(true);
        if (function_exists('fastcgi_finish_request')) {
            do_action(self::FINISHING_RESPONSE_ACTION);
            fastcgi_finish_request();
        }
    }

    private function keep(Event $event, string $error, int $attempts, ?int $nextAttemptAt = null): void
    {
        try {
            $this->outbox->add($event, $error, $attempts, $nextAttemptAt);
            OutboxDrain::ensureScheduled();
        } catch (\RuntimeException $failure) {
            // Last resort when the database refuses: the event is in the PHP error log, whole.
            error_log('Tillsync Bridge could not keep an event (' . $failure->getMessage() . '): ' . $event->toJson());
        }
    }
}
