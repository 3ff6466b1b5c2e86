<?php

/**
 * A failed action says why in the merchant's language and in WP admin's words when the
 * sidecar sends a code the plugin words itself (with its numbers in the merchant's locale);
 * any other failure is shown as the sidecar wrote it.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Admin\ActionResult;

final class ActionFailuresInTheMerchantsLanguageTest extends PluginTestCase
{
    /**
     * @param array<string, mixed> $failure
     */
    private static function shown(array $failure): string
    {
        $action = ['id' => 7, 'kind' => 'restore-preview', 'state' => 'error', 'result' => null] + $failure;
        ob_start();
        ActionResult::render($action, null, static function (): void {
        });
        return (string) ob_get_clean();
    }

    private const UNDONE = [
        'error' => 'the import of backup 1200 was already undone (2026-12-06T10:00:00Z): doing it again would '
            . 'add the stock twice',
        'error_code' => 'already_undone',
        'error_details' => ['backup_id' => 1200],
    ];

    public function testACodedFailureInWpAdminsWords(): void
    {
        $page = self::shown(self::UNDONE);

        $this->assertStringContainsString('data-state="error"', $page);
        $this->assertStringContainsString(
            'The import of backup 1,200 was already undone: doing it again would add the stock twice.',
            $page
        );
    }

    public function testACodedFailureInFrench(): void
    {
        $page = $this->inFrench(static fn (): string => self::shown(self::UNDONE));

        $this->assertStringContainsString('L’import de la sauvegarde 1', $page);
        $this->assertStringContainsString('a déjà été annulé : le refaire ajouterait le stock deux fois.', $page);
        $this->assertStringNotContainsString('already undone', $page);
    }

    public function testAConnectFailureNamesWhatTheSidecarNamedEscaped(): void
    {
        $page = self::shown([
            'error' => "the POS has no register '<b>7</b>'; its registers are: r1 (Front)",
            'error_code' => 'no_such_register',
            'error_details' => ['register_id' => '<b>7</b>'],
        ]);

        $this->assertStringContainsString(
            'The POS has no register &lt;b&gt;7&lt;/b&gt;: choose one from the list again.',
            $page
        );
        $this->assertStringNotContainsString('<b>7', $page);
    }

    public function testAnyOtherFailureAsTheSidecarWroteIt(): void
    {
        $page = self::shown([
            'error' => 'the POS refused: HTTP 422 register is closed',
            'error_code' => 'pos_refused',
            'error_details' => [],
        ]);

        $this->assertStringContainsString('the POS refused: HTTP 422 register is closed', $page);
    }

    public function testASidecarOlderThanTheCodes(): void
    {
        $page = self::shown(['error' => 'there is no backup 9']);

        $this->assertStringContainsString('there is no backup 9', $page);
    }
}
