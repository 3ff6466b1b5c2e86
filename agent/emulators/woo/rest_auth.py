"""Who is calling the emulated REST API, decided as WooCommerce decides it.

Plain http (the default): only OAuth 1.0a is looked at; a Basic header or
consumer_key/consumer_secret query parameters are ignored, so the request is simply
unauthenticated and later refused with 401 `woocommerce_rest_cannot_*`.
`trust_basic=True` (a store behind a TLS proxy, where WordPress's is_ssl() is true):
Basic and the query parameters are tried first, then OAuth. Either way the key is looked
up in the store's key table (api_keys.py) and its permissions checked against the method.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable

from agent.emulators.woo.api_keys import ApiKeys, check_permissions
from agent.emulators.woo.oauth1 import OAuthVerifier
from agent.emulators.woo.rest_errors import RestError


class Authenticator:
    """Turns a request's credentials into "oauth1", "basic", None, or a 401."""

    def __init__(
        self,
        keys: ApiKeys,
        *,
        home_url: str,
        trust_basic: bool,
        clock: Callable[[], float],
    ) -> None:
        self.keys = keys
        self.trust_basic = trust_basic
        self.oauth = OAuthVerifier(self.keys.secret_of, home_url, clock)

    def authenticate(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        authorization: str | None,
    ) -> str | None:
        """How the request authenticated, or None if it carries no credentials."""
        how, key = None, None
        if self.trust_basic:
            how, key = "basic", self._basic(params, authorization)
        if key is None:
            how, key = (
                "oauth1",
                self.oauth.authenticate(method, path, params, authorization),
            )
        if key is None:
            return None
        row = self.keys.row(key)
        if row is None:  # revoked while the request was checked
            raise RestError(
                401, "woocommerce_rest_authentication_error", "Consumer key is invalid."
            )
        check_permissions(row, method)
        return how

    def _basic(self, params: dict[str, str], authorization: str | None) -> str | None:
        key = params.get("consumer_key", "")
        secret = params.get("consumer_secret", "")
        if (
            not (key and secret)
            and authorization
            and authorization.startswith("Basic ")
        ):
            try:
                decoded = base64.b64decode(authorization[6:], validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            key, _, secret = decoded.partition(":")
        known = self.keys.secret_of(key) if key and secret else None
        if known is None:
            # An unknown key is no error here: WooCommerce falls through to OAuth.
            return None
        if not hmac.compare_digest(known.encode(), secret.encode()):
            raise RestError(
                401,
                "woocommerce_rest_authentication_error",
                "Consumer secret is invalid.",
            )
        return key
