"""`tillsync --version` prints the version the installed package declares."""

from __future__ import annotations

from importlib.metadata import version

from click.testing import CliRunner

from agent.cli import main


def test_version_is_the_package_metadata_version():
    result = CliRunner().invoke(main, ["--version"])

    assert result.exit_code == 0, result.output
    assert result.output == f"tillsync {version('tillsync')}\n"
