"""`TILLSYNC_HOOK_SECRET` from the environment needs at least 32 characters, like the
generated `<data dir>/hook-secret`: a shorter one stops the start with one line naming
the variable (and never showing the value)."""

from __future__ import annotations

from pathlib import Path

import pytest
from processes import start_tillsync

from agent.hook_secret import ensure_hook_secret, read_hook_secret
from agent.settings import ConfigError, Settings
from agent.web import create_app

SHORT = "s3cret-" + "x" * 24  # 31 characters


def _settings(tmp_path: Path, secret: str) -> Settings:
    return Settings.from_mapping(
        {"TILLSYNC_DATA_DIR": str(tmp_path / "data"), "TILLSYNC_HOOK_SECRET": secret}
    )


def test_31_characters_are_refused_naming_the_variable(tmp_path: Path):
    settings = _settings(tmp_path, SHORT)
    for read in (read_hook_secret, ensure_hook_secret):
        with pytest.raises(ConfigError) as caught:
            read(settings)
        assert "TILLSYNC_HOOK_SECRET" in str(caught.value)
        assert "at least 32" in str(caught.value)
        assert SHORT not in str(caught.value)
    with pytest.raises(ConfigError, match="TILLSYNC_HOOK_SECRET"):
        create_app(settings)
    assert not (tmp_path / "data" / "hook-secret").exists()


def test_32_characters_are_enough(tmp_path: Path):
    secret = SHORT + "y"
    assert read_hook_secret(_settings(tmp_path, secret)) == secret
    assert ensure_hook_secret(_settings(tmp_path, secret)) == (secret, False)


def test_serve_with_a_short_secret_exits_1_with_one_line(tmp_path: Path):
    process = start_tillsync(
        ["serve"],
        {"TILLSYNC_DATA_DIR": str(tmp_path / "data"), "TILLSYNC_HOOK_SECRET": SHORT},
    )
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, (out, err)
    expected = (
        "tillsync: TILLSYNC_HOOK_SECRET has 31 characters; it needs at least 32 "
        "(unset it to have `tillsync serve` generate one)"
    )
    assert err.splitlines() == [expected]
    assert SHORT not in out + err
