"""A `postgresql://` or `mysql://` ledger whose Python driver is not installed stops with
one line naming the extra that installs it (`pip install '.[postgres]'`), not peewee's
"driver not installed" at the first query; the README names both extras (README,
"Settings"). The missing module is simulated with a None entry in `sys.modules`, which
makes its import fail as if it were not installed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.cli import main
from agent.ledger.db import DRIVERS, DriverMissing, open_database, require_driver

README = Path(__file__).resolve().parents[1] / "README.md"
URLS = {
    "postgresql": "postgresql://tillsync@127.0.0.1:1/ledger",
    "mysql": "mysql://tillsync@127.0.0.1:1/ledger",
}


def without_driver(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    for module in DRIVERS[kind][0]:
        monkeypatch.setitem(sys.modules, module, None)


@pytest.mark.parametrize(
    ("kind", "extra"), [("postgresql", "postgres"), ("mysql", "mysql")]
)
def test_opening_the_database_names_the_extra(monkeypatch, kind, extra):
    without_driver(monkeypatch, kind)

    with pytest.raises(DriverMissing) as error:
        open_database(URLS[kind])

    message = str(error.value)
    assert f"a {kind}:// ledger needs the {DRIVERS[kind][0][0]} driver" in message
    assert f"pip install 'tillsync[{extra}]'" in message
    assert f"pip install '.[{extra}]'" in message


def test_a_command_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch, unconfigured: Path
) -> None:
    without_driver(monkeypatch, "postgresql")
    env = {"TILLSYNC_DATABASE_URL": URLS["postgresql"]}

    result = CliRunner().invoke(main, ["status"], env=env)

    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(
        "tillsync: cannot open the ledger at TILLSYNC_DATABASE_URL: "
    )
    assert "pip install 'tillsync[postgres]'" in line


def test_installed_drivers_pass():
    # The test environment installs both extras (scripts/test).
    for kind in DRIVERS:
        require_driver(kind)


def test_the_readme_names_both_extras():
    readme = README.read_text(encoding="utf-8")
    for _, extra in DRIVERS.values():
        assert f"pip install '.[{extra}]'" in readme
