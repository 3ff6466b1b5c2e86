"""Every error body shape and status the POS uses becomes the right typed error."""

from __future__ import annotations

import pytest
from pos_fakes import Answer, scripted_client

from agent.pos import (
    PosConflict,
    PosError,
    PosForbidden,
    PosGone,
    PosNotFound,
    PosUnauthorized,
    PosUnavailable,
    PosValidation,
)
from agent.pos.errors import error_for_response, parse_error_body


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            '{"error": "Bad Request", "message": "name is required"}',
            "Bad Request",
            "name is required",
        ),
        (
            '{"error": "Product 42 has been deleted"}',
            None,
            "Product 42 has been deleted",
        ),
        (
            '{"error": "invalid_grant", "error_description": "token revoked"}',
            "invalid_grant",
            "token revoked",
        ),
        ('{"error": {"code": "E12", "message": "nested"}}', "E12", "nested"),
        (
            '{"status": "error", "error": "Invalid sale", "details": "bad tax_id"}',
            "Invalid sale",
            "bad tax_id",
        ),
        (
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            None,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        ),
        ('["not", "an", "object"]', None, '["not", "an", "object"]'),
        ("", None, None),
    ],
)
def test_every_body_shape_is_parsed(body: str, code: str | None, message: str | None):
    assert parse_error_body(body) == (code, message)


def test_long_non_json_bodies_are_cut_to_an_excerpt():
    code, message = parse_error_body("<html>" + "x" * 5000 + "</html>")
    assert code is None
    assert message is not None and len(message) == 200


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, PosValidation),
        (401, PosUnauthorized),
        (403, PosForbidden),
        (404, PosNotFound),
        (409, PosConflict),
        (422, PosValidation),
        (410, PosGone),
        (500, PosUnavailable),
        (503, PosUnavailable),
    ],
)
def test_status_picks_the_error_type(status: int, kind: type[PosError]):
    error = error_for_response(
        status, '{"error": "E", "message": "said so"}', endpoint="GET /api/2.0/x"
    )
    assert type(error) is kind
    assert (error.status, error.code, error.endpoint) == (status, "E", "GET /api/2.0/x")
    assert error.message.endswith("said so")


def test_other_4xx_is_the_base_error_with_its_status():
    error = error_for_response(418, '{"error": "teapot"}', endpoint="GET /api/2.0/x")
    assert type(error) is PosError
    assert error.status == 418 and error.message == "teapot"


def test_empty_error_body_still_gets_a_message():
    error = error_for_response(404, "", endpoint="GET /api/2.0/x")
    assert isinstance(error, PosNotFound)
    assert "404" in error.message


def test_gone_names_the_retired_endpoint_and_version():
    error = error_for_response(
        410,
        '{"error": "Gone"}',
        endpoint="POST /api/register_sales",
        api_version="0.9",
    )
    assert isinstance(error, PosGone)
    assert error.api_version == "0.9"
    assert "POST /api/register_sales" in str(error) and "API 0.9" in str(error)


def test_5xx_on_a_write_is_an_unknown_outcome_and_on_a_read_is_not():
    write = error_for_response(500, "", endpoint="POST /x", write=True)
    read = error_for_response(500, "", endpoint="GET /x")
    assert isinstance(write, PosUnavailable) and write.outcome_unknown
    assert isinstance(read, PosUnavailable) and not read.outcome_unknown


@pytest.mark.parametrize(
    ("answer", "kind", "message"),
    [
        (
            Answer(400, {"error": "Bad Request", "message": "sku must be text"}),
            PosValidation,
            "sku must be text",
        ),
        (
            Answer(401, {"error": "invalid_token", "error_description": "expired"}),
            PosUnauthorized,
            "expired",
        ),
        (Answer(403, "Forbidden"), PosForbidden, "Forbidden"),
        (Answer(422, {"error": "Sale is CLOSED"}), PosValidation, "Sale is CLOSED"),
    ],
)
def test_client_raises_the_typed_error_with_the_pos_message(
    answer: Answer, kind: type[PosError], message: str
):
    client, adapter, _ = scripted_client([answer])
    with pytest.raises(kind) as caught:
        client.outlets()
    assert caught.value.message == message
    assert caught.value.status == answer.status
    assert len(adapter.requests) == 1  # a 4xx is never retried
