"""OAuth2 refresh mode: the rotated refresh token is stored BEFORE the access token is used."""

from __future__ import annotations

import threading

import pytest
from pos_fakes import FakeClock

from agent.emulators.pos import PosEmulator
from agent.pos import OAuthRefresh, PosClient, PosUnauthorized

CLIENT_ID, CLIENT_SECRET = "tillsync-app", "app-secret"


class MemoryStore:
    """A RefreshTokenStore that remembers what the emulator had seen at each save."""

    def __init__(self, emulator: PosEmulator, token: str | None = None) -> None:
        self.emulator = emulator
        self.token = token
        self.saves: list[tuple[str, list[str]]] = []
        self.fail_next_save = False

    def load(self) -> str | None:
        return self.token

    def save(self, token: str) -> None:
        if self.fail_next_save:
            self.fail_next_save = False
            raise OSError("disk full")
        seen = [r.endpoint for r in self.emulator.request_log()]
        self.saves.append((token, seen))
        self.token = token


def oauth_emulator(**options) -> PosEmulator:
    return PosEmulator(
        "personal-token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, **options
    )


def test_rotated_token_is_saved_before_the_first_call_that_uses_the_access_token():
    with oauth_emulator() as emulator:
        first = emulator.issue_refresh_token()
        store = MemoryStore(emulator, first)
        client = PosClient(
            emulator.base_url, OAuthRefresh(CLIENT_ID, CLIENT_SECRET, store)
        )
        assert client.current_user().username == "owner"

        ((saved, seen_at_save),) = store.saves
        assert saved != first and emulator.refresh_token_revoked(first)
        # At save time the POS had seen the token exchange and nothing else.
        assert seen_at_save == ["POST /api/1.0/token"]
        assert [r.endpoint for r in emulator.request_log()] == [
            "POST /api/1.0/token",
            "GET /api/2.0/user",
        ]


def test_access_token_is_reused_until_it_expires_then_the_stored_token_rotates_again():
    clock = FakeClock()
    with oauth_emulator(access_token_ttl=3600) as emulator:
        store = MemoryStore(emulator, emulator.issue_refresh_token())
        auth = OAuthRefresh(CLIENT_ID, CLIENT_SECRET, store, clock=clock)
        client = PosClient(emulator.base_url, auth)
        client.outlets()
        client.registers()
        assert len(store.saves) == 1
        second = store.token
        clock.now += 3600  # past expiry (minus the safety margin)
        client.taxes()
        assert len(store.saves) == 2
        assert emulator.refresh_token_revoked(second)
        assert store.token is not None and not emulator.refresh_token_revoked(
            store.token
        )


def test_a_401_on_an_access_token_triggers_one_refresh_and_one_retry():
    with oauth_emulator(access_token_ttl=0.2) as emulator:
        store = MemoryStore(emulator, emulator.issue_refresh_token())
        # The client's clock stands still, so it believes the token is still valid
        # when the POS has already expired it.
        auth = OAuthRefresh(CLIENT_ID, CLIENT_SECRET, store, clock=FakeClock())
        client = PosClient(emulator.base_url, auth)
        client.outlets()
        threading.Event().wait(0.3)
        assert [u.username for u in client.users()] == ["owner", "cashier"]
        statuses = [(r.endpoint, r.status) for r in emulator.request_log()]
        assert statuses[-3:] == [
            ("GET /api/2.0/users", 401),
            ("POST /api/1.0/token", 200),
            ("GET /api/2.0/users", 200),
        ], emulator.format_request_log()


def test_a_revoked_refresh_token_is_unauthorized_and_nothing_is_saved():
    with oauth_emulator() as emulator:
        old = emulator.issue_refresh_token()
        store = MemoryStore(emulator, old)
        PosClient(
            emulator.base_url, OAuthRefresh(CLIENT_ID, CLIENT_SECRET, store)
        ).outlets()
        store.token = old  # e.g. a second process still holding the old token
        store.saves.clear()
        client = PosClient(
            emulator.base_url, OAuthRefresh(CLIENT_ID, CLIENT_SECRET, store)
        )
        with pytest.raises(PosUnauthorized) as caught:
            client.outlets()
        assert caught.value.code == "invalid_grant"
        assert store.saves == []


def test_wrong_client_secret_is_unauthorized():
    with oauth_emulator() as emulator:
        store = MemoryStore(emulator, emulator.issue_refresh_token())
        client = PosClient(emulator.base_url, OAuthRefresh(CLIENT_ID, "nope", store))
        with pytest.raises(PosUnauthorized) as caught:
            client.outlets()
        assert caught.value.code == "invalid_client"


def test_no_refresh_token_at_all_is_a_clear_unauthorized_without_a_request():
    with oauth_emulator() as emulator:
        client = PosClient(
            emulator.base_url,
            OAuthRefresh(CLIENT_ID, CLIENT_SECRET, MemoryStore(emulator)),
        )
        with pytest.raises(PosUnauthorized, match="TILLSYNC_POS_REFRESH_TOKEN"):
            client.outlets()
        assert emulator.request_log() == []


def test_a_failed_save_keeps_the_access_token_unused_and_is_saved_on_the_next_call():
    with oauth_emulator() as emulator:
        store = MemoryStore(emulator, emulator.issue_refresh_token())
        store.fail_next_save = True
        client = PosClient(
            emulator.base_url, OAuthRefresh(CLIENT_ID, CLIENT_SECRET, store)
        )
        with pytest.raises(OSError, match="disk full"):
            client.outlets()
        assert [r.endpoint for r in emulator.request_log()] == ["POST /api/1.0/token"]
        # Next call: the rotated token (kept in memory) is saved first, then used.
        assert client.outlets()
        first_save, second_save = store.saves
        assert not emulator.refresh_token_revoked(second_save[0])
        assert emulator.refresh_token_revoked(first_save[0])


def test_concurrent_callers_refresh_once():
    with oauth_emulator() as emulator:
        store = MemoryStore(emulator, emulator.issue_refresh_token())
        client = PosClient(
            emulator.base_url, OAuthRefresh(CLIENT_ID, CLIENT_SECRET, store)
        )
        threads = [threading.Thread(target=client.outlets) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.saves) == 1
        assert emulator.counters() == {
            "POST /api/1.0/token": 1,
            "GET /api/2.0/outlets": 6,
        }


def test_secrets_do_not_appear_in_reprs():
    auth = OAuthRefresh(CLIENT_ID, "very-secret", store=None, refresh_token="rt-secret")  # type: ignore[arg-type]
    assert "very-secret" not in repr(auth) and "rt-secret" not in repr(auth)
