"""Answers that cannot be read are failures, never silently accepted."""

from __future__ import annotations

import pytest
from pos_fakes import Answer, ok, scripted_client

from agent.pos import PosUnavailable


def test_non_json_200_on_a_read_is_retried_then_succeeds():
    client, adapter, _ = scripted_client(
        [Answer(200, "<html>captive portal</html>"), ok({"data": []})]
    )
    assert client.outlets() == []
    assert len(adapter.requests) == 2


def test_persistent_non_json_on_a_read_raises_malformed_body():
    client, _, _ = scripted_client([Answer(200, "{truncated")] * 4)
    with pytest.raises(PosUnavailable) as caught:
        client.outlets()
    assert caught.value.code == "malformed_body"
    assert "{truncated" in caught.value.message


def test_non_json_200_on_a_sale_post_is_an_unknown_outcome():
    client, adapter, _ = scripted_client([Answer(200, "OK")])
    with pytest.raises(PosUnavailable) as caught:
        client.create_sale({"id": "s1"})
    assert caught.value.outcome_unknown is True
    assert len(adapter.requests) == 1


@pytest.mark.parametrize(
    "body",
    [{"data": {"id": "x"}}, {"data": ["x"]}, {"items": []}, ["data"]],
)
def test_json_of_the_wrong_shape_is_unexpected_shape(body):
    client, _, _ = scripted_client([ok(body)])
    with pytest.raises(PosUnavailable) as caught:
        client.registers()
    assert caught.value.code == "unexpected_shape"


def test_a_sale_answer_without_register_sale_is_an_unknown_outcome():
    client, _, _ = scripted_client([ok({"register_sales": []})])
    with pytest.raises(PosUnavailable) as caught:
        client.create_sale({"id": "s1"})
    assert caught.value.code == "unexpected_shape"
    assert caught.value.outcome_unknown is True


def test_a_version_cursor_that_does_not_advance_stops_with_an_error():
    product = {"id": "p1", "sku": "A", "name": "A", "version": 5}
    client, adapter, _ = scripted_client(
        [ok({"data": [product], "version": {"min": 5, "max": 5}})] * 2
    )
    pages = client.products_since(after_version=5)
    with pytest.raises(PosUnavailable, match="version.max"):
        next(pages)
    assert len(adapter.requests) == 1


def test_create_product_needs_the_new_id_in_the_answer():
    client, _, _ = scripted_client([Answer(201, {"data": []})])
    with pytest.raises(PosUnavailable) as caught:
        client.create_product("Mug", "MUG", price_excluding_tax=5)
    assert caught.value.outcome_unknown is True
