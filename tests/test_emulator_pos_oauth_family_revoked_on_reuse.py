"""The POS emulator can be as strict as OAuth servers that suspect a stolen token: a
revoked refresh token presented again revokes its whole family (the live refresh token
and every access token descended from the same authorization); other families live on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from agent.emulators.pos import PosEmulator


@pytest.fixture
def emulator() -> Iterator[PosEmulator]:
    with PosEmulator("tok", client_id="app", client_secret="s3cret") as emu:
        yield emu


def _refresh(emu: PosEmulator, refresh: str) -> requests.Response:
    return requests.post(
        f"{emu.base_url}/api/1.0/token",
        data={
            "grant_type": "refresh_token",
            "client_id": "app",
            "client_secret": "s3cret",
            "refresh_token": refresh,
        },
        timeout=10,
    )


def _works(emu: PosEmulator, access: str) -> bool:
    answer = requests.get(
        f"{emu.base_url}/api/2.0/outlets",
        headers={"Authorization": f"Bearer {access}"},
        timeout=10,
    )
    return answer.status_code == 200


@pytest.mark.parametrize("strict", [True, False])
def test_reusing_a_revoked_refresh_token(emulator: PosEmulator, strict: bool):
    emulator.oauth.revoke_family_on_reuse = strict
    first = emulator.issue_refresh_token()
    other_store = emulator.issue_refresh_token()
    rotated = _refresh(emulator, first).json()
    assert _works(emulator, rotated["access_token"])

    reuse = _refresh(emulator, first)

    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    assert emulator.oauth.reuses == 1
    # Strict: the thief and the rightful holder are both cut off.
    assert emulator.refresh_token_revoked(rotated["refresh_token"]) is strict
    assert _works(emulator, rotated["access_token"]) is not strict
    # Another authorization (another family) is untouched either way.
    assert other_store in emulator.oauth.live_refresh_tokens()
    assert _refresh(emulator, other_store).status_code == 200
