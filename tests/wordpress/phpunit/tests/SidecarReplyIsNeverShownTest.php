<?php

/**
 * "Test connection", the status panel and the order box tell what happened in fixed sentences
 * of their own (connected / the HTTP status / could not connect): the far end's body and
 * reason phrase never reach the page, so the settings cannot be used to read another service.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Admin\Notices;
use Tillsync\Bridge\Admin\OrderBox;
use Tillsync\Bridge\Admin\SettingsPage;
use Tillsync\Bridge\Admin\StatusPanel;
use Tillsync\Bridge\Settings;

final class SidecarReplyIsNeverShownTest extends PluginTestCase
{
    private const BODY_MARKER = 'REMOTE-BODY-9f1c';
    private const REASON_MARKER = 'REMOTE-REASON-77ad';

    /**
     * An answer whose body and reason phrase both carry something that must not be shown.
     *
     * @return array<string, mixed>
     */
    private static function reply(int $status): array
    {
        $answer = self::answer($status, [
            'error' => self::BODY_MARKER,
            'message' => self::BODY_MARKER,
            'counts' => ['pending' => 3],
        ]);
        $answer['response']['message'] = self::REASON_MARKER;
        return $answer;
    }

    private function panel(): StatusPanel
    {
        $plugin = $this->plugin();
        return new StatusPanel($plugin->sidecar, $plugin->outbox, $plugin->breaker, $plugin->settings);
    }

    private function page(): SettingsPage
    {
        $plugin = $this->plugin();
        return new SettingsPage($plugin->settings, $plugin->sidecar, new Notices());
    }

    public function testConnectedIsOneFixedSentence(): void
    {
        $this->defaultAnswer = self::reply(200);

        $this->assertSame(
            ['success', 'Connected: the sidecar at ' . self::SIDECAR . ' accepted the signed request.'],
            $this->page()->testConnection()
        );
        $this->assertStringEndsWith('/status', $this->requests[0]['url']);
    }

    /**
     * @dataProvider refusals
     */
    public function testAnAnswerIsToldByItsStatusOnly(int $status, string $hint): void
    {
        $this->defaultAnswer = self::reply($status);

        [$type, $message] = $this->page()->testConnection();

        $this->assertSame('error', $type);
        $this->assertSame(
            'Test connection failed: the sidecar at ' . self::SIDECAR . " answered HTTP {$status}. " . $hint,
            $message
        );
    }

    /**
     * @return array<string, array{int, string}>
     */
    public function refusals(): array
    {
        $readme = 'See "Troubleshooting" in the Tillsync README.';
        return [
            'redirect' => [302, $readme],
            'bad signature' => [401, 'The secret here differs from the sidecar\'s, or this server\'s clock is off by '
                . 'more than 5 minutes.'],
            'not found' => [404, $readme],
            'server error' => [500, $readme],
        ];
    }

    public function testNoAnswerIsCouldNotConnect(): void
    {
        $this->defaultAnswer = self::refused();

        [$type, $message] = $this->page()->testConnection();

        $this->assertSame('error', $type);
        $this->assertStringStartsWith(
            'Test connection failed: could not connect to the sidecar at ' . self::SIDECAR . '. ',
            $message
        );
        $this->assertStringNotContainsString('cURL', $message);
    }

    public function testNoSecretSendsNothingAndSaysSo(): void
    {
        update_option(Settings::SECRET_OPTION, '');

        [$type, $message] = $this->page()->testConnection();

        $this->assertSame('error', $type);
        $this->assertStringStartsWith('No hook secret is set', $message);
        $this->assertSame([], $this->requests);
    }

    public function testStatusPanelShowsTheStatusNotTheReply(): void
    {
        $this->defaultAnswer = self::reply(403);

        ob_start();
        $this->panel()->render();
        $html = (string) ob_get_clean();

        $this->assertStringContainsString('The sidecar answered HTTP 403.', $html);
        $this->assertStringNotContainsString(self::BODY_MARKER, $html);
        $this->assertStringNotContainsString(self::REASON_MARKER, $html);
    }

    public function testOrderBoxAndRetryShowTheStatusNotTheReply(): void
    {
        $order = $this->newOrder();
        $this->defaultAnswer = self::reply(418);

        ob_start();
        (new OrderBox($this->plugin()->sidecar, new Notices()))->render($order);
        $html = (string) ob_get_clean();

        $this->assertStringContainsString('Could not read the state from the sidecar: The sidecar answered HTTP 418.', $html);
        $this->assertStringNotContainsString(self::BODY_MARKER, $html);
        $this->assertStringNotContainsString(self::REASON_MARKER, $html);
        $this->assertSame('The sidecar answered HTTP 418.', StatusPanel::problem($this->plugin()->sidecar->retry(1)));
    }
}
