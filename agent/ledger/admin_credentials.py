"""Credentials the merchant gives in WP admin, kept sealed in the ledger (README,
"WP admin's API").

The POS store and token, and the WooCommerce REST key the plugin creates, may come from
WP admin instead of the host's environment. They are kept in the `Credential` table,
sealed like the OAuth tokens (agent/ledger/secrets.py), and used only where the
environment leaves a setting unset: what the host set always wins.

A value given in WP admin is first kept as a *candidate*; the scheduler checks it against
the POS or WooCommerce, and only a value that works replaces the one in use. A wrong
token therefore changes nothing. Each accepted change bumps a version that every
scheduler process watches, so they rebuild their clients with it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from agent.ledger.admin_actions import BadRequest
from agent.ledger.cursors import read_cursor, write_cursor
from agent.ledger.db import in_transaction
from agent.ledger.models import Credential, rows
from agent.ledger.secrets import SecretStore, ledger_secrets
from agent.settings import Settings, fingerprint

# The WP admin field → the setting it gives.
GIVEN_IN_ADMIN = {
    "pos_domain_prefix": "TILLSYNC_POS_DOMAIN_PREFIX",
    "pos_token": "TILLSYNC_POS_TOKEN",
    "wc_url": "TILLSYNC_WC_URL",
    "wc_key": "TILLSYNC_WC_KEY",
    "wc_secret": "TILLSYNC_WC_SECRET",
}
SECRET_FIELDS = frozenset({"pos_token", "wc_key", "wc_secret"})
MAX_LENGTH = 500
IN_USE, CANDIDATE = "admin:", "admin-candidate:"
VERSION_CURSOR = "admin.credentials.version"
# What "Connect with Lightspeed" brings back: spent by the check, never kept in use.
OAUTH_CODE, OAUTH_REDIRECT = "oauth:code", "oauth:redirect_uri"
OAUTH_FIELDS = {"code": OAUTH_CODE, "redirect_uri": OAUTH_REDIRECT}


def effective_settings(settings: Settings) -> Settings:
    """`settings` with the credentials given in WP admin filling what the environment
    left unset (the ledger must be open)."""
    return settings.filled_from(in_use(settings))


def in_use(settings: Settings) -> dict[str, str]:
    """The credentials given in WP admin and accepted (setting → text)."""
    return _read(ledger_secrets(settings), IN_USE)


def check_credentials_request(settings: Settings, values: Any) -> dict[str, str]:
    """WP admin's `values` if well formed; BadRequest naming the field otherwise — an
    unknown field, a value that is not plain text, or one the host set (it wins, so a
    value given here could never be used)."""
    if not isinstance(values, dict) or not values:
        raise BadRequest("values", "values must be a JSON object of credentials")
    for field, value in values.items():
        if field not in GIVEN_IN_ADMIN:
            raise BadRequest(field, f"one of {', '.join(GIVEN_IN_ADMIN)} is expected")
        if (
            not isinstance(value, str)
            or not 0 < len(value.strip()) <= MAX_LENGTH
            or any(ord(c) < 32 for c in value)
        ):
            raise BadRequest(field, f"{field} must be 1 to {MAX_LENGTH} characters")
        if settings.is_set(GIVEN_IN_ADMIN[field]):
            raise BadRequest(
                field,
                f"{field} is set by the host ({GIVEN_IN_ADMIN[field]}); it cannot be "
                "changed here",
            )
    return {GIVEN_IN_ADMIN[field]: value.strip() for field, value in values.items()}


LIGHTSPEED_CONSENT = "https://secure.retail.lightspeed.app/connect"


def authorize_url(settings: Settings) -> str | None:
    """Where "Connect with Lightspeed" sends the merchant (the plugin adds
    `redirect_uri` and `state`); None without an OAuth client. With
    `TILLSYNC_POS_BASE_URL` (an emulator or a proxy) the consent page is there too."""
    if not (settings.pos_client_id and settings.pos_client_secret):
        return None
    base = (
        settings.pos_base_url.rstrip("/") + "/connect"
        if settings.pos_base_url
        else LIGHTSPEED_CONSENT
    )
    return f"{base}?{urlencode({'response_type': 'code', 'client_id': settings.pos_client_id})}"


def check_oauth_request(settings: Settings, oauth: Any) -> dict[str, str]:
    """What Lightspeed's consent page sent back (`code`, `redirect_uri`, and the
    `domain_prefix` of the store the merchant chose), if well formed; BadRequest
    otherwise, or when the host configured no OAuth client."""
    if not (settings.pos_client_id and settings.pos_client_secret):
        raise BadRequest(
            "oauth",
            "Connect with Lightspeed needs TILLSYNC_POS_CLIENT_ID and "
            "TILLSYNC_POS_CLIENT_SECRET, set by the host: give a personal token instead",
        )
    if not isinstance(oauth, dict):
        raise BadRequest("oauth", "oauth must be a JSON object")
    given = {
        name: oauth.get(name) for name in ("code", "redirect_uri", "domain_prefix")
    }
    for name, value in given.items():
        if not isinstance(value, str) or not 0 < len(value) <= MAX_LENGTH:
            raise BadRequest(name, f"{name} must be 1 to {MAX_LENGTH} characters")
    prefix = str(given["domain_prefix"]).strip().lower()
    host_prefix = settings.pos_domain_prefix
    if host_prefix and host_prefix.strip().lower() != prefix:
        raise BadRequest(
            "domain_prefix",
            f"Lightspeed authorized the store {prefix!r}, but this sidecar is set up "
            f"for {host_prefix!r} (TILLSYNC_POS_DOMAIN_PREFIX)",
        )
    found = {OAUTH_FIELDS[n]: str(given[n]) for n in OAUTH_FIELDS}
    if not (host_prefix or settings.pos_base_url):
        found[GIVEN_IN_ADMIN["pos_domain_prefix"]] = prefix
    return found


def shown_credentials(settings: Settings) -> dict[str, dict[str, Any]]:
    """Each WP admin field: where its value comes from, and what may be shown of it
    (a secret: only its fingerprint)."""
    given, masked = in_use(settings), settings.masked()
    shown: dict[str, dict[str, Any]] = {}
    for field, env in GIVEN_IN_ADMIN.items():
        host_value = masked[env] if settings.is_set(env) else None
        value = host_value if host_value is not None else given.get(env)
        source = "environment" if host_value is not None else None
        if source is None and env in given:
            source = "wp-admin"
        if value is not None and field in SECRET_FIELDS:
            value = fingerprint(value) if source == "wp-admin" else value
        shown[field] = {"source": source, "value": value}
    return shown


def keep_candidates(settings: Settings, values: dict[str, str]) -> None:
    """Keep checked request `values` (setting or OAuth name → text) sealed, until the
    check accepts them."""
    store = ledger_secrets(settings)
    for name, value in values.items():
        store.put(CANDIDATE + name, value)


def candidates(settings: Settings) -> dict[str, str]:
    """The values waiting for their check (setting → text)."""
    return _read(ledger_secrets(settings), CANDIDATE)


def accept_candidates(settings: Settings) -> list[str]:
    """Put the candidate settings in use, in one transaction; the settings they
    changed. After an OAuth authorization (its tokens already saved by the check), a
    token given earlier in WP admin is dropped: it would win over OAuth."""
    store = ledger_secrets(settings)
    waiting = _read(store, CANDIDATE)
    accepted = {
        name: value for name, value in waiting.items() if name.startswith("TILLSYNC_")
    }

    def accept() -> None:
        for env, value in accepted.items():
            store.put(IN_USE + env, value)
        if OAUTH_CODE in waiting:
            store.delete(IN_USE + GIVEN_IN_ADMIN["pos_token"])
        _forget(CANDIDATE)
        write_cursor(VERSION_CURSOR, credentials_version() + 1)

    in_transaction(accept)
    return sorted(accepted)


def drop_candidates() -> None:
    """Forget the candidates: the check refused them."""
    in_transaction(lambda: _forget(CANDIDATE))


def credentials_version() -> int:
    """How many times credentials given in WP admin changed (0: never)."""
    return int(read_cursor(VERSION_CURSOR, 0) or 0)


def _read(store: SecretStore, prefix: str) -> dict[str, str]:
    query = Credential.select(Credential.name).where(Credential.name.startswith(prefix))
    names = [str(name) for (name,) in rows(query)]
    found = {name[len(prefix) :]: store.get(name) for name in names}
    return {env: value for env, value in found.items() if value is not None}


def _forget(prefix: str) -> None:
    Credential.delete().where(Credential.name.startswith(prefix)).execute()
