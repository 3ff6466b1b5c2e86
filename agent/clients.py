"""Building the POS and WooCommerce clients from settings (one place for both)."""

from __future__ import annotations

from agent.ledger.pos_tokens import LedgerTokenStore
from agent.ledger.secrets import ledger_secrets
from agent.pos import (
    AuthorizationCode,
    BearerToken,
    OAuthRefresh,
    PosAuth,
    PosClient,
    PosError,
    base_url_for,
)
from agent.pos.governor import RateGovernor
from agent.pos.transport import RequestObserver as PosObserver
from agent.settings import (
    POS_CREDENTIALS,
    POS_STORE,
    ConfigError,
    Settings,
    missing_for_pos,
    missing_for_woo,
    require_all,
)
from agent.woo import WooClient, WooError
from agent.woo.transport import RequestObserver as WooObserver


def pos_identity(settings: Settings) -> str:
    """The POS store's identity in the ledger: its domain prefix, else its base URL."""
    if settings.pos_domain_prefix:
        return settings.pos_domain_prefix.strip().lower()
    if settings.pos_base_url:
        return settings.pos_base_url.strip().rstrip("/").lower()
    raise ConfigError(POS_STORE.problem)


def pos_auth(
    settings: Settings, authorization_code: AuthorizationCode | None = None
) -> PosAuth:
    """Bearer token, or OAuth2 refresh mode with the rotating token in the ledger
    (started from `authorization_code` when a merchant just authorized the app).

    In OAuth mode every process refreshes under one ledger lock and shares the access
    token it got (agent/ledger/pos_tokens.py).
    """
    if settings.pos_token and authorization_code is None:
        return BearerToken(settings.pos_token)
    if settings.pos_client_id or settings.pos_client_secret:
        return OAuthRefresh(
            settings.require("TILLSYNC_POS_CLIENT_ID"),
            settings.require("TILLSYNC_POS_CLIENT_SECRET"),
            LedgerTokenStore(ledger_secrets(settings)),
            refresh_token=settings.pos_refresh_token,
            authorization_code=authorization_code,
        )
    raise ConfigError(POS_CREDENTIALS.problem)


def pos_client(
    settings: Settings,
    registers: int = 1,
    observer: PosObserver | None = None,
    authorization_code: AuthorizationCode | None = None,
) -> PosClient:
    """The X-Series client for the configured store (`observer`: see PosClient);
    ConfigError naming every POS setting still missing."""
    if authorization_code is None:
        require_all(missing_for_pos(settings))
    base = settings.pos_base_url or base_url_for(pos_identity(settings))
    governor = RateGovernor(registers=registers, window=settings.pos_rate_window)
    auth = pos_auth(settings, authorization_code)
    return PosClient(base, auth, governor=governor, observer=observer)


def woo_client(settings: Settings, observer: WooObserver | None = None) -> WooClient:
    """The WooCommerce REST client for the configured store (`observer`: see WooClient);
    ConfigError naming every WooCommerce setting still missing."""
    require_all(missing_for_woo(settings))
    return WooClient(
        settings.require("TILLSYNC_WC_URL"),
        settings.require("TILLSYNC_WC_KEY"),
        settings.require("TILLSYNC_WC_SECRET"),
        observer=observer,
    )


def refusal_sentence(error: PosError | WooError) -> str:
    """How a command or a WP admin action says the POS or WooCommerce would not do it."""
    if isinstance(error, PosError):
        return f"the POS refused or did not answer: {error}"
    return f"WooCommerce refused or did not answer: {error}"
