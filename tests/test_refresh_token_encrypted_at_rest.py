"""The OAuth refresh token (and the shared access token) are sealed in the ledger with
the key in `<data dir>/secret-key`: the raw column is not the token, a new process reads
it back, a token 0.1.0 left in clear is sealed on first read, and a missing or different
key is one clear error naming the key file, never the token."""

from __future__ import annotations

import logging
from pathlib import Path

import peewee
import pytest
from conftest import every_backend
from cryptography.fernet import Fernet

from agent.clients import pos_client
from agent.emulators.pos import PosEmulator
from agent.ledger.models import Credential
from agent.ledger.pos_tokens import ACCESS_TOKEN, REFRESH_TOKEN, LedgerTokenStore
from agent.ledger.secrets import ledger_secrets
from agent.pos import PosUnauthorized
from agent.secret_key import SecretUnreadable
from agent.settings import Settings

TOKEN = "rt-0123456789-the-refresh-token"
CLIENT_ID, CLIENT_SECRET = "tillsync-app", "app-secret-for-tests"


def _settings(tmp_path: Path, database_url: str, **more: str) -> Settings:
    return Settings.from_mapping(
        {
            "TILLSYNC_DATA_DIR": str(tmp_path / "data"),
            "TILLSYNC_DATABASE_URL": database_url,
            **more,
        }
    )


def _oauth_pos() -> PosEmulator:
    return PosEmulator(
        "personal-token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )


def _oauth_settings(
    tmp_path: Path, database_url: str, pos: PosEmulator, **more: str
) -> Settings:
    return _settings(
        tmp_path,
        database_url,
        TILLSYNC_POS_BASE_URL=pos.base_url,
        TILLSYNC_POS_CLIENT_ID=CLIENT_ID,
        TILLSYNC_POS_CLIENT_SECRET=CLIENT_SECRET,
        **more,
    )


def _raw(name: str) -> str:
    return str(Credential.get(Credential.name == name).value)


@every_backend
def test_the_raw_column_is_not_the_token_and_a_new_process_reads_it_back(
    ledger: peewee.Database, database_url: str, tmp_path: Path
):
    settings = _settings(tmp_path, database_url)
    LedgerTokenStore(ledger_secrets(settings)).save(TOKEN)
    LedgerTokenStore(ledger_secrets(settings)).save_access("at-secret-access", 600)

    assert TOKEN not in _raw(REFRESH_TOKEN)
    assert "at-secret-access" not in _raw(ACCESS_TOKEN)
    key = (tmp_path / "data" / "secret-key").read_text().strip()
    assert key not in _raw(REFRESH_TOKEN)
    # A fresh store (another process) with the same key file reads both back.
    again = LedgerTokenStore(ledger_secrets(settings))
    assert again.load() == TOKEN
    shared = again.load_access()
    assert shared is not None and shared[0] == "at-secret-access"
    assert 0 < shared[1] <= 600


@every_backend
def test_a_clear_token_left_by_0_1_0_is_kept_and_sealed_on_first_read(
    ledger: peewee.Database, database_url: str, tmp_path: Path
):
    Credential.create(name=REFRESH_TOKEN, value=TOKEN, updated_at=0.0)
    store = LedgerTokenStore(ledger_secrets(_settings(tmp_path, database_url)))

    assert store.load() == TOKEN
    assert TOKEN not in _raw(REFRESH_TOKEN)
    assert store.load() == TOKEN


def test_a_different_key_is_a_clear_error_naming_the_key_file(
    ledger: peewee.Database, database_url: str, tmp_path: Path
):
    settings = _settings(tmp_path, database_url)
    LedgerTokenStore(ledger_secrets(settings)).save(TOKEN)
    key_file = tmp_path / "data" / "secret-key"
    key_file.write_text(Fernet.generate_key().decode())

    with pytest.raises(SecretUnreadable) as caught:
        LedgerTokenStore(ledger_secrets(settings)).load()
    message = str(caught.value)
    assert str(key_file) in message and TOKEN not in message
    assert "\n" not in message


def test_a_missing_key_is_a_clear_error_and_no_new_key_is_made(
    ledger: peewee.Database, database_url: str, tmp_path: Path
):
    settings = _settings(tmp_path, database_url)
    LedgerTokenStore(ledger_secrets(settings)).save(TOKEN)
    key_file = tmp_path / "data" / "secret-key"
    key_file.unlink()

    with pytest.raises(SecretUnreadable, match="is missing") as caught:
        LedgerTokenStore(ledger_secrets(settings)).load()
    assert str(key_file) in str(caught.value)
    assert not key_file.exists()


def test_the_pos_client_reports_an_unreadable_token_without_calling_the_pos(
    ledger: peewee.Database, database_url: str, tmp_path: Path
):
    with _oauth_pos() as pos:
        settings = _oauth_settings(tmp_path, database_url, pos)
        LedgerTokenStore(ledger_secrets(settings)).save(pos.issue_refresh_token())
        key_file = tmp_path / "data" / "secret-key"
        key_file.write_text(Fernet.generate_key().decode())

        with pytest.raises(PosUnauthorized) as caught:
            pos_client(settings).outlets()
        assert str(key_file) in str(caught.value)
        assert pos.request_log() == []


def test_a_real_refresh_never_logs_a_token_or_the_key(
    ledger: peewee.Database,
    database_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    with _oauth_pos() as pos:
        first = pos.issue_refresh_token()
        settings = _oauth_settings(
            tmp_path, database_url, pos, TILLSYNC_POS_REFRESH_TOKEN=first
        )
        pos_client(settings).outlets()
        store = LedgerTokenStore(ledger_secrets(settings))
        latest = store.load()
        shared = store.load_access()

    assert latest is not None and latest != first and shared is not None
    key = (tmp_path / "data" / "secret-key").read_text().strip()
    for secret in (first, latest, shared[0], key, CLIENT_SECRET):
        assert secret not in caplog.text
