"""The emulator wants a Bearer token, and rotates OAuth refresh tokens."""

from __future__ import annotations

import time

import pytest
import requests

from agent.emulators.pos import PosEmulator


@pytest.fixture
def emulator():
    with PosEmulator(
        "tok", client_id="app", client_secret="s3cret", access_token_ttl=0.3
    ) as emu:
        yield emu


def token_form(emu: PosEmulator, refresh: str, **overrides: str) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "client_id": "app",
        "client_secret": "s3cret",
        "refresh_token": refresh,
        **overrides,
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Basic dG9rOg=="},
        {"Authorization": "Bearer"},
        {"Authorization": "tok"},
    ],
)
def test_requests_without_the_right_bearer_token_get_401(emulator, headers):
    answer = requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] in ("invalid_request", "invalid_token")
    assert "error_description" in answer.json()


def test_refresh_rotates_and_revokes_the_old_refresh_token(emulator):
    first = emulator.issue_refresh_token()
    answer = requests.post(
        f"{emulator.base_url}/api/1.0/token", data=token_form(emulator, first)
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) >= {"access_token", "expires_in", "refresh_token"}
    assert body["refresh_token"] != first
    again = requests.post(
        f"{emulator.base_url}/api/1.0/token", data=token_form(emulator, first)
    )
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    # The new access token works as a Bearer token, until it expires.
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert (
        requests.get(f"{emulator.base_url}/api/2.0/user", headers=headers).status_code
        == 200
    )
    time.sleep(0.4)
    assert (
        requests.get(f"{emulator.base_url}/api/2.0/user", headers=headers).status_code
        == 401
    )


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "other"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "authorization_code", "code": "made-up"}, 400, "invalid_grant"),
        ({"refresh_token": "made-up"}, 400, "invalid_grant"),
    ],
)
def test_token_endpoint_refusals(emulator, overrides, status, error):
    refresh = emulator.issue_refresh_token()
    answer = requests.post(
        f"{emulator.base_url}/api/1.0/token",
        data=token_form(emulator, refresh, **overrides),
    )
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert not emulator.refresh_token_revoked(refresh)


def test_token_endpoint_wants_a_form_not_json(emulator):
    refresh = emulator.issue_refresh_token()
    answer = requests.post(
        f"{emulator.base_url}/api/1.0/token", json=token_form(emulator, refresh)
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    assert not emulator.refresh_token_revoked(refresh)


def test_without_oauth_configured_the_token_endpoint_refuses():
    with PosEmulator("tok") as emu:
        answer = requests.post(
            f"{emu.base_url}/api/1.0/token", data={"grant_type": "refresh_token"}
        )
        assert answer.status_code == 401
        assert answer.json()["error"] == "invalid_client"
