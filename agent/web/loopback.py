"""Pages that answer only on this machine: the dashboard (`/`) and `/metrics`.

Both show order numbers, failure reasons and volumes, and neither is signed, so they
answer only clients on a loopback address, whatever TILLSYNC_BIND says.
"""

from __future__ import annotations

import ipaddress


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8, ::1, and 127.x seen through a dual-stack socket."""
    if address is None:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        # A socket bound to [::] sees IPv4 clients as ::ffff:127.0.0.1.
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback
