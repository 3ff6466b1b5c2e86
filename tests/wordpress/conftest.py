"""Session fixtures for the plugin's tests: one real WordPress, one real sidecar.

WordPress is built once per session (about 5 s) and dropped at the end; the sidecar is
started once and tests that stop it start it again on the same port.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from credentials_store import CredentialsStore, credentials_store
from playwright.sync_api import Browser
from sidecar_process import SidecarProcess
from tabs_store import TabsStore, tabs_store
from wp_site import REPO, WordPressSite

ARTIFACTS = REPO / "test-artifacts" / "wordpress"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and logs are kept after the run (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def wp_site(
    tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> Iterator[WordPressSite]:
    """A real WordPress with the plugin active and the WooCommerce shim, served on loopback."""
    site = WordPressSite(tmp_path_factory.mktemp("wordpress"))
    try:
        site.build()
        site.start()
        yield site
    finally:
        site.destroy()
        for log in (site.debug_log, site.http_log, site.server_log):
            if log.exists():
                shutil.copy(log, artifacts / log.name)


@pytest.fixture(scope="session")
def sidecar(
    tmp_path_factory: pytest.TempPathFactory, wp_site: WordPressSite, artifacts: Path
) -> Iterator[SidecarProcess]:
    """The real sidecar, with the plugin pointed at it."""
    process = SidecarProcess(
        tmp_path_factory.mktemp("sidecar") / "data", secrets.token_urlsafe(32)
    )
    process.start()
    wp_site.configure_sidecar(process.url, process.secret)
    try:
        yield process
    finally:
        process.stop()
        if process.log.exists():
            shutil.copy(process.log, artifacts / "sidecar.log")


@pytest.fixture
def live_sidecar(sidecar: SidecarProcess, wp_site: WordPressSite) -> SidecarProcess:
    """The sidecar, running and configured, whatever an earlier test did."""
    if sidecar.process is None or sidecar.process.poll() is not None:
        sidecar.start()
    wp_site.configure_sidecar(sidecar.url, sidecar.secret)
    return sidecar


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, wp_site: WordPressSite, artifacts: Path
) -> Iterator[TabsStore]:
    """A seeded store on the emulators and its sidecar, the plugin pointed at it for
    one test module; the plugin's earlier sidecar settings come back after."""
    before = wp_site.php_json(
        "echo wp_json_encode([get_option('tillsync_sidecar_url'),"
        " get_option('tillsync_hook_secret')]);"
    )
    with tabs_store(tmp_path_factory.mktemp("tabs") / "data") as made:
        wp_site.configure_sidecar(made.sidecar.url, made.sidecar.secret)
        try:
            yield made
        finally:
            if made.sidecar.log.exists():
                shutil.copy(made.sidecar.log, artifacts / "sidecar-tabs.log")
            wp_site.configure_sidecar(*before)


@pytest.fixture(scope="module")
def bare_store(
    tmp_path_factory: pytest.TempPathFactory, wp_site: WordPressSite, artifacts: Path
) -> Iterator[CredentialsStore]:
    """A sidecar with no POS token or WooCommerce key (they come from WP admin), the
    WooCommerce emulator standing for this shop (its key table mirrored there), for one
    test module; the plugin's earlier settings come back after."""
    before = wp_site.php_json(
        "echo wp_json_encode([get_option('tillsync_sidecar_url'),"
        " get_option('tillsync_hook_secret')]);"
    )
    with credentials_store(tmp_path_factory.mktemp("bare") / "data") as made:
        wp_site.configure_sidecar(made.sidecar.url, made.sidecar.secret)
        wp_site.php(
            "update_option('tillsync_test_woo_emulator', "
            f"{json.dumps(made.woo.base_url)});"
        )
        try:
            yield made
        finally:
            wp_site.php(
                "delete_option('tillsync_test_woo_emulator');"
                "delete_option('tillsync_wc_key');"
            )
            if made.sidecar.log.exists():
                shutil.copy(made.sidecar.log, artifacts / "sidecar-credentials.log")
            wp_site.configure_sidecar(*before)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module."""
    with chromium() as launched:
        yield launched
