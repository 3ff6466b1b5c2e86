<?php

/**
 * What the sidecar says, read once per page: status, the newest action of each kind,
 * the latest import, the backups (README "WP admin's API").
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Admin;

use Tillsync\Bridge\Settings;
use Tillsync\Bridge\Sidecar;
use Tillsync\Bridge\SidecarResponse;

defined('ABSPATH') || exit;

final class SidecarState
{
    private ?SidecarResponse $status = null;
    /** @var array<string, array<string, mixed>|null> */
    private array $latest = [];
    /** @var array<string, mixed>|null|false false until read */
    private array|null|false $import = false;
    /** @var array<string, mixed>|null|false false until read */
    private array|null|false $setup = false;

    public function __construct(private Sidecar $sidecar, private Settings $settings)
    {
    }

    /**
     * GET /status, once.
     */
    public function status(): SidecarResponse
    {
        return $this->status ??= $this->sidecar->status();
    }

    /**
     * Whether the sidecar answered a signed request (every tab's first guard).
     */
    public function answers(): bool
    {
        $status = $this->status();
        return $status->ok && is_array($status->data);
    }

    /**
     * One sentence saying why nothing can be shown: no secret, no answer, or the HTTP status.
     */
    public function problem(): string
    {
        if (!$this->settings->isConfigured()) {
            return __(
                'No hook secret is set, so nothing can be signed. Enter it on the Tillsync settings page.',
                'tillsync-bridge'
            );
        }
        $status = $this->status();
        if ($status->status === 0) {
            return sprintf(
                /* translators: %s: sidecar URL */
                __(
                    'The Tillsync sidecar does not answer at %s: start it (tillsync serve) or correct its URL on the '
                        . 'Connection tab; nothing here can be shown or done until it answers.',
                    'tillsync-bridge'
                ),
                $this->settings->sidecarUrl()
            );
        }
        return StatusPanel::problem($status) . ' ' . StatusPanel::hint($status->status);
    }

    /**
     * connected, disconnected or never_connected ('' when the sidecar did not answer).
     */
    public function connectionState(): string
    {
        $connection = $this->section('connection');
        return (string) ($connection['state'] ?? '');
    }

    public function connected(): bool
    {
        return $this->connectionState() === 'connected';
    }

    /**
     * A part of the status document (connection, counts, failures…), [] when absent.
     *
     * @return array<int|string, mixed>
     */
    public function section(string $name): array
    {
        $data = $this->answers() ? $this->status()->data : [];
        return is_array($data[$name] ?? null) ? $data[$name] : [];
    }

    /**
     * The newest action of $kind, or null (none yet, or the sidecar did not answer).
     *
     * @return array<string, mixed>|null
     */
    public function latest(string $kind): ?array
    {
        if (!array_key_exists($kind, $this->latest)) {
            $answer = $this->sidecar->latestAction($kind);
            $action = $answer->ok ? ($answer->data['action'] ?? null) : null;
            $this->latest[$kind] = is_array($action) ? $action : null;
        }
        return $this->latest[$kind];
    }

    /**
     * One action by id, or null.
     *
     * @return array<string, mixed>|null
     */
    public function action(int $actionId): ?array
    {
        $answer = $this->sidecar->action($actionId);
        $action = $answer->ok ? ($answer->data['action'] ?? null) : null;
        return is_array($action) ? $action : null;
    }

    /**
     * The newest action among $kinds (the one the tab's result shows).
     *
     * @param list<string> $kinds
     * @return array<string, mixed>|null
     */
    public function newest(array $kinds): ?array
    {
        $newest = null;
        foreach ($kinds as $kind) {
            $action = $this->latest($kind);
            if ($action !== null && ($newest === null || (int) $action['id'] > (int) $newest['id'])) {
                $newest = $action;
            }
        }
        return $newest;
    }

    /**
     * The finished result of the newest $preview when it is newer than the newest $then:
     * what a confirmation is built from; null when there is nothing to confirm.
     *
     * @return array{0: array<string, mixed>, 1: array<string, mixed>}|null action and result
     */
    public function previewToConfirm(string $preview, string $then): ?array
    {
        $shown = $this->latest($preview);
        $after = $this->latest($then);
        if ($shown === null || ($shown['state'] ?? '') !== 'done' || !is_array($shown['result'] ?? null)) {
            return null;
        }
        if ($after !== null && (int) $after['id'] > (int) $shown['id']) {
            return null;
        }
        return [$shown, $shown['result']];
    }

    /**
     * GET /admin/setup, once: credentials (source and fingerprint), oauth_authorize_url,
     * connection; null when the sidecar did not answer.
     *
     * @return array<string, mixed>|null
     */
    public function setup(): ?array
    {
        if ($this->setup === false) {
            $answer = $this->sidecar->setup();
            $this->setup = $answer->ok && is_array($answer->data) ? $answer->data : null;
        }
        return $this->setup;
    }

    /**
     * Where one credential comes from: environment, wp-admin, or null (not given).
     */
    public function credentialSource(string $field): ?string
    {
        $setup = $this->setup();
        $shown = $setup['credentials'][$field] ?? null;
        $source = is_array($shown) ? ($shown['source'] ?? null) : null;
        return is_string($source) ? $source : null;
    }

    /**
     * GET /admin/import: the latest import, or null.
     *
     * @return array<string, mixed>|null
     */
    public function importProgress(): ?array
    {
        if ($this->import === false) {
            $answer = $this->sidecar->importProgress();
            $import = $answer->ok ? ($answer->data['import'] ?? null) : null;
            $this->import = is_array($import) ? $import : null;
        }
        return $this->import;
    }

    /**
     * GET /admin/backups, newest first.
     *
     * @return list<array<string, mixed>>
     */
    public function backups(): array
    {
        $answer = $this->sidecar->backups();
        $list = $answer->ok && is_array($answer->data['backups'] ?? null) ? $answer->data['backups'] : [];
        return array_values(array_filter($list, 'is_array'));
    }
}
