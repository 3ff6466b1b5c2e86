"""Session fixtures for the plugin's tests: one real WordPress, one real sidecar.

WordPress is built once per session (about 5 s) and dropped at the end; the sidecar is
started once and tests that stop it start it again on the same port.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sidecar_process import SidecarProcess
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
