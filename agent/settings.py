"""Every Tillsync setting, declared once (README, 'Settings').

Each setting is one line of the `Settings` class body: its variable, default, help text
and parser, and through the parser its type, so `settings.lease_seconds` is an `int` and
`settings.pos_token` a `str | None` to the type checker too. `SETTINGS` lists those lines
in order: `Settings.load()` reads it, `tillsync status` masks the secrets it marks, and
the README's settings table is checked against it by `tests/test_docs_stay_true.py`.
Values come from the environment, then from a `.env` file in the working directory; the
environment wins.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast, overload

T = TypeVar("T")


class ConfigError(Exception):
    """A setting a command needs is missing or invalid; the message names the variable."""


def _path(raw: str) -> Path:
    return Path(raw).expanduser()


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


def _ledger_in_data_dir(values: Mapping[str, Any]) -> str:
    return f"sqlite:///{Path(values['data_dir']).resolve()}/ledger.db"


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError("must be one of " + ", ".join(allowed))
        return raw

    return parse


PRODUCT_FIELDS = ("stock", "price", "name")


def _product_fields(raw: str) -> frozenset[str]:
    fields = {part.strip().lower() for part in raw.split(",") if part.strip()}
    unknown = sorted(fields - set(PRODUCT_FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}; use stock, price and/or name")
    return frozenset(fields)


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
class Setting(Generic[T]):
    """One configuration variable: its name, default, help text and parser.

    Declared in the `Settings` class body under its `key`; read on a `Settings` object,
    it is the parsed value, of the type its parser returns.
    """

    env: str
    default: str | None
    help: str
    parse: Callable[[str], T]
    secret: bool = False
    # The value when neither the environment nor a default gives one, from the
    # settings read before it (the ledger's URL from the data dir).
    fallback: Callable[[Mapping[str, Any]], T] | None = None

    @property
    def key(self) -> str:
        """The attribute name on `Settings` (``TILLSYNC_POS_TOKEN`` → ``pos_token``)."""
        return self.env.removeprefix("TILLSYNC_").lower()

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if name != self.key:
            raise TypeError(f"{self.env} must be declared as {self.key}, not {name}")

    @overload
    def __get__(self, settings: None, owner: type[Any]) -> Setting[T]: ...

    @overload
    def __get__(self, settings: Settings, owner: type[Any]) -> T: ...

    def __get__(self, settings: Settings | None, owner: type[Any]) -> Setting[T] | T:
        if settings is None:
            return self
        return cast(T, settings._values[self.key])

    def value(self, raw: str | None, earlier: Mapping[str, Any]) -> T | None:
        """The parsed value of `raw` (None or "" means unset), or ConfigError."""
        text = self.default if raw is None or raw == "" else raw
        if text is None:
            return self.fallback(earlier) if self.fallback is not None else None
        try:
            return self.parse(text)
        except (ValueError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{self.env} is invalid: {exc}") from None


def setting(
    env: str,
    default: str | None,
    help: str,
    parse: Callable[[str], T],
    *,
    fallback: Callable[[Mapping[str, Any]], T] | None = None,
) -> Setting[T]:
    """A setting that always has a value: its default's, or its fallback's."""
    if default is None and fallback is None:
        raise TypeError(f"{env}: give a default or a fallback, or declare it optional")
    return Setting(env, default, help, parse, fallback=fallback)


@overload
def optional(env: str, help: str, *, secret: bool = False) -> Setting[str | None]: ...


@overload
def optional(
    env: str, help: str, parse: Callable[[str], T], *, secret: bool = False
) -> Setting[T | None]: ...


def optional(
    env: str, help: str, parse: Callable[[str], Any] = str, *, secret: bool = False
) -> Setting[Any]:
    """A setting that may be unset (None); text unless `parse` says otherwise."""
    return Setting(env, None, help, parse, secret=secret)


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

    data_dir = setting(
        "TILLSYNC_DATA_DIR",
        "./var",
        "where the SQLite ledger, backups and a generated hook secret live",
        _path,
    )
    database_url = setting(
        "TILLSYNC_DATABASE_URL",
        None,
        "ledger database (default sqlite:///<data dir>/ledger.db); "
        "postgresql://… and mysql://… (MariaDB ≥ 10.6) also supported",
        _database_url,
        fallback=_ledger_in_data_dir,
    )
    bind = setting(
        "TILLSYNC_BIND",
        "127.0.0.1:8787",
        "where `tillsync serve` listens (loopback by default)",
        _bind,
    )
    web_workers = setting(
        "TILLSYNC_WEB_WORKERS", "2", "gunicorn workers", _positive_int
    )
    hook_secret = optional(
        "TILLSYNC_HOOK_SECRET",
        "shared secret with the WordPress plugin (default: <data dir>/hook-secret)",
        secret=True,
    )
    pos_domain_prefix = optional(
        "TILLSYNC_POS_DOMAIN_PREFIX",
        "X-Series store prefix: API at https://<prefix>.retail.lightspeed.app",
    )
    pos_base_url = optional(
        "TILLSYNC_POS_BASE_URL", "full POS base URL override (an emulator, a proxy)"
    )
    pos_token = optional(
        "TILLSYNC_POS_TOKEN", "X-Series personal token (Bearer)", secret=True
    )
    pos_client_id = optional(
        "TILLSYNC_POS_CLIENT_ID", "OAuth2 client id instead of a token"
    )
    pos_client_secret = optional(
        "TILLSYNC_POS_CLIENT_SECRET", "OAuth2 client secret", secret=True
    )
    pos_refresh_token = optional(
        "TILLSYNC_POS_REFRESH_TOKEN",
        "first OAuth2 refresh token; the rotating one is then kept in the ledger",
        secret=True,
    )
    pos_register_id = optional(
        "TILLSYNC_POS_REGISTER_ID",
        "register that web sales go to (default: the only register)",
    )
    pos_user_id = optional(
        "TILLSYNC_POS_USER_ID", "user recorded on each sale (default: the token's)"
    )
    pos_payment_type_id = optional(
        "TILLSYNC_POS_PAYMENT_TYPE_ID",
        'payment type for paid orders (default: the one named like "WooCommerce")',
    )
    pos_rate_window = setting(
        "TILLSYNC_POS_RATE_WINDOW",
        "300",
        "length in seconds of the POS rate-limit window (300 in X-Series; lower only "
        "for an emulator run with a compressed --window)",
        _positive_int,
    )
    wc_url = optional("TILLSYNC_WC_URL", "WooCommerce store base URL")
    wc_key = optional(
        "TILLSYNC_WC_KEY", "WooCommerce REST API consumer key", secret=True
    )
    wc_secret = optional(
        "TILLSYNC_WC_SECRET", "WooCommerce REST API consumer secret", secret=True
    )
    sync_interval = setting(
        "TILLSYNC_SYNC_INTERVAL",
        "15",
        "seconds between scheduler passes (a hook also wakes the pusher at once)",
        _positive_int,
    )
    poll_interval = setting(
        "TILLSYNC_POLL_INTERVAL",
        "300",
        "seconds between safety-net polls of WooCommerce (0 = off)",
        _non_negative_int,
    )
    lease_seconds = setting(
        "TILLSYNC_LEASE_SECONDS",
        "60",
        "how long a worker holds a claimed order before another may take it",
        _positive_int,
    )
    status_map = optional(
        "TILLSYNC_STATUS_MAP",
        "JSON object overriding which WooCommerce statuses become which POS outcome",
        _status_map,
    )
    log_format = setting(
        "TILLSYNC_LOG_FORMAT", "text", "`text` or `json`", _choice("text", "json")
    )
    stock_interval = setting(
        "TILLSYNC_STOCK_INTERVAL",
        "30",
        "seconds between reads of the POS inventory feed that keep WooCommerce stock in "
        "line with the POS (0 = off)",
        _non_negative_int,
    )
    product_fields = setting(
        "TILLSYNC_PRODUCT_FIELDS",
        "stock",
        "what the POS keeps up to date on linked WooCommerce products: any of stock, "
        "price, name, comma-separated",
        _product_fields,
    )

    def __init__(self, values: Mapping[str, Any]) -> None:
        missing = sorted(s.key for s in SETTINGS if s.key not in values)
        unknown = sorted(set(values) - {s.key for s in SETTINGS})
        if missing or unknown:
            raise TypeError(f"settings: missing {missing}, unknown {unknown}")
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
        for declared in SETTINGS:
            given = raw.get(declared.env)
            values[declared.key] = declared.value(
                None if given is None else str(given), values
            )
        return cls(values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some attributes changed (tests, the demo)."""
        return Settings({**self._values, **changes})

    def is_set(self, env: str) -> bool:
        """Whether `env` has a value (given, or a default)."""
        return self._values[_BY_ENV[env].key] is not None

    def filled_from(self, given: Mapping[str, str]) -> Settings:
        """A copy where each of `given` (``TILLSYNC_…`` → text) sets only a setting
        left unset: what the host set in the environment always wins."""
        raw = {s.env: v for s in SETTINGS if (v := self._raw(s)) is not None}
        for env, value in given.items():
            if not self.is_set(env):
                raw[env] = value
        return Settings.from_mapping(raw)

    def _raw(self, declared: Setting[Any]) -> str | None:
        value = self._values[declared.key]
        if value is None:
            return None
        if isinstance(value, frozenset):
            return ",".join(sorted(value))
        if isinstance(value, dict):
            return json.dumps(value)
        return str(value)

    def require(self, env: str) -> str:
        """The text value of `env`, or ConfigError naming it when unset."""
        declared = _BY_ENV[env]
        value = self._values[declared.key]
        if value is None:
            raise ConfigError(f"{env} is not set: {declared.help}")
        if not isinstance(value, str):
            raise TypeError(f"{env} is not a text setting")
        return value

    def masked(self) -> dict[str, Any]:
        """Every setting for display, secrets replaced by a fingerprint."""
        shown: dict[str, Any] = {}
        for declared in SETTINGS:
            value = self._values[declared.key]
            if declared.secret and value:
                value = fingerprint(str(value))
            shown[declared.env] = str(value) if isinstance(value, Path) else value
        return shown


