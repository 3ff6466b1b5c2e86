"""A POS error never carries a token or the OAuth client secret, even when what stands
in front of the POS echoes them back: a proxy page quoting the Authorization header, a
token endpoint that answers a form instead of JSON, or one quoting the form it got."""

from __future__ import annotations

import traceback

import pytest
from scripted_transport import ScriptedResponse, scripted_session

from agent.pos import BearerToken, OAuthRefresh, PosClient, PosError, PosUnavailable
from agent.pos.retry import RetryPolicy

BEARER = "pos-personal-token-5d21"
CLIENT_ID, CLIENT_SECRET = "tillsync-app", "app-secret-c0ffee42"
REFRESH, NEW_ACCESS, NEW_REFRESH = "refresh-token-a1b2", "access-9f8e", "refresh-7c6d"
SECRETS = (BEARER, CLIENT_SECRET, REFRESH, NEW_ACCESS, NEW_REFRESH)


class MemoryStore:
    """A refresh-token store in memory."""

    def __init__(self) -> None:
        self.token: str | None = REFRESH

    def load(self) -> str | None:
        return self.token

    def save(self, token: str) -> None:
        self.token = token


def pos_answering(answer: ScriptedResponse, *, oauth: bool) -> PosClient:
    session, _ = scripted_session(lambda request: answer)
    auth = (
        OAuthRefresh(CLIENT_ID, CLIENT_SECRET, MemoryStore())
        if oauth
        else BearerToken(BEARER)
    )
    no_retry = RetryPolicy(attempts=1, sleep=lambda seconds: None)
    return PosClient("https://shop.test", auth, session=session, retry=no_retry)


def assert_hidden(error: PosError) -> None:
    shown = "\n".join(
        [
            str(error),
            repr(error),
            error.message,
            error.code or "",
            "".join(traceback.format_exception(error)),
        ]
    )
    for secret in SECRETS:
        assert secret not in shown, shown


def test_a_proxy_page_quoting_the_authorization_header() -> None:
    page = (
        "<html><body><h1>502 Bad Gateway</h1><pre>GET /api/2.0/users HTTP/1.1\n"
        f"Authorization: Bearer {BEARER}\nHost: shop.test</pre></body></html>"
    )
    pos = pos_answering(ScriptedResponse(status=502, body=page), oauth=False)
    with pytest.raises(PosUnavailable) as caught:
        pos.current_user()
    assert "502 Bad Gateway" in caught.value.message
    assert_hidden(caught.value)


def test_a_token_answer_in_form_encoding() -> None:
    form = f"access_token={NEW_ACCESS}&refresh_token={NEW_REFRESH}&expires_in=3600"
    pos = pos_answering(ScriptedResponse(body=form), oauth=True)
    with pytest.raises(PosError) as caught:
        pos.current_user()
    assert "expires_in=3600" in caught.value.message
    assert_hidden(caught.value)


def test_a_token_refusal_quoting_the_form() -> None:
    echo = (
        '{"error": "invalid_client", "error_description": "bad request '
        f"grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        f'&refresh_token={REFRESH}"}}'
    )
    pos = pos_answering(ScriptedResponse(status=400, body=echo), oauth=True)
    with pytest.raises(PosError) as caught:
        pos.current_user()
    assert f"client_id={CLIENT_ID}" in caught.value.message
    assert_hidden(caught.value)
