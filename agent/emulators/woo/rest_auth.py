"""Who is calling the emulated REST API, decided as WooCommerce decides it.

Plain http (the default): only OAuth 1.0a is looked at; a Basic header or
consumer_key/consumer_secret query parameters are ignored, so the request is simply
unauthenticated and later refused with 401 `woocommerce_rest_cannot_*`.
`trust_basic=True` (a store behind a TLS proxy, where WordPress's is_ssl() is true):
Basic and the query parameters are tried first, then OAuth.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable

from agent.emulators.woo.oauth1 import OAuthVerifier
from agent.emulators.woo.rest_errors import RestError


class Authenticator:
    """Turns a request's credentials into "oauth1", "basic", None, or a 401."""

    def __init__(
        self,
        key: str,
        secret: str,
        *,
        home_url: str,
        trust_basic: bool,
        clock: Callable[[], float],
    ) -> None:
        self._consumers = {key: secret}
        self.trust_basic = trust_basic
        self.oauth = OAuthVerifier(self._consumers, home_url, clock)

    def authenticate(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        authorization: str | None,
    ) -> str | None:
        """How the request authenticated, or None if it carries no credentials."""
        if self.trust_basic and self._basic(params, authorization):
            return "basic"
        if self.oauth.authenticate(method, path, params, authorization):
            return "oauth1"
        return None

    def _basic(self, params: dict[str, str], authorization: str | None) -> bool:
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
        if not key or not secret or key not in self._consumers:
            # An unknown key is no error here: WooCommerce falls through to OAuth.
            return False
        if not hmac.compare_digest(self._consumers[key].encode(), secret.encode()):
            raise RestError(
                401,
                "woocommerce_rest_authentication_error",
                "Consumer secret is invalid.",
            )
        return True
