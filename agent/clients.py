"""Building the POS and WooCommerce clients from settings (one place for both)."""

from __future__ import annotations

from agent.ledger.pos_tokens import LedgerTokenStore
from agent.ledger.secrets import SecretStore
from agent.pos import BearerToken, OAuthRefresh, PosAuth, PosClient, base_url_for
from agent.pos.governor import RateGovernor
from agent.pos.transport import RequestObserver as PosObserver
from agent.secret_key import SecretKeyFile, secret_key_path
from agent.settings import ConfigError, Settings
from agent.woo import WooClient
from agent.woo.transport import RequestObserver as WooObserver


def pos_identity(settings: Settings) -> str:
    """The POS store's identity in the ledger: its domain prefix, else its base URL."""
    if settings.pos_domain_prefix:
        return settings.pos_domain_prefix.strip().lower()
    if settings.pos_base_url:
        return settings.pos_base_url.strip().rstrip("/").lower()
    raise ConfigError(
        "TILLSYNC_POS_DOMAIN_PREFIX is not set: give the store prefix "
        "(or TILLSYNC_POS_BASE_URL for an emulator or proxy)"
    )


def ledger_secrets(settings: Settings) -> SecretStore:
    """The secrets kept in the ledger, sealed with the key in `<data dir>/secret-key`."""
    return SecretStore(SecretKeyFile(secret_key_path(settings)))


def pos_auth(settings: Settings) -> PosAuth:
    """Bearer token, or OAuth2 refresh mode with the rotating token in the ledger.

    In OAuth mode every process refreshes under one ledger lock and shares the access
    token it got (agent/ledger/pos_tokens.py).
    """
    if settings.pos_token:
        return BearerToken(settings.pos_token)
    if settings.pos_client_id or settings.pos_client_secret:
        return OAuthRefresh(
            settings.require("TILLSYNC_POS_CLIENT_ID"),
            settings.require("TILLSYNC_POS_CLIENT_SECRET"),
            LedgerTokenStore(ledger_secrets(settings)),
            refresh_token=settings.pos_refresh_token,
        )
    raise ConfigError(
        "TILLSYNC_POS_TOKEN is not set: give a personal token, or "
        "TILLSYNC_POS_CLIENT_ID, TILLSYNC_POS_CLIENT_SECRET and "
        "TILLSYNC_POS_REFRESH_TOKEN for OAuth2"
    )


def pos_client(
    settings: Settings, registers: int = 1, observer: PosObserver | None = None
) -> PosClient:
    """The X-Series client for the configured store (`observer`: see PosClient)."""
    # pos_identity fails first, naming the missing variable.
    base = settings.pos_base_url or base_url_for(pos_identity(settings))
    governor = RateGovernor(registers=registers, window=settings.pos_rate_window)
    return PosClient(base, pos_auth(settings), governor=governor, observer=observer)


def woo_client(settings: Settings, observer: WooObserver | None = None) -> WooClient:
    """The WooCommerce REST client for the configured store (`observer`: see WooClient)."""
    return WooClient(
        settings.require("TILLSYNC_WC_URL"),
        settings.require("TILLSYNC_WC_KEY"),
        settings.require("TILLSYNC_WC_SECRET"),
        observer=observer,
    )
