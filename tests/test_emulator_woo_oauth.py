"""The WooCommerce emulator authenticates like WooCommerce on plain http.

OAuth 1.0a one-legged only (HMAC-SHA1 or HMAC-SHA256, 15-minute window, no nonce
reuse), checked by the emulator's own RFC 5849 code; Basic and consumer_key query
parameters only when the store sits behind a TLS proxy (trust_basic).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from oauthlib.oauth1 import Client
from requests_oauthlib import OAuth1

from agent.emulators.woo import WooEmulator
from agent.emulators.woo.oauth1 import base_string, header_params, signature

KEY, SECRET = "ck_oauth", "cs_oauth"


@pytest.fixture(scope="module")
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=3, orders=3, seed=4) as emu:
        yield emu


@pytest.fixture(scope="module")
def basic_store() -> Iterator[WooEmulator]:
    with WooEmulator(
        KEY, SECRET, products=3, orders=3, seed=4, trust_basic=True
    ) as emu:
        yield emu


def signed_url(
    url: str,
    *,
    secret: str = SECRET,
    method: str = "HMAC-SHA256",
    timestamp: int | None = None,
    nonce: str | None = None,
) -> str:
    """`url` with OAuth parameters in its query string, signed by oauthlib."""
    client = Client(
        KEY,
        client_secret=secret,
        signature_method=method,
        signature_type="QUERY",
        timestamp=str(timestamp) if timestamp is not None else None,
        nonce=nonce,
    )
    signed, _, _ = client.sign(url, "GET")
    return signed


def test_rfc5849_known_answer() -> None:
    """Section 1.2 of RFC 5849: the photos request, base string and signature."""
    header = (
        'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", '
        'oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131202", oauth_nonce="chapoH", '
        'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"'
    )
    params = {**header_params(header), "file": "vacation.jpg", "size": "original"}
    base = base_string("GET", "http://photos.example.net/photos", params)
    assert base == (
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26"
        "oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26"
        "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26"
        "oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
    )
    assert "realm" not in params
    sig = signature("HMAC-SHA1", "kd94hf93k423kf44", base, "pfkkdhi9sl3r4s00")
    assert sig == params["oauth_signature"] == "MdpQcU8iPSUjWoN/UDMsK2sui9I="


@pytest.mark.parametrize("method", ["HMAC-SHA1", "HMAC-SHA256"])
def test_signed_query_string_is_accepted(store: WooEmulator, method: str) -> None:
    url = f"{store.base_url}/wp-json/wc/v3/orders?per_page=2&_fields=id,status"
    response = requests.get(signed_url(url, method=method), timeout=10)
    assert response.status_code == 200, response.text
    assert len(response.json()) == 2
    assert store.request_log[-1]["auth"] == "oauth1"


def test_signed_authorization_header_is_accepted(store: WooEmulator) -> None:
    auth = OAuth1(KEY, client_secret=SECRET, signature_method="HMAC-SHA256")
    url = f"{store.base_url}/wp-json/wc/v3/products?sku=SKU-0001"
    response = requests.get(url, auth=auth, timeout=10)
    assert response.status_code == 200, response.text
    assert [p["sku"] for p in response.json()] == ["SKU-0001"]


def test_signed_json_write_is_accepted(store: WooEmulator) -> None:
    order_id = store.orders()[0]["id"]
    auth = OAuth1(KEY, client_secret=SECRET, signature_method="HMAC-SHA256")
    url = f"{store.base_url}/wp-json/wc/v3/orders/{order_id}/notes"
    response = requests.post(url, json={"note": "signed"}, auth=auth, timeout=10)
    assert response.status_code == 201, response.text
    assert any(n["note"] == "signed" for n in store.notes(order_id))


def _refused(response: requests.Response, code: str, message: str = "") -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["code"] == code
    assert body["data"] == {"status": 401}
    assert message in body["message"]


def test_wrong_secret_is_a_bad_signature(store: WooEmulator) -> None:
    url = signed_url(f"{store.base_url}/wp-json/wc/v3/orders", secret="cs_wrong")
    _refused(
        requests.get(url, timeout=10),
        "woocommerce_rest_authentication_error",
        "provided signature does not match",
    )


def test_tampered_parameter_breaks_the_signature(store: WooEmulator) -> None:
    url = signed_url(f"{store.base_url}/wp-json/wc/v3/orders?per_page=2")
    tampered = url.replace("per_page=2", "per_page=3")
    assert tampered != url
    _refused(
        requests.get(tampered, timeout=10),
        "woocommerce_rest_authentication_error",
        "signature does not match",
    )


def test_other_path_breaks_the_signature(store: WooEmulator) -> None:
    url = signed_url(f"{store.base_url}/wp-json/wc/v3/orders")
    moved = url.replace("/orders?", "/products?")
    _refused(requests.get(moved, timeout=10), "woocommerce_rest_authentication_error")


@pytest.mark.parametrize("age", [16 * 60, -16 * 60])
def test_timestamp_outside_fifteen_minutes_is_refused(
    store: WooEmulator, age: int
) -> None:
    url = signed_url(
        f"{store.base_url}/wp-json/wc/v3/orders", timestamp=int(time.time()) - age
    )
    _refused(
        requests.get(url, timeout=10),
        "woocommerce_rest_authentication_error",
        "Invalid timestamp.",
    )


def test_timestamp_inside_the_window_is_accepted(store: WooEmulator) -> None:
    url = signed_url(
        f"{store.base_url}/wp-json/wc/v3/orders", timestamp=int(time.time()) - 14 * 60
    )
    assert requests.get(url, timeout=10).status_code == 200


def test_replayed_nonce_is_refused(store: WooEmulator) -> None:
    url = signed_url(f"{store.base_url}/wp-json/wc/v3/orders", nonce="once-only-1")
    assert requests.get(url, timeout=10).status_code == 200
    _refused(
        requests.get(url, timeout=10),
        "woocommerce_rest_authentication_error",
        "nonce has already been used",
    )


def test_unknown_consumer_key_is_refused(store: WooEmulator) -> None:
    url = signed_url(f"{store.base_url}/wp-json/wc/v3/orders")
    _refused(
        requests.get(url.replace(KEY, "ck_other"), timeout=10),
        "woocommerce_rest_authentication_error",
        "Consumer key is invalid.",
    )


def test_missing_oauth_parameter_is_refused(store: WooEmulator) -> None:
    url = f"{store.base_url}/wp-json/wc/v3/orders?oauth_consumer_key={KEY}"
    _refused(
        requests.get(url, timeout=10),
        "woocommerce_rest_authentication_missing_parameter",
        "oauth_timestamp",
    )


def test_plaintext_signature_method_is_refused(store: WooEmulator) -> None:
    url = signed_url(f"{store.base_url}/wp-json/wc/v3/orders", method="PLAINTEXT")
    _refused(
        requests.get(url, timeout=10),
        "woocommerce_rest_authentication_error",
        "signature method is invalid",
    )


def test_basic_auth_is_ignored_on_plain_http(store: WooEmulator) -> None:
    url = f"{store.base_url}/wp-json/wc/v3/orders"
    _refused(
        requests.get(url, auth=(KEY, SECRET), timeout=10),
        "woocommerce_rest_cannot_view",
    )
    with_params = f"{url}?consumer_key={KEY}&consumer_secret={SECRET}"
    _refused(requests.get(with_params, timeout=10), "woocommerce_rest_cannot_view")


def test_no_credentials_cannot_write(store: WooEmulator) -> None:
    order_id = store.orders()[0]["id"]
    url = f"{store.base_url}/wp-json/wc/v3/orders/{order_id}/notes"
    before = len(store.notes(order_id))
    _refused(
        requests.post(url, json={"note": "x"}, timeout=10),
        "woocommerce_rest_cannot_create",
    )
    assert len(store.notes(order_id)) == before


def test_trusted_proxy_accepts_basic_and_query_keys(basic_store: WooEmulator) -> None:
    url = f"{basic_store.base_url}/wp-json/wc/v3/orders"
    assert requests.get(url, auth=(KEY, SECRET), timeout=10).status_code == 200
    assert basic_store.request_log[-1]["auth"] == "basic"
    query = f"{url}?consumer_key={KEY}&consumer_secret={SECRET}"
    assert requests.get(query, timeout=10).status_code == 200


def test_trusted_proxy_refuses_a_wrong_secret(basic_store: WooEmulator) -> None:
    url = f"{basic_store.base_url}/wp-json/wc/v3/orders"
    _refused(
        requests.get(url, auth=(KEY, "cs_wrong"), timeout=10),
        "woocommerce_rest_authentication_error",
        "Consumer secret is invalid.",
    )
