"""Every error shape a WooCommerce store (or what stands in front of it) answers."""

from __future__ import annotations

import pytest
from scripted_transport import ScriptedResponse, scripted_session

from agent.woo import (
    WooBadResponse,
    WooClient,
    WooError,
    WooNotFound,
    WooUnauthorized,
    WooUnavailable,
)
from agent.woo.retry import RetryPolicy

KEY, SECRET = "ck_err", "cs_err"


def client_answering(*answers: ScriptedResponse) -> WooClient:
    queue = list(answers)
    session, _ = scripted_session(lambda request: queue.pop(0))
    no_retry = RetryPolicy(attempts=1)
    return WooClient("https://shop.test", KEY, SECRET, session=session, retry=no_retry)


def woo_error(status: int, code: str, message: str, **data: object) -> ScriptedResponse:
    return ScriptedResponse(
        status=status,
        json={"code": code, "message": message, "data": {"status": status, **data}},
    )


def test_unknown_order_id_is_none() -> None:
    client = client_answering(
        woo_error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
    )
    assert client.order(5) is None


def test_missing_route_is_not_mistaken_for_a_missing_order() -> None:
    client = client_answering(
        woo_error(404, "rest_no_route", "No route was found matching the URL.")
    )
    with pytest.raises(WooNotFound) as caught:
        client.order(5)
    assert caught.value.code == "rest_no_route"


def test_authentication_errors_are_unauthorized() -> None:
    client = client_answering(
        woo_error(
            401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."
        )
    )
    with pytest.raises(WooUnauthorized) as caught:
        next(client.orders())
    assert (caught.value.status, caught.value.code) == (
        401,
        "woocommerce_rest_cannot_view",
    )
    assert caught.value.message == "Sorry, you cannot list resources."


def test_invalid_parameter_keeps_its_details() -> None:
    client = client_answering(
        woo_error(
            400,
            "rest_invalid_param",
            "Invalid parameter(s): status",
            params={"status": "status is not one of any, trash."},
        )
    )
    with pytest.raises(WooError) as caught:
        next(client.orders(status="bogus"))
    assert type(caught.value) is WooError
    assert caught.value.data["params"] == {"status": "status is not one of any, trash."}


def test_html_5xx_from_a_proxy() -> None:
    client = client_answering(
        ScriptedResponse(
            status=502,
            body="<html><body><h1>502 Bad Gateway</h1></body></html>",
            headers={"Content-Type": "text/html"},
        )
    )
    with pytest.raises(WooUnavailable) as caught:
        client.notes(3)
    assert caught.value.code == "http_502"
    assert "502 Bad Gateway" in caught.value.message


def test_html_with_200_is_a_bad_response_naming_the_cause() -> None:
    client = client_answering(
        ScriptedResponse(
            body="<!DOCTYPE html><html><title>My shop</title></html>",
            headers={"Content-Type": "text/html; charset=UTF-8"},
        )
    )
    with pytest.raises(WooBadResponse) as caught:
        client.order(3)
    assert "permalinks" in caught.value.message
    assert "text/html" in caught.value.message


def test_object_where_a_list_is_due() -> None:
    client = client_answering(ScriptedResponse(json={"orders": []}))
    with pytest.raises(WooBadResponse):
        next(client.orders())


def test_non_numeric_paging_header() -> None:
    client = client_answering(
        ScriptedResponse(
            json=[], headers={"X-WP-TotalPages": "many", "X-WP-Total": "0"}
        )
    )
    with pytest.raises(WooBadResponse, match="X-WP-TotalPages"):
        next(client.orders())


def test_without_paging_headers_a_short_page_ends_the_list() -> None:
    full = [{"id": i} for i in range(100)]
    client = client_answering(
        ScriptedResponse(json=full), ScriptedResponse(json=[{"id": 100}])
    )
    pages = list(client.orders())
    assert [len(p.items) for p in pages] == [100, 1]


def test_zero_total_pages_is_one_empty_page() -> None:
    client = client_answering(
        ScriptedResponse(json=[], headers={"X-WP-TotalPages": "0", "X-WP-Total": "0"})
    )
    pages = list(client.orders())
    assert [(p.number, p.total, p.items) for p in pages] == [(1, 0, [])]


@pytest.mark.parametrize("bad", [0, -1, True, "3"])
def test_bad_ids_are_refused_before_any_request(bad: object) -> None:
    client = client_answering()
    with pytest.raises(ValueError):
        client.order(bad)  # type: ignore[arg-type]


def test_unknown_filter_is_refused() -> None:
    client = client_answering()
    with pytest.raises(TypeError, match="modifed_after"):
        next(client.orders(modifed_after="2026-01-01T00:00:00"))
