"""Headless Chromium for the plugin's screens (playwright driving Debian's chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Nothing but loopback resolves: no test ever reaches outside this machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium with a fresh profile."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Page, base_url: str, user: str, password: str, then: str) -> None:
    """Log in through wp-login.php and land on `then`."""
    page.goto(f"{base_url}/wp-login.php?redirect_to={then}")
    page.fill("#user_login", user)
    page.fill("#user_pass", password)
    page.click("#wp-submit")
    # The first admin page of a session is the slowest WordPress serves (the session
    # written, the user's capabilities and locale read): on a loaded 2-core CI machine it
    # took more than the tests' usual 10 s once.
    page.wait_for_url(f"{then}*", timeout=30_000)


def tab_url(site_url: str, tab: str) -> str:
    """The address of one of WooCommerce › Tillsync's tabs."""
    return f"{site_url}/wp-admin/admin.php?page=tillsync&tab={tab}"


@dataclass(frozen=True)
class Shown:
    """How an action the page asked for ended, as the page shows it."""

    action_id: int
    state: str  # "done" or "error"
    text: str


def run_action(page: Page, action: str, timeout: float = 30_000) -> Shown:
    """Click the action's button and follow the page (it polls and reloads) until the
    action it names is over."""
    with page.expect_navigation(url=re.compile(r"tillsync_action=\d+")):
        page.click(f'[data-tillsync-action="{action}"]')
    action_id = int(parse_qs(urlsplit(page.url).query)["tillsync_action"][0])
    over = (
        f'[data-tillsync-result][data-action-id="{action_id}"]'
        ':is([data-state="done"], [data-state="error"])'
    )
    page.wait_for_selector(over, timeout=timeout)
    result = page.locator("[data-tillsync-result]")
    return Shown(
        action_id, result.get_attribute("data-state") or "", result.inner_text()
    )


def record_foreign_requests(page: Page) -> list[str]:
    """Collect every URL the page tries to load from a host other than loopback."""
    foreign: list[str] = []

    def check(request) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("http:", "https:")) and host not in (
            "127.0.0.1",
            "localhost",
        ):
            foreign.append(request.url)

    page.on("request", check)
    return foreign


def screenshot(page: Page, folder: Path, name: str) -> None:
    """The whole page as `<folder>/<name>.png` (test-artifacts/, for a person to look at)."""
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
