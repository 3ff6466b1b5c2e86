"""Every Tillsync setting, declared once (CONTRACT §1).

The table `SETTINGS` is the single source: `Settings.load()` reads it, `tillsync status`
masks the secrets it marks, and the README's settings table is checked against it by
`tests/test_docs_stay_true.py`. Values come from the environment, then from a
`.env` file in the working directory; the environment wins.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A setting a command needs is missing or invalid; the message names the variable."""


def _whole_number(raw: str, minimum: int) -> int:
    if not raw.strip().isdigit() or int(raw) < minimum:
        raise ValueError(f"{raw!r} is not a whole number ≥ {minimum}")
    return int(raw)


def _positive_int(raw: str) -> int:
    return _whole_number(raw, 1)


def _non_negative_int(raw: str) -> int:
    return _whole_number(raw, 0)


def _bind(raw: str) -> str:
    host, sep, port = raw.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must be HOST:PORT, for example 127.0.0.1:8787")
    return raw


def _database_url(raw: str) -> str:
    if not raw.startswith(("sqlite:///", "postgresql://", "postgres://", "mysql://")):
        raise ValueError("must start with sqlite:///, postgresql:// or mysql://")
    return raw


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError("must be one of " + ", ".join(allowed))
        return raw

    return parse


def _status_map(raw: str) -> dict[str, str]:
    value = json.loads(raw)
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError('must be a JSON object of strings, e.g. {"on-hold": "closed"}')
    allowed = {"closed", "waiting", "void"}
    bad = sorted(v for v in value.values() if v not in allowed)
    if bad:
        raise ValueError(f"unknown target {bad[0]!r}; use closed, waiting or void")
    return value


@dataclass(frozen=True)
class Setting:
    """One configuration variable: its name, default, help text and parser."""

    env: str
    default: str | None
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False

    @property
    def key(self) -> str:
        """The attribute name on `Settings` (``TILLSYNC_POS_TOKEN`` → ``pos_token``)."""
        return self.env.removeprefix("TILLSYNC_").lower()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TILLSYNC_DATA_DIR",
        "./var",
        "where the SQLite ledger, backups and a generated hook secret live",
    ),
    Setting(
        "TILLSYNC_DATABASE_URL",
        None,
        "ledger database (default sqlite:///<data dir>/ledger.db); "
        "postgresql://… and mysql://… (MariaDB ≥ 10.6) also supported",
        _database_url,
    ),
    Setting(
        "TILLSYNC_BIND",
        "127.0.0.1:8787",
        "where `tillsync serve` listens (loopback by default)",
        _bind,
    ),
    Setting("TILLSYNC_WEB_WORKERS", "2", "gunicorn workers", _positive_int),
    Setting(
        "TILLSYNC_HOOK_SECRET",
        None,
        "shared secret with the WordPress plugin (default: <data dir>/hook-secret)",
        secret=True,
    ),
    Setting(
        "TILLSYNC_POS_DOMAIN_PREFIX",
        None,
        "X-Series store prefix: API at https://<prefix>.retail.lightspeed.app",
    ),
    Setting(
        "TILLSYNC_POS_BASE_URL",
        None,
        "full POS base URL override (an emulator, a proxy)",
    ),
    Setting(
        "TILLSYNC_POS_TOKEN", None, "X-Series personal token (Bearer)", secret=True
    ),
    Setting("TILLSYNC_POS_CLIENT_ID", None, "OAuth2 client id instead of a token"),
    Setting("TILLSYNC_POS_CLIENT_SECRET", None, "OAuth2 client secret", secret=True),
    Setting(
        "TILLSYNC_POS_REFRESH_TOKEN",
        None,
        "first OAuth2 refresh token; the rotating one is then kept in the ledger",
        secret=True,
    ),
    Setting(
        "TILLSYNC_POS_REGISTER_ID",
        None,
        "register that web sales go to (default: the only register)",
    ),
    Setting(
        "TILLSYNC_POS_USER_ID",
        None,
        "user recorded on each sale (default: the token's)",
    ),
    Setting(
        "TILLSYNC_POS_PAYMENT_TYPE_ID",
        None,
        'payment type for paid orders (default: the one named like "WooCommerce")',
    ),
    Setting(
        "TILLSYNC_POS_RATE_WINDOW",
        "300",
        "length in seconds of the POS rate-limit window (300 in X-Series; lower only "
        "for an emulator run with a compressed --window)",
        _positive_int,
    ),
    Setting("TILLSYNC_WC_URL", None, "WooCommerce store base URL"),
    Setting("TILLSYNC_WC_KEY", None, "WooCommerce REST API consumer key", secret=True),
    Setting(
        "TILLSYNC_WC_SECRET", None, "WooCommerce REST API consumer secret", secret=True
    ),
    Setting(
        "TILLSYNC_SYNC_INTERVAL",
        "15",
        "seconds between scheduler passes (a hook also wakes the pusher at once)",
        _positive_int,
    ),
    Setting(
        "TILLSYNC_POLL_INTERVAL",
        "300",
        "seconds between safety-net polls of WooCommerce (0 = off)",
        _non_negative_int,
    ),
    Setting(
        "TILLSYNC_LEASE_SECONDS",
        "60",
        "how long a worker holds a claimed order before another may take it",
        _positive_int,
    ),
    Setting(
        "TILLSYNC_STATUS_MAP",
        None,
        "JSON object overriding which WooCommerce statuses become which POS outcome",
        _status_map,
    ),
    Setting("TILLSYNC_LOG_FORMAT", "text", "`text` or `json`", _choice("text", "json")),
)

_BY_ENV = {s.env: s for s in SETTINGS}


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a `.env` file: KEY=VALUE lines, `#` comments, optional quotes."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def fingerprint(secret: str) -> str:
    """A short, non-reversible tag that lets a human compare two secrets."""
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()[:8]


class Settings:
    """Parsed settings; attributes are the lower-case names without the prefix."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        dotenv: Path | None = None,
    ) -> Settings:
        """Read every setting from `.env` then the environment; raise ConfigError."""
        raw: dict[str, str] = read_dotenv(dotenv or Path.cwd() / ".env")
        raw.update(os.environ if environ is None else environ)
        return cls.from_mapping(raw)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Settings:
        """Build settings from variable names (``TILLSYNC_…``) to values."""
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            given = raw.get(setting.env)
            if given is None or given == "":
                text = setting.default
            else:
                text = str(given)
            if text is None:
                values[setting.key] = None
                continue
            try:
                values[setting.key] = setting.parse(text)
            except (ValueError, json.JSONDecodeError) as exc:
                raise ConfigError(f"{setting.env} is invalid: {exc}") from None
        data_dir = Path(values["data_dir"]).expanduser()
        values["data_dir"] = data_dir
        if values["database_url"] is None:
            values["database_url"] = f"sqlite:///{data_dir.resolve()}/ledger.db"
        return cls(values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some attributes changed (tests, the demo)."""
        return Settings({**self._values, **changes})

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def require(self, env: str) -> Any:
        """The value of `env`, or ConfigError naming it when unset."""
        value = self._values[_BY_ENV[env].key]
        if value is None:
            raise ConfigError(f"{env} is not set: {_BY_ENV[env].help}")
        return value

    def masked(self) -> dict[str, Any]:
        """Every setting for display, secrets replaced by a fingerprint."""
        shown: dict[str, Any] = {}
        for setting in SETTINGS:
            value = self._values[setting.key]
            if setting.secret and value:
                value = fingerprint(str(value))
            shown[setting.env] = str(value) if isinstance(value, Path) else value
        return shown
