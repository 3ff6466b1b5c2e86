"""How the client proves who it is to WooCommerce.

Over https WooCommerce takes HTTP Basic with the consumer key and secret. Over plain http
it ignores Basic and expects OAuth 1.0a one-legged signatures; those are made by
requests-oauthlib (HMAC-SHA256), never by hand.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from oauthlib.oauth1 import (
    SIGNATURE_HMAC_SHA256,
    SIGNATURE_TYPE_AUTH_HEADER,
    SIGNATURE_TYPE_QUERY,
)
from requests.auth import AuthBase, HTTPBasicAuth
from requests_oauthlib import OAuth1


def auth_for(
    base_url: str, key: str, secret: str, *, oauth_in_header: bool = False
) -> AuthBase:
    """Basic auth for an https shop, OAuth 1.0a (HMAC-SHA256) for a plain http one.

    OAuth parameters go in the query string by default because some hosts strip the
    Authorization header before PHP sees it; `oauth_in_header=True` puts them there.
    """
    if not key or not secret:
        raise ValueError("WooCommerce consumer key and secret are both required")
    scheme = urlsplit(base_url).scheme.lower()
    if scheme == "https":
        return HTTPBasicAuth(key, secret)
    if scheme == "http":
        # requests-oauthlib ships no type hints: say what OAuth1 is.
        signed: AuthBase = OAuth1(
            key,
            client_secret=secret,
            signature_method=SIGNATURE_HMAC_SHA256,
            signature_type=(
                SIGNATURE_TYPE_AUTH_HEADER if oauth_in_header else SIGNATURE_TYPE_QUERY
            ),
        )
        return signed
    raise ValueError(f"shop URL must start with http:// or https://, got {base_url!r}")
