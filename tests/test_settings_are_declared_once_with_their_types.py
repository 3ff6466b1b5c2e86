"""Each setting is declared once, on `Settings`, and its value has its parser's type.

The type checker reads a setting's type from its parser's return annotation; these tests
hold the running values to the same types, so what mypy sees is what the code gets.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest

from agent.settings import SETTINGS, Setting, Settings, optional, setting

# A valid value for each setting that has no default.
SAMPLES = {"TILLSYNC_STATUS_MAP": '{"on-hold": "closed"}'}


def _parser_type(declared: Setting[Any]) -> type:
    parse = declared.parse
    if isinstance(parse, type):
        return parse
    returned = typing.get_type_hints(parse)["return"]
    return typing.get_origin(returned) or returned


def test_every_setting_is_the_attribute_named_by_its_key() -> None:
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)
    for declared in SETTINGS:
        assert declared.env.startswith("TILLSYNC_")
        assert vars(Settings)[declared.key] is declared
    declared_on_class = [v for v in vars(Settings).values() if isinstance(v, Setting)]
    assert list(SETTINGS) == declared_on_class


def test_loaded_values_have_their_parsers_types(tmp_path: Path) -> None:
    environ = {s.env: SAMPLES.get(s.env, "x") for s in SETTINGS if s.default is None}
    environ.pop("TILLSYNC_DATABASE_URL")  # falls back to the data dir's ledger
    loaded = Settings.load(environ=environ, dotenv=tmp_path / "none")
    for declared in SETTINGS:
        value = getattr(loaded, declared.key)
        assert isinstance(value, _parser_type(declared)), declared.env
    assert isinstance(loaded.lease_seconds, int)
    assert isinstance(loaded.data_dir, Path)
    assert loaded.database_url.startswith("sqlite:///")


def test_unset_optional_settings_are_none(tmp_path: Path) -> None:
    loaded = Settings.load(environ={}, dotenv=tmp_path / "none")
    for declared in SETTINGS:
        if declared.default is None and declared.fallback is None:
            assert getattr(loaded, declared.key) is None, declared.env


def test_a_setting_declared_under_another_name_is_refused() -> None:
    with pytest.raises((TypeError, RuntimeError)) as caught:

        class Misnamed:
            shop_url = optional("TILLSYNC_WC_URL", "the shop")

        del Misnamed
    # Python 3.11 wraps an error raised in __set_name__ in a RuntimeError.
    error = caught.value.__cause__ or caught.value
    assert isinstance(error, TypeError)
    assert "TILLSYNC_WC_URL must be declared as wc_url, not shop_url" in str(error)


def test_a_setting_without_default_or_fallback_must_be_optional() -> None:
    with pytest.raises(TypeError, match="declare it optional"):
        setting("TILLSYNC_WC_URL", None, "the shop", str)


def test_replace_refuses_a_name_that_is_no_setting(tmp_path: Path) -> None:
    loaded = Settings.load(environ={}, dotenv=tmp_path / "none")
    with pytest.raises(TypeError, match="unknown \\['lease_secs'\\]"):
        loaded.replace(lease_secs=5)
    assert loaded.replace(lease_seconds=5).lease_seconds == 5
    assert loaded.lease_seconds == 60
