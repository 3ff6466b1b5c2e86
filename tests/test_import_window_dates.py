"""`--since`/`--until`: dates are UTC days (until included) or ISO timestamps; the
window never goes past the connection; bad input is a usage error that changes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from history_cli import ledger_dump, tillsync
from sync_world import World

from agent.history.window import ImportWindow, WindowError

CONNECTED = datetime(2026, 6, 1, 12, 30, 15, tzinfo=UTC).timestamp() + 0.75


def test_days_and_timestamps():
    window = ImportWindow.build("2026-01-01", "2026-03-31", CONNECTED)
    assert window.since == datetime(2026, 1, 1, tzinfo=UTC)
    assert window.until == datetime(2026, 4, 1, tzinfo=UTC)  # the 31st included
    filters = window.filters()
    assert filters["after"] == datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert filters["before"] == window.until
    stamp = ImportWindow.build("2026-02-01T10:00:00+02:00", None, CONNECTED)
    assert stamp.since == datetime(2026, 2, 1, 8, tzinfo=UTC)


def test_the_window_ends_at_the_connection():
    window = ImportWindow.build(None, "2027-01-01", CONNECTED)
    assert window.until == datetime(2026, 6, 1, 12, 30, 15, tzinfo=UTC)
    assert "after" not in window.filters()


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("yesterday", None, "--since: 'yesterday' is not a date"),
        (None, "2026-13-01", "--until: '2026-13-01' is not a date"),
        ("2026-03-01", "2026-02-01", "is not before the end of the window"),
        ("2026-07-01", None, "(2026-06-01T12:30:15Z, the connection)"),
    ],
)
def test_bad_dates_are_refused(since, until, message):
    with pytest.raises(
        WindowError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        ImportWindow.build(since, until, CONNECTED)


def test_bad_date_is_a_usage_error_that_changes_nothing(world: World, tmp_path: Path):
    world.connect()
    before = ledger_dump()
    result = tillsync(
        world, tmp_path, "import-history", "--since", "last week", "--yes"
    )
    assert result.exit_code == 2
    assert "--since: 'last week' is not a date: use YYYY-MM-DD" in result.output
    assert ledger_dump() == before
