"""The Tillsync settings form as a logged-in user's browser would post it."""

from __future__ import annotations

import re

import requests
from wp_site import WordPressSite

SETTINGS_PAGE = "/wp-admin/admin.php?page=tillsync"


def options_form(session: requests.Session, site: WordPressSite) -> dict[str, str]:
    """The hidden fields (nonce, option page) of the settings form, read from the page."""
    page = session.get(f"{site.url}{SETTINGS_PAGE}", timeout=30)
    assert page.status_code == 200
    form = page.text.split('id="tillsync-settings-form"', 1)[1].split("</form>", 1)[0]
    fields = {}
    for tag in re.findall(r"<input[^>]*type=[\"']hidden[\"'][^>]*>", form):
        name = re.search(r"name=[\"']([^\"']+)", tag)
        value = re.search(r"value=[\"']([^\"']*)", tag)
        if name and value:
            fields[name.group(1)] = value.group(1)
    assert "_wpnonce" in fields and fields["option_page"] == "tillsync_bridge"
    return fields


def option(site: WordPressSite, name: str) -> str:
    """An option's stored value, read by WordPress itself."""
    return site.php(f"echo get_option('{name}');")
