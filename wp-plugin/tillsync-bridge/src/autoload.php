<?php

/**
 * Class loader for the Tillsync\Bridge namespace, from the fixed map in classmap.php.
 */

declare(strict_types=1);

defined('ABSPATH') || exit;

// A closure keeps $map out of the global scope this file is included in.
(static function (): void {
    /** @var array<string, string> $map */
    $map = require __DIR__ . '/classmap.php';
    spl_autoload_register(
        static function (string $class) use ($map): void {
            if (isset($map[$class])) {
                require __DIR__ . '/' . $map[$class];
            }
        }
    );
})();
