<?php

/**
 * Class loader for the Tillsync\Bridge namespace (PSR-4, rooted at this folder).
 */

declare(strict_types=1);

spl_autoload_register(
    static function (string $class): void {
        $prefix = 'Tillsync\\Bridge\\';
        if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
            return;
        }
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_readable($file)) {
            require $file;
        }
    }
);
