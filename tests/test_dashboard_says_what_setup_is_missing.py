"""`GET /` on a first run says plainly what is missing and what to do next, from the
same `setup` section as `tillsync status` (the app's own settings): every missing
setting at once, or the connection still to make — not "Nothing" under Needs attention
beside a growing lag. Once everything is set and connected, the section is gone."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest

from agent.ledger.db import ledger_db
from agent.ledger.epochs import close_epoch, open_epoch
from agent.ledger.models import Order

CONFIGURED = {
    "TILLSYNC_POS_DOMAIN_PREFIX": "mugshop",
    "TILLSYNC_POS_TOKEN": "pos-token-for-the-dashboard",
    "TILLSYNC_WC_URL": "https://shop.example",
    "TILLSYNC_WC_KEY": "ck_dashboard",
    "TILLSYNC_WC_SECRET": "cs_dashboard",
}
EVERY_VARIABLE = [
    "TILLSYNC_POS_DOMAIN_PREFIX",
    "TILLSYNC_POS_BASE_URL",
    "TILLSYNC_POS_TOKEN",
    "TILLSYNC_POS_CLIENT_ID",
    "TILLSYNC_WC_URL",
    "TILLSYNC_WC_KEY",
    "TILLSYNC_WC_SECRET",
]


@pytest.fixture
def configured_client(settings_env: dict[str, str]) -> Iterator[Any]:
    """The test client of an app given every POS and WooCommerce setting."""
    from agent.web import create_app

    application = create_app({**settings_env, **CONFIGURED})
    application.config["TESTING"] = True
    yield application.test_client()
    ledger_db.close()
    ledger_db.initialize(None)


def text(html: str, element_id: str) -> str:
    """The text of the element with `element_id`, tags dropped, spaces collapsed."""
    found = re.search(
        rf'<(\w+) id="{element_id}"[^>]*>(.*?)</\1>', html, re.DOTALL | re.IGNORECASE
    )
    assert found, f"no #{element_id} on the page"
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(2))).split())


def test_nothing_set_lists_every_missing_setting_and_the_next_step(client):
    at = time.time() - 600
    Order.create(order_id=7, state="pending", created_at=at, updated_at=at)

    html = client.get("/").get_data(as_text=True)

    setup = text(html, "setup")
    assert "Settings missing: nothing can be sent to the POS" in setup
    missing = text(html, "setup-missing")
    for variable in EVERY_VARIABLE:
        assert variable in missing
    assert html.index('id="setup"') < html.index('id="connection"')  # seen first
    next_step = text(html, "setup-next-step")
    assert next_step.startswith("Next: set the missing settings")
    assert "tillsync connect" in next_step
    assert "Nothing: every order is sent" not in html
    assert "none is sent either until the setup above is done" in text(html, "failures")
    assert "Nothing is pushed until the setup above is done" in text(html, "backlog")


def test_settings_set_but_never_connected_says_to_connect(configured_client):
    html = configured_client.get("/").get_data(as_text=True)

    assert "Not connected to the POS yet" in text(html, "setup")
    assert 'id="setup-missing"' not in html
    next_step = text(html, "setup-next-step")
    assert next_step.startswith("Next: run tillsync connect")
    assert "<code>tillsync connect</code>" in html


def test_disconnected_says_to_connect_again(configured_client):
    open_epoch("mugshop", "reg-1", "outlet-1")
    close_epoch()

    html = configured_client.get("/").get_data(as_text=True)

    assert "Disconnected from the POS" in text(html, "setup")
    assert text(html, "setup-next-step").startswith(
        "Next: run tillsync connect to send orders again"
    )


def test_connected_with_every_setting_shows_no_setup(configured_client):
    open_epoch("mugshop", "reg-1", "outlet-1")

    html = configured_client.get("/").get_data(as_text=True)

    assert 'id="setup"' not in html
    assert "Nothing: every order is sent, waiting for payment or queued." in html
    assert "Nothing is pushed until the setup above is done" not in html
