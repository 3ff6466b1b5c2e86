"""The request target (path and query) exactly as the client sent it, for v2 signatures.

Flask's `request.full_path` is rebuilt from the decoded path and always ends in `?`, so
it is not what the client signed. Gunicorn keeps the raw target in `RAW_URI`; werkzeug's
server and test client set both `RAW_URI` and `REQUEST_URI` (as do mod_wsgi and uWSGI).
WSGI carries it as latin-1 text, so encoding it back gives the bytes on the wire.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

# What quote() must leave alone in a path so a rebuilt target matches a plain one.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def request_target(environ: dict[str, Any]) -> bytes:
    """The raw path and query of the request described by `environ`."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    query = environ.get("QUERY_STRING", "")
    if raw is None:
        # A server that keeps no raw target: rebuild it as a client would have sent it.
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        raw = quote(_wire(path), safe=_PATH_SAFE) + ("?" + query if query else "")
    elif not raw.startswith("/"):
        # Absolute form (`POST http://host/hooks/woocommerce`), as sent to a proxy.
        parts = urlsplit(raw)
        raw = parts.path + ("?" + parts.query if parts.query else "")
    elif query and "?" not in raw:
        # Werkzeug's test client given `query_string=` leaves it out of RAW_URI.
        raw += "?" + query
    return _wire(raw)


def _wire(text: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        # Not from a WSGI server (which hands over latin-1): the client's UTF-8.
        return text.encode("utf-8")
