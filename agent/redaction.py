"""What is hidden from every error text and log line: credentials that ride in requests.

Over plain http the WooCommerce client signs with OAuth 1.0a in the query string, so the
consumer key travels in every URL; requests and urllib3 put that URL in their exception
texts and debug lines, and a proxy's error page may echo a request back. `scrub(text)`
is the one rule for all of it: URLs keep their path and harmless parameters,
credential parameters (`oauth_*`, `consumer_key`, `consumer_secret`, `client_secret`,
`access_token`, `refresh_token`) and `Authorization` values are cut or masked, and a
WooCommerce key (`ck_`/`cs_` + 40 hex digits) is masked wherever it stands alone.

The clients apply it where their errors are built (`WooError`, `PosError`), and
`hide_credentials_in_library_logs()` applies it to the library loggers that print
signed requests at DEBUG (urllib3, requests-oauthlib, oauthlib).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

MASK = "[redacted]"

# Names whose values are credentials, wherever they appear: a query, a form, a repr.
_CREDENTIAL = (
    r"oauth_[a-z_]+|consumer_key|consumer_secret|client_key|client_secret"
    r"|access_token|refresh_token"
)
_CREDENTIAL_NAME = re.compile(rf"^(?:{_CREDENTIAL})$")
# A value ends at a separator, a quote, a bracket or an encoded `&` (`%26`, `%2526`).
_VALUE = r"(?:(?!%26|%2526)[^&\s'\",;)\]}<>])*"
# name=value, name="value" (an OAuth header), name%3Dvalue (a signature base string).
_ASSIGNED = re.compile(
    rf"(?<![A-Za-z_])(?P<head>(?:{_CREDENTIAL})(?:\s*=\s*\"?|%3D|%253D))(?:{_VALUE})"
)
# 'name': 'value' (a dict repr, JSON) and ('name', 'value') (a tuple repr).
_QUOTED = re.compile(
    rf"(?P<head>(?P<q>['\"])(?:{_CREDENTIAL})(?P=q)\s*[:,]\s*(?P<v>['\"]))(?:(?!(?P=v)).)*"
)
# An Authorization header's value: quoted (a dict repr) up to its closing quote, else
# to the end of the line.
_AUTHORIZATION = re.compile(
    r"(?P<head>\b(?:proxy-)?authorization['\"]?\s*[:=]\s*)"
    r"(?:(?P<q>['\"])(?:(?!(?P=q)).)*(?P=q)|[^\r\n]*)",
    re.IGNORECASE,
)
# `Basic <base64>`, `Bearer <token>`: a token has a digit, a symbol or mixed case, so
# prose ("Basic authentication") is left alone.
_SCHEME_TOKEN = re.compile(
    r"\b(?P<head>(?:Basic|Bearer) )(?P<token>[A-Za-z0-9._~+/-]{8,}=*)"
)
_WOO_KEY = re.compile(r"\b(?:ck|cs)_[0-9a-f]{40}\b")
# A URL, or a request target (`/path?query`) as urllib3 prints it.
_URL = re.compile(
    r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+|(?<![\w/.])/[^\s'\"<>?]*\?[^\s'\"<>]+"
)
_TRAILING = ").,;:]"


def is_credential(name: str) -> bool:
    """True for a parameter name whose value is a credential."""
    return bool(_CREDENTIAL_NAME.match(unquote(name).strip().lower()))


def scrub_url(url: str) -> str:
    """`url` without user info, fragment or credential parameters; the rest verbatim."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    kept = [
        piece
        for piece in parts.query.split("&")
        if piece and not is_credential(piece.partition("=")[0])
    ]
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    query = f"?{'&'.join(kept)}" if kept else ""
    return f"{scheme}{netloc}{parts.path}{query}"


def _scrub_url_match(match: re.Match[str]) -> str:
    token = match.group(0)
    stripped = token.rstrip(_TRAILING)
    return scrub_url(stripped) + token[len(stripped) :]


def _mask_authorization(match: re.Match[str]) -> str:
    quote = match.group("q") or ""
    return f"{match.group('head')}{quote}{MASK}{quote}"


def _mask_token(match: re.Match[str]) -> str:
    token = match.group("token")
    looks_secret = (
        any(c.isdigit() or not c.isalpha() for c in token) or token.lower() != token
    )
    return match.group("head") + MASK if looks_secret else match.group(0)


def scrub(text: str) -> str:
    """`text` with every credential cut (in URLs) or masked (anywhere else)."""
    if not text:
        return text
    text = _URL.sub(_scrub_url_match, text)
    text = _ASSIGNED.sub(lambda m: m.group("head") + MASK, text)
    text = _QUOTED.sub(lambda m: m.group("head") + MASK, text)
    text = _AUTHORIZATION.sub(_mask_authorization, text)
    text = _SCHEME_TOKEN.sub(_mask_token, text)
    return _WOO_KEY.sub(MASK, text)


class ScrubbingFilter(logging.Filter):
    """Rewrites a record's message through `scrub` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; only its text changes."""
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


# The library loggers that print signed URLs, headers or OAuth parameters at DEBUG. A
# logger's filter sees only its own records, so each is named, not a parent.
LIBRARY_LOGGERS = (
    "urllib3.connectionpool",
    "urllib3.poolmanager",
    "urllib3.util.retry",
    "requests_oauthlib.oauth1_auth",
    "oauthlib.oauth1.rfc5849",
    "oauthlib.oauth1.rfc5849.signature",
)


def hide_credentials_in_library_logs() -> None:
    """Put a `ScrubbingFilter` on each of `LIBRARY_LOGGERS` (once)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubbingFilter) for f in logger.filters):
            logger.addFilter(ScrubbingFilter())
