"""WooClient signs OAuth 1.0a over http and uses Basic only over https."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from scripted_transport import ScriptedResponse, scripted_session

from agent.emulators.woo import WooEmulator
from agent.woo import WooClient

KEY, SECRET = "ck_auth", "cs_auth"


def sent_by(base_url: str, **options: Any) -> requests.PreparedRequest:
    session, adapter = scripted_session(lambda request: ScriptedResponse(json=[]))
    client = WooClient(base_url, KEY, SECRET, session=session, **options)
    next(client.orders(status="processing"))
    return adapter.requests[0]


def test_plain_http_signs_with_oauth_hmac_sha256_in_the_query() -> None:
    request = sent_by("http://shop.test")
    query = parse_qs(urlsplit(request.url or "").query)
    assert query["oauth_signature_method"] == ["HMAC-SHA256"]
    assert query["oauth_consumer_key"] == [KEY]
    assert {"oauth_nonce", "oauth_timestamp", "oauth_signature"} <= set(query)
    assert "Authorization" not in request.headers
    assert SECRET not in (request.url or "")


def test_oauth_can_go_in_the_header() -> None:
    request = sent_by("http://shop.test", oauth_in_header=True)
    header = request.headers["Authorization"]
    text = header.decode() if isinstance(header, bytes) else header
    assert text.startswith("OAuth ")
    assert 'oauth_signature_method="HMAC-SHA256"' in text
    assert "oauth_signature" not in (request.url or "")


def test_https_uses_basic_and_no_oauth() -> None:
    request = sent_by("https://shop.test/")
    assert request.headers["Authorization"].startswith("Basic ")
    assert "oauth_" not in (request.url or "")
    assert (request.url or "").startswith("https://shop.test/wp-json/wc/v3/orders?")


@pytest.mark.parametrize(
    ("url", "key", "secret"),
    [("ftp://shop.test", KEY, SECRET), ("http://shop.test", "", SECRET)],
)
def test_bad_settings_are_refused(url: str, key: str, secret: str) -> None:
    with pytest.raises(ValueError):
        WooClient(url, key, secret)


class TlsProxy(HTTPAdapter):
    """Stands in for a TLS-terminating proxy: https://shop.test → the emulator."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target

    def send(
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:  # type: ignore[override]
        request.url = (request.url or "").replace("https://shop.test", self.target, 1)
        return super().send(request, **kwargs)


@pytest.fixture
def proxied_store() -> Iterator[WooEmulator]:
    with WooEmulator(
        KEY, SECRET, products=2, orders=4, seed=8, trust_basic=True
    ) as emu:
        yield emu


def test_basic_auth_behind_a_tls_proxy(proxied_store: WooEmulator) -> None:
    session = requests.Session()
    session.mount("https://shop.test", TlsProxy(proxied_store.base_url))
    client = WooClient("https://shop.test", KEY, SECRET, session=session)
    order_id = proxied_store.orders()[0]["id"]
    assert client.order(order_id)["id"] == order_id
    assert proxied_store.request_log[-1]["auth"] == "basic"


def test_datetime_filters_are_sent_in_gmt_with_the_flag() -> None:
    session, adapter = scripted_session(lambda request: ScriptedResponse(json=[]))
    client = WooClient("https://shop.test", KEY, SECRET, session=session)
    paris = timezone(timedelta(hours=1))
    next(
        client.orders(modified_after=datetime(2026, 5, 1, 12, 0, 30, 999, tzinfo=paris))
    )
    query = parse_qs(urlsplit(adapter.requests[0].url or "").query)
    assert query["modified_after"] == ["2026-05-01T11:00:30"]
    assert query["dates_are_gmt"] == ["true"]
    with pytest.raises(ValueError, match="naive"):
        next(client.orders(after=datetime(2026, 5, 1)))
    with pytest.raises(ValueError, match="dates_are_gmt"):
        next(client.orders(after=datetime(2026, 5, 1, tzinfo=UTC), dates_are_gmt=False))
