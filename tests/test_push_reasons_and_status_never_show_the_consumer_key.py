"""A push pass that fails on WooCommerce records why (the order's reason, or why the pass
stopped) without the consumer key or secret: not in the ledger, the logs,
`tillsync status --json`, `tillsync orders --json`, nor the `/status` document.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peewee
import pytest
from click.testing import CliRunner
from conftest import HOOK_SECRET
from sync_world import TOKEN
from woo_sites import closed_port_url, plain_permalinks_site

from agent.cli import main
from agent.clients import pos_client, pos_identity
from agent.connection.connect import connect
from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.db import ledger_db
from agent.ledger.events import HookEvent, record_hook
from agent.ledger.models import Order
from agent.settings import Settings
from agent.sync.runner import build_pusher
from agent.web.signing import signed_headers

KEY, SECRET = "ck_passprobe_key_81c3", "cs_passprobe_secret_d05e"
ORDER_ID = 4242


@pytest.fixture
def pos() -> Iterator[PosEmulator]:
    with PosEmulator(TOKEN, seed=1, window=1.0) as emulator:
        yield emulator


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=1, seed=2) as emulator:
        yield emulator


@pytest.fixture
def home_page_site() -> Iterator[str]:
    with plain_permalinks_site() as url:
        yield url


# Each way of failing: (WooCommerce URL, consumer secret) for a store set up so.
Setup = Callable[[WooEmulator, str], tuple[str, str]]


def store_down(store: WooEmulator, site: str) -> tuple[str, str]:
    return closed_port_url(), SECRET


def store_failing(store: WooEmulator, site: str) -> tuple[str, str]:
    store.set_faults(fault_5xx=1.0, status_5xx=500)
    return store.base_url, SECRET


def wrong_secret(store: WooEmulator, site: str) -> tuple[str, str]:
    return store.base_url, "cs_not_the_one"


def plain_permalinks(store: WooEmulator, site: str) -> tuple[str, str]:
    return site, SECRET


SETUPS: list[Setup] = [store_down, store_failing, wrong_secret, plain_permalinks]


def environment(
    tmp_path: Path, database_url: str, pos: PosEmulator, wc_url: str, secret: str
) -> dict[str, str]:
    return {
        "TILLSYNC_DATA_DIR": str(tmp_path / "data"),
        "TILLSYNC_DATABASE_URL": database_url,
        "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
        "TILLSYNC_POS_BASE_URL": pos.base_url,
        "TILLSYNC_POS_TOKEN": TOKEN,
        "TILLSYNC_POS_RATE_WINDOW": "1",
        "TILLSYNC_WC_URL": wc_url,
        "TILLSYNC_WC_KEY": KEY,
        "TILLSYNC_WC_SECRET": secret,
    }


def cli(env: dict[str, str], *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def status_over_http(env: dict[str, str]) -> str:
    from agent.web import create_app

    app = create_app(env)
    app.config["TESTING"] = True
    answer = app.test_client().get(
        "/status", headers=signed_headers(HOOK_SECRET, "GET", "/status")
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_data(as_text=True)


@pytest.mark.parametrize("setup", SETUPS, ids=[s.__name__ for s in SETUPS])
def test_the_failure_is_recorded_without_the_key(
    setup: Setup,
    ledger: peewee.Database,
    database_url: str,
    tmp_path: Path,
    pos: PosEmulator,
    store: WooEmulator,
    home_page_site: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wc_url, secret = setup(store, home_page_site)
    env = environment(tmp_path, database_url, pos, wc_url, secret)
    settings = Settings.from_mapping(env)
    connect(pos_client(settings), pos_identity(settings))
    record_hook(
        HookEvent(
            f"evt-{uuid.uuid4()}",
            "order.created",
            ORDER_ID,
            time.time(),
            ("order.created",),
            None,
        )
    )
    caplog.set_level(logging.DEBUG)

    report = build_pusher(settings).run_pass()

    order = Order.get(Order.order_id == ORDER_ID)
    assert order.state != "sent"
    # Something says why, and it names WooCommerce (the check below is not vacuous).
    why = " ".join(filter(None, [order.reason, report.stopped]))
    assert "WooCommerce" in why, why
    ledger_db.close()
    outputs = [
        why,
        caplog.text,
        json.dumps(cli(env, "status", "--json")),
        json.dumps(cli(env, "orders", "--json")),
        status_over_http(env),
    ]
    for text in outputs:
        assert KEY not in text
        assert secret not in text
    assert "/wp-json/wc/v3/" in caplog.text  # the requests were logged, scrubbed