# Every setting, in the order declared above (the README's table follows it).
SETTINGS: tuple[Setting[Any], ...] = tuple(
    value for value in vars(Settings).values() if isinstance(value, Setting)
)
_BY_ENV = {s.env: s for s in SETTINGS}


# -- what the POS and WooCommerce sides cannot run without -------------------------


@dataclass(frozen=True)
class Needed:
    """A setting, or a choice between settings, that a part of Tillsync needs and
    nobody gave: `name` is how `tillsync status` lists it, `problem` the sentence a
    command stops with (README, "Settings")."""

    name: str
    problem: str


POS_STORE = Needed(
    "TILLSYNC_POS_DOMAIN_PREFIX (or TILLSYNC_POS_BASE_URL)",
    "TILLSYNC_POS_DOMAIN_PREFIX is not set: give the store prefix "
    "(or TILLSYNC_POS_BASE_URL for an emulator or proxy)",
)
POS_CREDENTIALS = Needed(
    "TILLSYNC_POS_TOKEN (or TILLSYNC_POS_CLIENT_ID, TILLSYNC_POS_CLIENT_SECRET and "
    "TILLSYNC_POS_REFRESH_TOKEN)",
    "TILLSYNC_POS_TOKEN is not set: give a personal token, or "
    "TILLSYNC_POS_CLIENT_ID, TILLSYNC_POS_CLIENT_SECRET and "
    "TILLSYNC_POS_REFRESH_TOKEN for OAuth2",
)
OAUTH_PAIR = ("TILLSYNC_POS_CLIENT_ID", "TILLSYNC_POS_CLIENT_SECRET")
WOO_SETTINGS = ("TILLSYNC_WC_URL", "TILLSYNC_WC_KEY", "TILLSYNC_WC_SECRET")


