"""`tillsync status` on a first run says plainly what is missing and what to do next
(README, "Settings"): every missing POS and WooCommerce setting at once, or the
connection still to make — in the `setup` key of `--json`, every other key kept, and in
the text form. Once everything is set and connected it says nothing more."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from conftest import signed_get

from agent.cli import main
from agent.ledger.db import ledger_db
from agent.ledger.epochs import close_epoch, open_epoch

EVERY_SETTING_MISSING = [
    "TILLSYNC_POS_DOMAIN_PREFIX (or TILLSYNC_POS_BASE_URL)",
    (
        "TILLSYNC_POS_TOKEN (or TILLSYNC_POS_CLIENT_ID, TILLSYNC_POS_CLIENT_SECRET and "
        "TILLSYNC_POS_REFRESH_TOKEN)"
    ),
    "TILLSYNC_WC_URL",
    "TILLSYNC_WC_KEY",
    "TILLSYNC_WC_SECRET",
]
CONFIGURED = {
    "TILLSYNC_POS_DOMAIN_PREFIX": "mugshop",
    "TILLSYNC_POS_TOKEN": "pos-token-for-status",
    "TILLSYNC_WC_URL": "https://shop.example",
    "TILLSYNC_WC_KEY": "ck_status",
    "TILLSYNC_WC_SECRET": "cs_status",
}
# The keys the status document had before `setup` (README, "Commands").
EARLIER_KEYS = {
    "connection",
    "counts",
    "epochs",
    "last_push_at",
    "rate_limit",
    "failures",
    "push_stopped",
    "poll",
    "stock",
}


def status(env: dict[str, str], *args: str) -> Any:
    ledger_db.close()  # the command opens the ledger itself, as in production
    result = CliRunner().invoke(main, ["status", *args], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if args == ("--json",) else result.stdout


def test_nothing_set_lists_every_missing_setting_at_once(first_run):
    document = status(first_run, "--json")

    assert set(document) >= EARLIER_KEYS
    assert document["connection"]["state"] == "never_connected"
    assert document["setup"]["missing"] == EVERY_SETTING_MISSING
    next_step = document["setup"]["next_step"]
    assert "set the missing settings" in next_step
    assert "tillsync connect" in next_step

    text = status(first_run)
    lines = text.splitlines()
    assert lines[0] == "connection: never_connected"
    assert lines[1].startswith("settings missing — nothing can be sent to the POS")
    assert lines[2 : 2 + len(EVERY_SETTING_MISSING)] == [
        f"  {name}" for name in EVERY_SETTING_MISSING
    ]
    assert f"next: {next_step}" in lines


def test_only_what_is_missing_is_listed(first_run):
    env = {
        **first_run,
        "TILLSYNC_POS_BASE_URL": "http://127.0.0.1:9/pos",
        "TILLSYNC_POS_CLIENT_ID": "client-1",  # OAuth chosen: its secret is missing
        "TILLSYNC_WC_URL": "https://shop.example",
    }
    missing = status(env, "--json")["setup"]["missing"]
    assert missing == [
        "TILLSYNC_POS_CLIENT_SECRET",
        "TILLSYNC_WC_KEY",
        "TILLSYNC_WC_SECRET",
    ]


def test_settings_set_but_never_connected_says_to_connect(first_run):
    setup = status({**first_run, **CONFIGURED}, "--json")["setup"]
    assert setup["missing"] == []
    assert setup["next_step"].startswith("run `tillsync connect`")
    assert "tillsync import-history" in setup["next_step"]
    text = status({**first_run, **CONFIGURED})
    assert "settings missing" not in text
    assert "next: run `tillsync connect`" in text


def test_connected_with_every_setting_says_nothing_more(first_run):
    open_epoch("mugshop", "reg-1", "outlet-1")
    setup = status({**first_run, **CONFIGURED}, "--json")["setup"]
    assert setup == {"missing": [], "next_step": None}
    assert "next:" not in status({**first_run, **CONFIGURED})


def test_connected_without_settings_says_nothing_is_pushed(first_run):
    open_epoch("mugshop", "reg-1", "outlet-1")
    setup = status(first_run, "--json")["setup"]
    assert setup["missing"] == EVERY_SETTING_MISSING
    assert (
        "restart `tillsync serve`: nothing is pushed until then" in setup["next_step"]
    )


def test_disconnected_says_to_connect_again(first_run):
    open_epoch("mugshop", "reg-1", "outlet-1")
    close_epoch()
    setup = status({**first_run, **CONFIGURED}, "--json")["setup"]
    assert setup["missing"] == []
    assert setup["next_step"].startswith("run `tillsync connect` to send orders again")


def test_the_signed_status_endpoint_carries_the_same_setup(client):
    answer = signed_get(client, "/status")
    assert answer.status_code == 200
    assert answer.get_json()["setup"]["missing"] == EVERY_SETTING_MISSING
