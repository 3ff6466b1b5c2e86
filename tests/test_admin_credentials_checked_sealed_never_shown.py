"""Credentials given in WP admin: checked against the POS and WooCommerce before they
are used (a wrong one changes nothing), sealed in the ledger, never sent back (a
fingerprint only), and never used where the host set the variable. A running
scheduler picks them up without a restart."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from admin_api import Admin, admin_env
from conftest import signed_json
from processes import start_tillsync, stop
from sync_world import KEY, SECRET, TOKEN, World

from agent.emulators.pos import PosEmulator
from agent.emulators.woo import WooEmulator
from agent.ledger.admin_credentials import candidates, in_use
from agent.ledger.db import ledger_db
from agent.settings import Settings

HOST_ONLY = (
    "TILLSYNC_POS_TOKEN",
    "TILLSYNC_WC_URL",
    "TILLSYNC_WC_KEY",
    "TILLSYNC_WC_SECRET",
)


def bare_env(world: World, data_dir: Path) -> dict[str, str]:
    """The host set the POS address only: the rest comes from WP admin."""
    env = admin_env(world, data_dir)
    for name in HOST_ONLY:
        del env[name]
    return env


def give(admin: Admin, **values: str) -> tuple[int, dict[str, Any]]:
    body = {
        "values": values,
        "request_id": uuid.uuid4().hex,
        "send_id": uuid.uuid4().hex,
    }
    raw, headers = signed_json("/admin/credentials", body)
    answer = admin.client.post("/admin/credentials", data=raw, headers=headers)
    return answer.status_code, answer.get_json()


def checked(admin: Admin, **values: str) -> dict[str, Any]:
    status, answer = give(admin, **values)
    assert status == 202, answer
    admin.runner.run_pending()
    return admin.action(answer["action"]["id"])


def raw_credentials() -> str:
    cursor = ledger_db.execute_sql("SELECT name, value FROM credential")
    return repr(cursor.fetchall())


@pytest.fixture
def admin(world: World, tmp_path: Path) -> Admin:
    return Admin(bare_env(world, tmp_path / "data"))


def test_a_wrong_token_changes_nothing_and_a_right_one_is_used(
    world: World, admin: Admin
):
    host = Settings.from_mapping(admin.env)
    wrong = checked(admin, pos_token="not-the-token")
    assert wrong["state"] == "error"
    assert wrong["error"].startswith("the POS refused the credentials")
    assert in_use(host) == {} and candidates(host) == {}
    assert admin.get("/admin/setup")["credentials"]["pos_token"] == {
        "source": None,
        "value": None,
    }

    right = checked(admin, pos_token=TOKEN)
    assert right["state"] == "done", right
    assert right["result"] == {
        "accepted": ["pos_token"],
        "oauth": False,
        "registers": 1,
    }
    shown = admin.get("/admin/setup")["credentials"]["pos_token"]
    assert shown["source"] == "wp-admin" and shown["value"] != TOKEN
    assert TOKEN not in repr(admin.get("/admin/setup"))
    assert TOKEN not in raw_credentials(), "kept in clear"
    assert TOKEN not in repr(admin.action(right["id"]))

    # The commands' code now runs on it: connect through WP admin.
    assert admin.run("connect")["state"] == "done"


def test_a_refused_woocommerce_key_changes_nothing(world: World, admin: Admin):
    host = Settings.from_mapping(admin.env)
    refused = checked(
        admin, wc_url=world.woo.base_url, wc_key=KEY, wc_secret="cs_wrong"
    )
    assert refused["state"] == "error"
    assert refused["error"].startswith("WooCommerce refused the REST API key")
    assert in_use(host) == {}
    accepted = checked(admin, wc_url=world.woo.base_url, wc_key=KEY, wc_secret=SECRET)
    assert accepted["state"] == "done", accepted
    assert accepted["result"]["accepted"] == ["wc_key", "wc_secret", "wc_url"]
    assert set(in_use(host)) == {
        "TILLSYNC_WC_URL",
        "TILLSYNC_WC_KEY",
        "TILLSYNC_WC_SECRET",
    }
    assert SECRET not in raw_credentials()


def test_a_value_the_host_set_cannot_be_given_here(world: World, tmp_path: Path):
    admin = Admin(admin_env(world, tmp_path / "data"))  # the host set the token
    status, answer = give(admin, pos_token="another-token")
    assert status == 400
    assert answer["field"] == "pos_token"
    assert "set by the host (TILLSYNC_POS_TOKEN)" in answer["message"]
    assert candidates(Settings.from_mapping(admin.env)) == {}
    shown = admin.get("/admin/setup")["credentials"]["pos_token"]
    assert shown["source"] == "environment" and shown["value"] != TOKEN


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "values"),
        ({"password": "x"}, "password"),
        ({"pos_token": ""}, "pos_token"),
        ({"pos_token": 12345}, "pos_token"),
        ({"pos_token": "a\nb"}, "pos_token"),
        ({"pos_token": "x" * 501}, "pos_token"),
    ],
)
def test_malformed_credentials_are_a_400(admin: Admin, values: Any, field: str):
    status, answer = give(admin, **values) if values else give(admin)
    assert status == 400 and answer["field"] == field
    assert candidates(Settings.from_mapping(admin.env)) == {}


def test_a_running_worker_takes_the_credentials_without_a_restart(
    world: World, admin: Admin
):
    _, _ = world.product("W-1")
    worker = start_tillsync(["worker"], {**admin.env, "TILLSYNC_SYNC_INTERVAL": "1"})
    try:
        status, answer = give(admin, pos_token=TOKEN)
        assert status == 202
        assert admin.wait(answer["action"]["id"])["state"] == "done"
        status, answer = give(
            admin, wc_url=world.woo.base_url, wc_key=KEY, wc_secret=SECRET
        )
        assert admin.wait(answer["action"]["id"])["state"] == "done"
        status, answer = admin.ask("connect")
        assert admin.wait(answer["action"]["id"])["state"] == "done"
        order = world.order([{"sku": "W-1", "quantity": 1}])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and world.ledger(order).state != "sent":
            time.sleep(0.2)
        assert world.ledger(order).state == "sent"
        assert len(world.sales(order)) == 1
    finally:
        stop(worker)


CLIENT_ID, CLIENT_SECRET = "tillsync-app", "app-secret-for-tests-0123456789"


def consent(admin: Admin, redirect_uri: str, state: str) -> dict[str, str]:
    """The merchant clicks "Connect with Lightspeed" and "Allow": where the POS sends
    the browser back to, read from its redirect."""
    url = admin.get("/admin/setup")["oauth_authorize_url"]
    answer = requests.get(
        url + "&" + urlencode({"redirect_uri": redirect_uri, "state": state}),
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    location = urlparse(answer.headers["Location"])
    assert location.netloc == urlparse(redirect_uri).netloc
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def give_oauth(admin: Admin, back: dict[str, str], redirect_uri: str) -> dict[str, Any]:
    body = {
        "oauth": {
            "code": back["code"],
            "redirect_uri": redirect_uri,
            "domain_prefix": back["domain_prefix"],
        },
        "request_id": uuid.uuid4().hex,
        "send_id": uuid.uuid4().hex,
    }
    raw, headers = signed_json("/admin/credentials", body)
    answer = admin.client.post("/admin/credentials", data=raw, headers=headers)
    assert answer.status_code == 202, answer.get_json()
    admin.runner.run_pending()
    return admin.action(answer.get_json()["action"]["id"])


def test_connect_with_lightspeed_exchanges_the_code_once(
    tmp_path: Path, database_url: str, ledger
):
    redirect_uri = (
        "https://shop.example/wp-admin/admin.php?page=tillsync&tab=connection"
    )
    with (
        PosEmulator(
            TOKEN, window=1.0, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
        ) as pos,
        WooEmulator(KEY, SECRET) as woo,
    ):
        world = World(pos, woo, database_url)
        env = {
            **bare_env(world, tmp_path / "data"),
            "TILLSYNC_POS_CLIENT_ID": CLIENT_ID,
            "TILLSYNC_POS_CLIENT_SECRET": CLIENT_SECRET,
        }
        admin = Admin(env)
        back = consent(admin, redirect_uri, state="s-1")
        assert back["state"] == "s-1"
        done = give_oauth(admin, back, redirect_uri)
        assert done["state"] == "done", done
        assert done["result"]["oauth"] is True and done["result"]["registers"] == 1
        assert back["code"] not in raw_credentials()
        assert admin.run("connect")["state"] == "done", "OAuth tokens not used"

        # The same code again (a reloaded callback page): refused, nothing changed.
        again = give_oauth(admin, back, redirect_uri)
        assert again["state"] == "error"
        assert "invalid_grant" in again["error"] or "refused" in again["error"]
        assert admin.run("registers")["state"] == "done", "a refused code broke OAuth"


def test_connect_with_lightspeed_needs_the_hosts_client(world: World, admin: Admin):
    assert admin.get("/admin/setup")["oauth_authorize_url"] is None
    body = {
        "oauth": {
            "code": "c",
            "redirect_uri": "https://x.example/",
            "domain_prefix": "x",
        },
        "request_id": "r-1",
    }
    raw, headers = signed_json("/admin/credentials", body)
    answer = admin.client.post("/admin/credentials", data=raw, headers=headers)
    assert answer.status_code == 400 and answer.get_json()["field"] == "oauth"
