"""The POS emulator's consent page (`GET /connect`) stands in for a merchant who clicks
"Allow": it sends the browser back with a code, the store's prefix and the state; the
code is exchanged once, with the same redirect_uri, in a form body."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests

from agent.emulators.pos import PosEmulator

CLIENT_ID, CLIENT_SECRET = "app", "app-secret"
BACK = "https://shop.example/wp-admin/admin.php?page=tillsync"


@pytest.fixture
def emulator() -> Iterator[PosEmulator]:
    with PosEmulator("t", client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as emu:
        yield emu


def consent(emulator: PosEmulator, **query: str) -> requests.Response:
    params = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": BACK}
    params.update(query)
    return requests.get(
        f"{emulator.base_url}/connect?{urlencode(params)}",
        allow_redirects=False,
        timeout=10,
    )


def exchange(
    emulator: PosEmulator, code: str, redirect_uri: str = BACK
) -> requests.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    return requests.post(f"{emulator.base_url}/api/1.0/token", data=form, timeout=10)


def test_allow_sends_the_browser_back_with_a_code_good_once(emulator: PosEmulator):
    answer = consent(emulator, state="abc")
    assert answer.status_code == 302
    location = urlparse(answer.headers["Location"])
    assert location._replace(query="").geturl() + "?page=tillsync" == BACK
    back = parse_qs(location.query)
    assert back["state"] == ["abc"] and back["page"] == ["tillsync"]
    assert back["domain_prefix"] and back["code"]
    tokens = exchange(emulator, back["code"][0])
    assert tokens.status_code == 200, tokens.text
    assert {"access_token", "refresh_token", "expires_in"} <= tokens.json().keys()
    again = exchange(emulator, back["code"][0])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_the_code_needs_the_same_redirect_uri(emulator: PosEmulator):
    code = parse_qs(urlparse(consent(emulator).headers["Location"]).query)["code"][0]
    answer = exchange(emulator, code, redirect_uri="https://elsewhere.example/")
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"client_id": "other-app"}, "invalid_client"),
        ({"redirect_uri": "javascript:alert(1)"}, "invalid_request"),
    ],
)
def test_a_bad_consent_request_is_refused(emulator: PosEmulator, query, error):
    answer = consent(emulator, **query)
    assert answer.status_code == 400 and answer.json()["error"] == error
