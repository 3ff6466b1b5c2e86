"""Settings: defaults, `.env`, the environment winning, clear errors, masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.settings import ConfigError, Settings, fingerprint


def test_defaults_match_the_contract(tmp_path):
    s = Settings.load(environ={}, dotenv=tmp_path / "none")
    assert s.bind == "127.0.0.1:8787"
    assert s.web_workers == 2
    assert s.sync_interval == 15
    assert s.poll_interval == 300
    assert s.lease_seconds == 60
    assert s.log_format == "text"
    assert str(s.data_dir) == "var"
    assert s.database_url == f"sqlite:///{Path('var').resolve()}/ledger.db"


def test_dotenv_is_read_and_environment_wins(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nTILLSYNC_SYNC_INTERVAL=7\nexport TILLSYNC_BIND='127.0.0.1:9000'\n"
        'TILLSYNC_LOG_FORMAT="json"\n'
    )
    s = Settings.load(environ={"TILLSYNC_SYNC_INTERVAL": "3"}, dotenv=dotenv)
    assert s.sync_interval == 3
    assert s.bind == "127.0.0.1:9000"
    assert s.log_format == "json"


@pytest.mark.parametrize(
    ("env", "value"),
    [
        ("TILLSYNC_SYNC_INTERVAL", "soon"),
        ("TILLSYNC_WEB_WORKERS", "0"),
        ("TILLSYNC_BIND", "8787"),
        ("TILLSYNC_LOG_FORMAT", "xml"),
        ("TILLSYNC_DATABASE_URL", "oracle://x"),
        ("TILLSYNC_STATUS_MAP", "[1]"),
        ("TILLSYNC_STATUS_MAP", '{"on-hold": "teleport"}'),
        ("TILLSYNC_POLL_INTERVAL", "-1"),
    ],
)
def test_invalid_value_names_the_variable(tmp_path, env, value):
    with pytest.raises(ConfigError) as error:
        Settings.load(environ={env: value}, dotenv=tmp_path / "none")
    assert str(error.value).startswith(env)


def test_require_names_a_missing_variable(tmp_path):
    s = Settings.load(environ={}, dotenv=tmp_path / "none")
    with pytest.raises(ConfigError, match="^TILLSYNC_POS_TOKEN is not set"):
        s.require("TILLSYNC_POS_TOKEN")


def test_secrets_are_masked(tmp_path):
    s = Settings.load(
        environ={"TILLSYNC_POS_TOKEN": "tok-very-secret", "TILLSYNC_WC_SECRET": "cs_x"},
        dotenv=tmp_path / "none",
    )
    shown = s.masked()
    assert "tok-very-secret" not in str(shown)
    assert shown["TILLSYNC_POS_TOKEN"] == fingerprint("tok-very-secret")
    assert shown["TILLSYNC_BIND"] == "127.0.0.1:8787"
