"""Every PHP file of the plugin stops at once when it is run or included outside WordPress.

A web server that serves the plugin folder lets anyone request `src/Settings.php` directly;
WordPress' convention is that such a file does nothing (`defined('ABSPATH') || exit;`, or
the uninstall script's WP_UNINSTALL_PLUGIN check). Seen from outside: including the file
ends the script, so nothing after the include runs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from wp_site import PLUGIN_SOURCE, REPO

pytestmark = pytest.mark.wordpress

PHP_FILES = sorted(PLUGIN_SOURCE.rglob("*.php"))
AFTER_THE_INCLUDE = "the script went on past the include"


@pytest.mark.parametrize(
    "path", PHP_FILES, ids=lambda p: str(p.relative_to(PLUGIN_SOURCE))
)
def test_including_the_file_without_wordpress_ends_the_script(path: Path) -> None:
    done = subprocess.run(
        ["php", "-r", f"require '{path}'; echo '{AFTER_THE_INCLUDE}';"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""


@pytest.mark.parametrize(
    "path",
    [p for p in PHP_FILES if p.parent.name in ("src", "Admin")],
    ids=lambda p: str(p.relative_to(PLUGIN_SOURCE)),
)
def test_the_guard_is_the_first_statement_after_declare_and_namespace(
    path: Path,
) -> None:
    """Right after the file's header (PSR-12's order), before its class or code."""
    header = ("<?php", "/**", " *", " */", "//", "declare(", "namespace ", "use ")
    statements = [
        line
        for line in path.read_text().splitlines()
        if line and not line.startswith(header)
    ]
    assert statements[0] == "defined('ABSPATH') || exit;", path
