"""The WooCommerce emulator takes a REST key made the way a plugin makes it (a row of
`woocommerce_api_keys`: wc_api_hash(ck), the secret in clear, permissions): requests
with it are accepted over OAuth 1.0a and Basic like the main key's, with its
permissions, until it is revoked; a malformed row is refused and changes nothing."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import requests
from requests_oauthlib import OAuth1

from agent.emulators.woo import WooEmulator
from agent.emulators.woo.api_keys import api_hash

KEY, SECRET = "ck_main", "cs_main"


def made_key() -> tuple[str, str]:
    """ck_/cs_ + 40 hex characters, as wc_rand_hash() gives them."""
    return "ck_" + secrets.token_hex(20), "cs_" + secrets.token_hex(20)


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=1, orders=2, seed=3) as emu:
        yield emu


@pytest.fixture
def basic_store() -> Iterator[WooEmulator]:
    with WooEmulator(
        KEY, SECRET, products=1, orders=1, seed=3, trust_basic=True
    ) as emu:
        yield emu


def _orders(emu: WooEmulator, auth: object) -> requests.Response:
    return requests.get(f"{emu.base_url}/wp-json/wc/v3/orders", auth=auth, timeout=10)  # type: ignore[arg-type]


def _admin(emu: WooEmulator, path: str, body: object) -> requests.Response:
    return requests.post(f"{emu.base_url}/_emulator{path}", json=body, timeout=10)


def test_a_registered_key_signs_until_it_is_revoked(store: WooEmulator) -> None:
    ck, cs = made_key()
    oauth = OAuth1(ck, client_secret=cs, signature_method="HMAC-SHA256")
    assert _orders(store, oauth).status_code == 401  # not there yet

    row = {"consumer_key": api_hash(ck), "consumer_secret": cs}
    made = _admin(store, "/keys", {**row, "permissions": "read_write"})
    assert made.status_code == 201, made.text
    assert cs not in made.text
    answer = _orders(store, oauth)
    assert answer.status_code == 200 and len(answer.json()) == 2
    assert store.request_log[-1]["auth"] == "oauth1"

    revoked = _admin(store, "/keys/revoke", {"consumer_key": api_hash(ck)})
    assert revoked.status_code == 200, revoked.text
    refused = _orders(store, OAuth1(ck, client_secret=cs))
    assert refused.status_code == 401
    assert refused.json()["message"] == "Consumer key is invalid."
    # The main key is untouched.
    assert _orders(store, OAuth1(KEY, client_secret=SECRET)).status_code == 200


def test_basic_takes_a_registered_key_behind_tls(basic_store: WooEmulator) -> None:
    ck, cs = made_key()
    basic_store.register_key(api_hash(ck), cs)
    assert _orders(basic_store, (ck, cs)).status_code == 200
    wrong = _orders(basic_store, (ck, "cs_" + "0" * 40))
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Consumer secret is invalid."
    basic_store.revoke_key(api_hash(ck))
    assert _orders(basic_store, (ck, cs)).status_code == 401


def test_a_read_key_cannot_write(basic_store: WooEmulator) -> None:
    ck, cs = made_key()
    basic_store.register_key(api_hash(ck), cs, permissions="read")
    assert _orders(basic_store, (ck, cs)).status_code == 200
    order_id = basic_store.orders()[0]["id"]
    answer = requests.put(
        f"{basic_store.base_url}/wp-json/wc/v3/orders/{order_id}",
        json={"status": "completed"},
        auth=(ck, cs),
        timeout=10,
    )
    assert answer.status_code == 401
    assert answer.json()["message"] == (
        "The API key provided does not have write permissions."
    )
    assert basic_store.order(order_id)["status"] != "completed"  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"consumer_key": "ck_clear", "consumer_secret": "cs_" + "a" * 40},
            "consumer_key",
        ),
        ({"consumer_key": "a" * 64, "consumer_secret": "secret"}, "consumer_secret"),
        (
            {
                "consumer_key": "a" * 64,
                "consumer_secret": "cs_" + "a" * 40,
                "permissions": "all",
            },
            "permissions",
        ),
        (
            {
                "consumer_key": "a" * 64,
                "consumer_secret": "cs_" + "a" * 40,
                "permissions": "read",
                "x": 1,
            },
            "x",
        ),
    ],
)
def test_a_malformed_row_is_refused(
    store: WooEmulator, body: dict[str, object], field: str
) -> None:
    answer = _admin(store, "/keys", body)
    assert answer.status_code == 400 and answer.json()["field"] == field
    assert len(store.api_keys.listed()) == 1


def test_the_same_key_twice_and_the_main_key_are_refused(store: WooEmulator) -> None:
    ck, cs = made_key()
    row = {"consumer_key": api_hash(ck), "consumer_secret": cs, "permissions": "read"}
    assert _admin(store, "/keys", row).status_code == 201
    assert _admin(store, "/keys", row).status_code == 409
    main = _admin(store, "/keys/revoke", {"consumer_key": api_hash(KEY)})
    assert main.status_code == 400
    gone = _admin(store, "/keys/revoke", {"consumer_key": "b" * 64})
    assert gone.status_code == 404
    listed = requests.get(f"{store.base_url}/_emulator/keys", timeout=10).json()
    assert [k["permissions"] for k in listed["keys"]] == ["read_write", "read"]
    assert cs not in repr(listed)
