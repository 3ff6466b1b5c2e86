"""A command missing a setting it needs stops before it touches the data dir: one line
on stderr naming the variable, exit status 1, no ledger created (README, "Commands").

Every command starts from `agent.command_env.start()`, which checks the settings and
builds the clients before it opens the ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.cli import main

# command → the variable its one line must name when nothing is configured
COMMANDS = {
    ("connect",): "TILLSYNC_POS_DOMAIN_PREFIX",
    ("backup",): "TILLSYNC_POS_DOMAIN_PREFIX",
    ("restore-stock", "1", "--yes"): "TILLSYNC_POS_DOMAIN_PREFIX",
    ("import-history", "--yes"): "TILLSYNC_POS_DOMAIN_PREFIX",
    ("reconcile",): "TILLSYNC_WC_URL",
}


@pytest.mark.parametrize("args", list(COMMANDS), ids=" ".join)
def test_a_missing_setting_is_one_line_and_no_ledger(
    unconfigured: Path, args: tuple[str, ...]
):
    result = CliRunner().invoke(main, list(args))

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tillsync: ")
    assert COMMANDS[args] in lines[0]
    assert not unconfigured.exists()
