<?php

/**
 * The hook secret: 32 characters at least, as the sidecar requires; a shorter one is refused
 * with a settings error and the stored secret kept.
 */

declare(strict_types=1);

namespace Tillsync\Bridge\Tests;

use Tillsync\Bridge\Settings;

final class HookSecretNeeds32CharactersTest extends PluginTestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        require_once ABSPATH . 'wp-admin/includes/template.php'; // the Settings API, as options.php loads it
        global $wp_settings_errors;
        $wp_settings_errors = [];
    }

    public function testThirtyOneCharactersAreRefusedAndTheOldSecretKept(): void
    {
        $settings = $this->plugin()->settings;

        $this->assertSame(self::SECRET, $settings->sanitizeSecret(str_repeat('a', 31)));
        $this->assertSame(self::SECRET, $settings->sanitizeSecret('sixteen-chars-ok'));

        $errors = get_settings_errors(Settings::SECRET_OPTION);
        $this->assertSame(['tillsync_invalid_secret', 'tillsync_invalid_secret'], array_column($errors, 'code'));
        $this->assertStringContainsString('at least 32 characters', $errors[0]['message']);
    }

    public function testThirtyTwoCharactersAreAccepted(): void
    {
        $secret = str_repeat('b', 32);

        $this->assertSame($secret, $this->plugin()->settings->sanitizeSecret($secret));
        $this->assertSame([], get_settings_errors(Settings::SECRET_OPTION));
    }

    public function testLengthIsCountedInCharactersAsTheSidecarCountsThem(): void
    {
        $settings = $this->plugin()->settings;
        $accented = str_repeat('é', 32); // 64 bytes, 32 characters

        $this->assertSame($accented, $settings->sanitizeSecret($accented));
        $this->assertSame(self::SECRET, $settings->sanitizeSecret(str_repeat('é', 16))); // 32 bytes, 16 characters
    }
}
