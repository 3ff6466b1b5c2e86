"""A v2 signature holds for the query it was made for, exactly as the client sent it.

`GET /orders?ids=1` signed, then sent as `?ids=2`, is refused: otherwise one captured
signature would read any order for 300 s. The target is compared byte for byte as it
arrived (the raw request URI), so a percent-encoded query is signed encoded.
"""

from __future__ import annotations

from conftest import HOOK_SECRET, hook_body, post_hook, signed_get

from agent.web.signing import signed_headers


def test_ids_signature_used_for_other_ids_is_401(client):
    post_hook(client, hook_body(order_id=1))
    post_hook(client, hook_body(order_id=2))
    headers = signed_headers(HOOK_SECRET, "GET", "/orders?ids=1")

    assert client.get("/orders?ids=1", headers=headers).status_code == 200
    for tampered in ("/orders?ids=2", "/orders?ids=1,2", "/orders?ids=1&ids=2"):
        answer = client.get(tampered, headers=headers)
        assert answer.status_code == 401, tampered
        assert "orders" not in answer.json


def test_signature_without_the_query_does_not_cover_one(client):
    headers = signed_headers(HOOK_SECRET, "GET", "/orders")
    assert client.get("/orders?ids=1", headers=headers).status_code == 401


def test_percent_encoded_query_is_signed_as_sent(client):
    post_hook(client, hook_body(order_id=1))
    post_hook(client, hook_body(order_id=2))
    encoded = "/orders?ids=1%2C2"

    answer = signed_get(client, encoded)
    assert answer.status_code == 200
    assert sorted(o["order_id"] for o in answer.json["orders"]) == [1, 2]
    # The same query decoded is another request: the encoded signature does not hold.
    headers = signed_headers(HOOK_SECRET, "GET", encoded)
    assert client.get("/orders?ids=1,2", headers=headers).status_code == 401


def test_a_path_without_a_query_is_signed_without_a_question_mark(client):
    # Flask's request.full_path would be "/status?": the signature must not need it.
    assert signed_get(client, "/status").status_code == 200
    headers = signed_headers(HOOK_SECRET, "GET", "/status?")
    assert client.get("/status", headers=headers).status_code == 401
