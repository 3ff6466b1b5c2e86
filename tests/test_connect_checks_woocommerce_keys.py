"""`tillsync connect` checks the WooCommerce keys with one cheap read: keys WooCommerce
refuses stop it (exit 1, one line naming the variables, no epoch opened); a store that
does not answer is a warning and connect goes on; no WooCommerce settings, as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sync_world import TOKEN
from woo_sites import closed_port_url, plain_permalinks_site

from agent.cli import main
from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.db import ledger_db, open_ledger
from agent.ledger.models import Epoch

KEY, SECRET = "ck_connect_probe_key_41", "cs_connect_probe_secret_93"


@pytest.fixture
def pos() -> Iterator[PosEmulator]:
    with PosEmulator(TOKEN, seed=3, window=1.0) as emulator:
        yield emulator


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=1, orders=1, seed=3) as emulator:
        yield emulator


def connect(tmp_path: Path, pos: PosEmulator, **woo: str) -> Result:
    env = {
        "TILLSYNC_DATA_DIR": str(tmp_path),
        "TILLSYNC_POS_RATE_WINDOW": "1",
        "TILLSYNC_POS_BASE_URL": pos.base_url,
        "TILLSYNC_POS_TOKEN": TOKEN,
        # Unset unless the test gives it (the runner removes None values).
        "TILLSYNC_WC_URL": None,
        "TILLSYNC_WC_KEY": None,
        "TILLSYNC_WC_SECRET": None,
        **woo,
    }
    return CliRunner().invoke(main, ["connect"], env=env)


def woo_settings(store: WooEmulator, **changes: str) -> dict[str, str]:
    return {
        "TILLSYNC_WC_URL": store.base_url,
        "TILLSYNC_WC_KEY": KEY,
        "TILLSYNC_WC_SECRET": SECRET,
        **changes,
    }


def epochs(tmp_path: Path) -> int:
    db = open_ledger(f"sqlite:///{tmp_path}/ledger.db")
    try:
        return Epoch.select().count()
    finally:
        db.close()
        ledger_db.initialize(None)


def lines(result: Result) -> list[str]:
    return result.output.strip().splitlines()


def key_checks(store: WooEmulator) -> list[dict[str, object]]:
    return [r for r in store.request_log if r["path"] == "/wp-json/wc/v3/orders"]


def test_good_keys_are_checked_with_one_read(
    tmp_path: Path, pos: PosEmulator, store: WooEmulator
) -> None:
    result = connect(tmp_path, pos, **woo_settings(store))
    assert result.exit_code == 0, result.output
    assert [line for line in lines(result) if "warning" in line] == []
    (check,) = key_checks(store)
    assert check["method"] == "GET" and check["status"] == 200
    assert check["query"] == {"per_page": "1", "_fields": "id"}
    assert epochs(tmp_path) == 1


@pytest.mark.parametrize(
    "changes",
    [{"TILLSYNC_WC_SECRET": "cs_wrong_secret"}, {"TILLSYNC_WC_KEY": "ck_wrong_key"}],
    ids=["wrong secret", "wrong key"],
)
def test_refused_keys_stop_connect_naming_the_variables(
    tmp_path: Path, pos: PosEmulator, store: WooEmulator, changes: dict[str, str]
) -> None:
    result = connect(tmp_path, pos, **woo_settings(store, **changes))
    assert result.exit_code == 1
    (line,) = lines(result)
    assert "WooCommerce refused" in line
    assert "TILLSYNC_WC_KEY" in line and "TILLSYNC_WC_SECRET" in line
    assert "401" in line
    for secret in (KEY, SECRET, *changes.values()):
        assert secret not in result.output
    assert epochs(tmp_path) == 0


def test_a_url_that_is_no_woocommerce_api_stops_connect(
    tmp_path: Path, pos: PosEmulator, store: WooEmulator
) -> None:
    result = connect(
        tmp_path,
        pos,
        **woo_settings(store, TILLSYNC_WC_URL=store.base_url + "/blog"),
    )
    assert result.exit_code == 1
    (line,) = lines(result)
    assert "TILLSYNC_WC_URL" in line and "404" in line
    assert epochs(tmp_path) == 0


def test_a_site_with_plain_permalinks_stops_connect(
    tmp_path: Path, pos: PosEmulator, store: WooEmulator
) -> None:
    with plain_permalinks_site() as site:
        result = connect(tmp_path, pos, **woo_settings(store, TILLSYNC_WC_URL=site))
    assert result.exit_code == 1
    (line,) = lines(result)
    assert "TILLSYNC_WC_URL" in line and "permalinks" in line
    assert KEY not in line and "oauth_" not in line
    assert epochs(tmp_path) == 0


def test_an_unreachable_store_is_a_warning(
    tmp_path: Path, pos: PosEmulator, store: WooEmulator
) -> None:
    result = connect(
        tmp_path, pos, **woo_settings(store, TILLSYNC_WC_URL=closed_port_url())
    )
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in lines(result) if "warning" in line]
    assert "WooCommerce did not answer" in warning
    assert "connecting anyway" in warning
    assert KEY not in result.output and "oauth_" not in result.output
    assert lines(result)[-1].startswith("connected to ")
    assert epochs(tmp_path) == 1


def test_a_failing_store_is_a_warning(
    tmp_path: Path, pos: PosEmulator, store: WooEmulator
) -> None:
    store.set_faults(fault_5xx=1.0, status_5xx=500)
    result = connect(tmp_path, pos, **woo_settings(store))
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in lines(result) if "warning" in line]
    assert "WooCommerce did not answer" in warning and "500" in warning
    assert len(key_checks(store)) == 1  # one read, not retried
    assert epochs(tmp_path) == 1


def test_without_woocommerce_settings_connect_is_as_before(
    tmp_path: Path, pos: PosEmulator
) -> None:
    result = connect(tmp_path, pos)
    assert result.exit_code == 0, result.output
    (line,) = lines(result)
    assert line.startswith("connected to ")
    assert epochs(tmp_path) == 1


def test_a_missing_key_is_a_warning_naming_it(
    tmp_path: Path, pos: PosEmulator, store: WooEmulator
) -> None:
    settings = woo_settings(store)
    del settings["TILLSYNC_WC_KEY"]
    result = connect(tmp_path, pos, **settings)
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in lines(result) if "warning" in line]
    assert "TILLSYNC_WC_KEY is not set" in warning
    assert key_checks(store) == []
    assert epochs(tmp_path) == 1
