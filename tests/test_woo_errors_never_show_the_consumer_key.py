"""Every WooCommerce failure, raised through the real client against the emulator,
keeps the consumer key and secret out of its text, its traceback and the logs.

Over plain http the key rides in the query string of every request (OAuth 1.0a), and
requests, urllib3 and oauthlib all print that URL somewhere. The key here is not shaped
like a real `ck_` + 40 hex key, so only the parameter rule of `agent.redaction` can hide
it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator

import pytest
from woo_sites import closed_port_url, plain_permalinks_site

from agent.emulators.woo import WooEmulator
from agent.woo import (
    RetryPolicy,
    WooBadResponse,
    WooBatchError,
    WooClient,
    WooError,
    WooNotFound,
    WooUnauthorized,
    WooUnavailable,
)

KEY, SECRET = "ck_leakprobe_key_2f9c", "cs_leakprobe_secret_7e1a"


@pytest.fixture(scope="module")
def store() -> Iterator[WooEmulator]:
    with WooEmulator(KEY, SECRET, products=2, orders=2, seed=5) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def home_page_site() -> Iterator[str]:
    with plain_permalinks_site() as url:
        yield url


def client(
    base_url: str, *, in_header: bool, secret: str = SECRET, timeout: float = 5.0
) -> WooClient:
    # Two attempts, so a read's retry goes through the same path once more.
    retry = RetryPolicy(attempts=2, sleep=lambda seconds: None)
    return WooClient(
        base_url,
        KEY,
        secret,
        retry=retry,
        timeout=timeout,
        oauth_in_header=in_header,
    )


def order_id(store: WooEmulator) -> int:
    return int(store.orders()[0]["id"])


Failure = Callable[[WooEmulator, str, bool], None]


def wrong_secret(store: WooEmulator, site: str, in_header: bool) -> None:
    client(store.base_url, in_header=in_header, secret="cs_not_the_one").order(
        order_id(store)
    )


def unknown_order(store: WooEmulator, site: str, in_header: bool) -> None:
    client(store.base_url, in_header=in_header).notes(987654)


def refused_payload(store: WooEmulator, site: str, in_header: bool) -> None:
    client(store.base_url, in_header=in_header).update_product(
        987654, {"regular_price": "1.00"}
    )


def wrong_path(store: WooEmulator, site: str, in_header: bool) -> None:
    client(store.base_url + "/shop", in_header=in_header).order(order_id(store))


def html_500(store: WooEmulator, site: str, in_header: bool) -> None:
    store.set_faults(fail_next=2, status_5xx=500)
    client(store.base_url, in_header=in_header).order(order_id(store))


def timeout(store: WooEmulator, site: str, in_header: bool) -> None:
    store.set_faults(fault_slow=1.0, slow_seconds=0.5)
    try:
        client(store.base_url, in_header=in_header, timeout=0.1).order(order_id(store))
    finally:
        store.set_faults(fault_slow=0.0)


def refused(store: WooEmulator, site: str, in_header: bool) -> None:
    client(closed_port_url(), in_header=in_header).order(order_id(store))


def dropped_write(store: WooEmulator, site: str, in_header: bool) -> None:
    store.set_faults(drop_next=1)
    client(store.base_url, in_header=in_header).add_note(order_id(store), "hello")


def html_instead_of_json(store: WooEmulator, site: str, in_header: bool) -> None:
    next(client(site, in_header=in_header).orders(status="processing"))


def batch_refusal(store: WooEmulator, site: str, in_header: bool) -> None:
    client(store.base_url, in_header=in_header).batch_products(
        update=[{"id": 987654, "regular_price": "1.00"}]
    )


FAILURES: list[tuple[Failure, type[WooError]]] = [
    (wrong_secret, WooUnauthorized),
    (unknown_order, WooNotFound),
    (refused_payload, WooError),
    (wrong_path, WooNotFound),
    (html_500, WooUnavailable),
    (timeout, WooUnavailable),
    (refused, WooUnavailable),
    (dropped_write, WooUnavailable),
    (html_instead_of_json, WooBadResponse),
    (batch_refusal, WooBatchError),
]


def every_text(error: WooError, caplog: pytest.LogCaptureFixture) -> str:
    """Everything a person could be shown: the error any way it is printed, and logs."""
    records = [f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records]
    return "\n".join(
        [
            str(error),
            repr(error),
            error.message,
            error.code,
            "".join(traceback.format_exception(error)),
            caplog.text,
            *records,
        ]
    )


@pytest.mark.parametrize("in_header", [False, True], ids=["query", "header"])
@pytest.mark.parametrize(
    ("failure", "kind"), FAILURES, ids=[f.__name__ for f, _ in FAILURES]
)
def test_no_error_text_or_log_line_holds_the_key(
    failure: Failure,
    kind: type[WooError],
    in_header: bool,
    store: WooEmulator,
    home_page_site: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(kind) as caught:
        failure(store, home_page_site, in_header)
    text = every_text(caught.value, caplog)
    assert KEY not in text
    assert SECRET not in text
    # The libraries did log the requests (the check above is not vacuous)...
    assert "/wp-json/wc/v3/" in caplog.text
    # ...and the error still says what failed.
    assert caught.value.message


def test_the_error_keeps_the_path_and_the_harmless_parameters(
    home_page_site: str,
) -> None:
    with pytest.raises(WooBadResponse) as caught:
        next(client(home_page_site, in_header=False).orders(status="processing"))
    message = caught.value.message
    assert "/wp-json/wc/v3/orders?" in message
    assert "status=processing" in message and "per_page=100" in message
    assert "oauth_" not in message


def test_a_refused_connection_names_the_path_without_the_signature() -> None:
    with pytest.raises(WooUnavailable) as caught:
        client(closed_port_url(), in_header=False).order(5)
    assert "/wp-json/wc/v3/orders/5" in caught.value.message
    assert "oauth_signature" not in caught.value.message
    assert caught.value.__cause__ is None