def _unset(settings: Settings, names: Sequence[str]) -> list[Needed]:
    return [
        Needed(env, f"{env} is not set: {_BY_ENV[env].help}")
        for env in names
        if not settings.is_set(env)
    ]


def missing_for_pos(settings: Settings) -> list[Needed]:
    """What the POS client still needs: the store, then a token or the OAuth pair."""
    missing = []
    if not (settings.pos_domain_prefix or settings.pos_base_url):
        missing.append(POS_STORE)
    if settings.pos_token:
        return missing
    if settings.pos_client_id or settings.pos_client_secret:
        return missing + _unset(settings, OAUTH_PAIR)
    return [*missing, POS_CREDENTIALS]


def missing_for_woo(settings: Settings) -> list[Needed]:
    """What the WooCommerce client still needs: its URL, key and secret."""
    return _unset(settings, WOO_SETTINGS)


def missing_settings(settings: Settings) -> list[Needed]:
    """Everything pushing orders still needs, the POS's first, then WooCommerce's."""
    return missing_for_pos(settings) + missing_for_woo(settings)


def require_all(missing: Sequence[Needed]) -> None:
    """ConfigError naming every one of `missing` at once (one line); nothing if none."""
    if missing:
        raise ConfigError("; ".join(needed.problem for needed in missing))
