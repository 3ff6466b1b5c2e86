"""Building the POS and WooCommerce clients from settings (one place for both)."""

from __future__ import annotations

from agent.ledger.cursors import LedgerRefreshTokenStore
from agent.pos import BearerToken, OAuthRefresh, PosAuth, PosClient, base_url_for
from agent.pos.governor import RateGovernor
from agent.pos.transport import RequestObserver as PosObserver
from agent.settings import ConfigError, Settings
from agent.woo import WooClient
from agent.woo.client import RequestObserver as WooObserver


def pos_identity(settings: Settings) -> str:
    """The POS store's identity in the ledger: its domain prefix, else its base URL."""
    if settings.pos_domain_prefix:
        return str(settings.pos_domain_prefix).strip().lower()
    if settings.pos_base_url:
        return str(settings.pos_base_url).strip().rstrip("/").lower()
    raise ConfigError(
        "TILLSYNC_POS_DOMAIN_PREFIX is not set: give the store prefix "
        "(or TILLSYNC_POS_BASE_URL for an emulator or proxy)"
    )


def pos_auth(settings: Settings) -> PosAuth:
    """Bearer token, or OAuth2 refresh mode with the rotating token in the ledger."""
    if settings.pos_token:
        return BearerToken(str(settings.pos_token))
    if settings.pos_client_id or settings.pos_client_secret:
        return OAuthRefresh(
            settings.require("TILLSYNC_POS_CLIENT_ID"),
            settings.require("TILLSYNC_POS_CLIENT_SECRET"),
            LedgerRefreshTokenStore(),
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
    pos_identity(settings)  # fails first, naming the missing variable
    base = settings.pos_base_url or base_url_for(str(settings.pos_domain_prefix))
    governor = RateGovernor(registers=registers, window=float(settings.pos_rate_window))
    return PosClient(
        str(base), pos_auth(settings), governor=governor, observer=observer
    )


def woo_client(settings: Settings, observer: WooObserver | None = None) -> WooClient:
    """The WooCommerce REST client for the configured store (`observer`: see WooClient)."""
    return WooClient(
        settings.require("TILLSYNC_WC_URL"),
        settings.require("TILLSYNC_WC_KEY"),
        settings.require("TILLSYNC_WC_SECRET"),
        observer=observer,
    )
