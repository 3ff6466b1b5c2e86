"""The Connection tab's credentials: check what the merchant gave in WP admin against
the POS and WooCommerce, and put it in use only if it works."""

from __future__ import annotations

from typing import Any

from agent.clients import pos_client, woo_client
from agent.connection.connect import ConnectError, check_woo_keys, pos_problem
from agent.control.context import ActionContext
from agent.control.failures import (
    NO_NEW_CREDENTIALS,
    SETTINGS_MISSING,
    ActionFailed,
    failure_of,
    pos_failure,
)
from agent.ledger.admin_credentials import (
    GIVEN_IN_ADMIN,
    OAUTH_CODE,
    OAUTH_REDIRECT,
    accept_candidates,
    candidates,
    drop_candidates,
    in_use,
)
from agent.pos import AuthorizationCode, PosError
from agent.settings import ConfigError, Settings

POS_SETTINGS = {"TILLSYNC_POS_DOMAIN_PREFIX", "TILLSYNC_POS_TOKEN"}
FIELDS = {env: field for field, env in GIVEN_IN_ADMIN.items()}


def check_credentials(ctx: ActionContext, _params: dict[str, Any]) -> dict[str, Any]:
    """Try the candidates (with what is in use for the rest); accept them all if the
    POS and WooCommerce take them, else drop them all. The door never keeps a value
    for a setting the host set."""
    host = ctx.host_settings
    waiting = candidates(host)
    if not waiting:
        raise ActionFailed(
            "there are no new credentials to check: give them again", NO_NEW_CREDENTIALS
        )
    settings = {k: v for k, v in waiting.items() if k.startswith("TILLSYNC_")}
    trial = host.filled_from({**in_use(host), **settings})
    code = None
    if OAUTH_CODE in waiting:
        code = AuthorizationCode(waiting[OAUTH_CODE], waiting[OAUTH_REDIRECT])
    try:
        checked = _try(trial, settings.keys(), code)
    except ActionFailed:
        drop_candidates()
        raise
    accepted = accept_candidates(host)
    return {
        "accepted": sorted(FIELDS[env] for env in accepted),
        "oauth": code is not None,
        **checked,
    }


def _try(trial: Settings, given: Any, code: AuthorizationCode | None) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    try:
        if code is not None or POS_SETTINGS & set(given):
            pos = pos_client(trial, authorization_code=code)
            checked["registers"] = len(pos.registers())
        if {"TILLSYNC_WC_URL", "TILLSYNC_WC_KEY", "TILLSYNC_WC_SECRET"} & set(given):
            checked["woocommerce_warning"] = check_woo_keys(woo_client(trial))
    except ConfigError as error:
        raise ActionFailed(str(error), SETTINGS_MISSING) from None
    except ConnectError as error:
        raise failure_of(error) from None
    except PosError as error:
        raise pos_failure(error, pos_problem(error)) from None
    except ValueError as error:
        raise ActionFailed(f"the WooCommerce address: {error}") from None
    return checked
