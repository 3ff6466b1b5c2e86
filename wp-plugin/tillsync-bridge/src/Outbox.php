<?php

/**
 * Events the sidecar has not accepted yet, kept in a table until it does.
 *
 * Bounded only by disk: nothing is ever dropped from here except after a 2xx from the sidecar.
 */

declare(strict_types=1);

namespace Tillsync\Bridge;

defined('ABSPATH') || exit;

final class Outbox
{
    public const TABLE = 'tillsync_outbox';
    /** How long a drain run owns the rows it claimed (another run may take them after). */
    public const CLAIM_SECONDS = 120;

    /**
     * The table's full name with the site's prefix.
     */
    public function table(): string
    {
        global $wpdb;
        return $wpdb->prefix . self::TABLE;
    }

    /**
     * Creates or upgrades the table (dbDelta's formatting rules apply to this SQL).
     */
    public function createTable(): void
    {
        global $wpdb;
        require_once ABSPATH . 'wp-admin/includes/upgrade.php';
        $table = $this->table();
        $collate = $wpdb->get_charset_collate();
        dbDelta("CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_id varchar(100) NOT NULL,
  order_id bigint(20) unsigned NOT NULL,
  body longtext NOT NULL,
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  created_at bigint(20) unsigned NOT NULL,
  next_attempt_at bigint(20) unsigned NOT NULL,
  claim_token varchar(36) DEFAULT NULL,
  claimed_until bigint(20) unsigned NOT NULL DEFAULT 0,
  last_error text NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY event_id (event_id),
  KEY next_attempt_at (next_attempt_at)
) {$collate};");
    }

    /**
     * Drops the table (uninstall only).
     */
    public function dropTable(): void
    {
        global $wpdb;
        $wpdb->query('DROP TABLE IF EXISTS ' . $this->table()); // phpcs:ignore
    }

    /**
     * Keeps one event; throws when the database refuses, so the caller can log it loudly.
     */
    public function add(Event $event, string $error, int $attempts, ?int $nextAttemptAt = null): void
    {
        global $wpdb;
        $now = time();
        $table = $this->table();
        // $wpdb->insert() would first run SHOW FULL COLUMNS (about 3 ms, once per request) to
        // check charsets: on a checkout that is most of our cost. The body is ASCII JSON and
        // the error is made valid UTF-8 here, so that check has nothing to find.
        $wpdb->check_current_query = false;
        $inserted = $wpdb->query($wpdb->prepare(
            "INSERT INTO {$table} (event_id, order_id, body, attempts, created_at, next_attempt_at, last_error)
             VALUES (%s, %d, %s, %d, %d, %d, %s)", // phpcs:ignore
            $event->id,
            $event->orderId,
            $event->toJson(),
            $attempts,
            $now,
            $nextAttemptAt ?? $now,
            wp_check_invalid_utf8($error, true)
        ));
        if ($inserted !== 1) {
            throw new \RuntimeException('Outbox insert failed: ' . $wpdb->last_error);
        }
    }

    /**
     * Claims up to $limit due rows for this run and returns them, oldest first.
     *
     * @return list<array{id: int, event_id: string, order_id: int, body: string, attempts: int}>
     */
    public function claimDue(int $limit, ?int $now = null): array
    {
        global $wpdb;
        $now = $now ?? time();
        $token = wp_generate_uuid4();
        $table = $this->table();
        // One UPDATE claims atomically, so two overlapping cron runs never send the same row together.
        $wpdb->query($wpdb->prepare(
            "UPDATE {$table} SET claim_token = %s, claimed_until = %d
             WHERE next_attempt_at <= %d AND claimed_until < %d ORDER BY id LIMIT %d", // phpcs:ignore
            $token,
            $now + self::CLAIM_SECONDS,
            $now,
            $now,
            $limit
        ));
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT id, event_id, order_id, body, attempts FROM {$table} WHERE claim_token = %s ORDER BY id", // phpcs:ignore
            $token
        ), ARRAY_A);
        $claimed = [];
        foreach ((array) $rows as $row) {
            $claimed[] = [
                'id' => (int) $row['id'],
                'event_id' => (string) $row['event_id'],
                'order_id' => (int) $row['order_id'],
                'body' => (string) $row['body'],
                'attempts' => (int) $row['attempts'],
            ];
        }
        return $claimed;
    }

    /**
     * Forgets a row the sidecar accepted.
     */
    public function delete(int $id): void
    {
        global $wpdb;
        $wpdb->delete($this->table(), ['id' => $id], ['%d']);
    }

    /**
     * Gives a claimed row back after a failed attempt, due again at $nextAttemptAt.
     */
    public function release(int $id, string $error, int $nextAttemptAt): void
    {
        global $wpdb;
        $table = $this->table();
        $wpdb->query($wpdb->prepare(
            "UPDATE {$table} SET attempts = attempts + 1, last_error = %s, next_attempt_at = %d,
             claim_token = NULL, claimed_until = 0 WHERE id = %d", // phpcs:ignore
            $error,
            $nextAttemptAt,
            $id
        ));
    }

    /**
     * Gives claimed rows back untouched (a run stopped before trying them).
     *
     * @param list<int> $ids
     */
    public function unclaim(array $ids): void
    {
        global $wpdb;
        if ($ids === []) {
            return;
        }
        $table = $this->table();
        $list = implode(',', array_map('intval', $ids));
        $wpdb->query("UPDATE {$table} SET claim_token = NULL, claimed_until = 0 WHERE id IN ({$list})"); // phpcs:ignore
    }

    /**
     * Size, oldest event and latest error, for the settings page.
     *
     * @return array{size: int, oldest: ?int, last_error: string}
     */
    public function stats(): array
    {
        global $wpdb;
        $table = $this->table();
        $row = $wpdb->get_row("SELECT COUNT(*) AS size, MIN(created_at) AS oldest FROM {$table}", ARRAY_A); // phpcs:ignore
        $error = $wpdb->get_var(
            "SELECT last_error FROM {$table} WHERE last_error <> '' ORDER BY id DESC LIMIT 1" // phpcs:ignore
        );
        return [
            'size' => (int) ($row['size'] ?? 0),
            'oldest' => isset($row['oldest']) ? (int) $row['oldest'] : null,
            'last_error' => (string) $error,
        ];
    }

    /**
     * Retry delay after $attempts failed attempts of a row the sidecar refused (not for outages).
     */
    public static function backoff(int $attempts): int
    {
        return (int) min(3600, 30 * 2 ** max(0, min($attempts - 1, 10)));
    }
}
