"""The plugin's PHP: `php -l` on every file and the repo's phpcs ruleset (PSR-12 base), clean."""

from __future__ import annotations

import subprocess

import pytest
from wp_site import HERE, PLUGIN_SOURCE, REPO

pytestmark = pytest.mark.wordpress


@pytest.mark.parametrize(
    "path",
    sorted(PLUGIN_SOURCE.rglob("*.php")) + sorted(HERE.rglob("*.php")),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_php_lint(path) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        ["php", "-l", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_phpcs_ruleset_is_clean() -> None:
    done = subprocess.run(
        [
            "phpcs",
            "--standard=wp-plugin/phpcs.xml",
            "--report=full",
            "wp-plugin/tillsync-bridge",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_php_file_declares_strict_types_and_the_namespace() -> None:
    for path in PLUGIN_SOURCE.rglob("*.php"):
        text = path.read_text()
        assert "declare(strict_types=1);" in text, path
        if path.parent.name in ("src", "Admin") and path.name != "autoload.php":
            assert "namespace Tillsync\\Bridge" in text, path


def test_no_wp_safe_remote_post_and_no_disabled_tls() -> None:
    for path in PLUGIN_SOURCE.rglob("*.php"):
        text = path.read_text()
        assert "wp_safe_remote_post(" not in text, path
        assert "sslverify" not in text, path
