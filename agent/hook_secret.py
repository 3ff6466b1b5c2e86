"""The secret shared with the WordPress plugin (CONTRACT §1).

`TILLSYNC_HOOK_SECRET` wins; otherwise `<data dir>/hook-secret` is read. Only
`tillsync serve` may create that file (mode 0600), and it prints the new secret once on
the terminal; a gunicorn started directly refuses to start without one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from agent.settings import ConfigError, Settings

SECRET_FILE = "hook-secret"


def secret_path(settings: Settings) -> Path:
    """Where the generated secret lives."""
    return Path(settings.data_dir) / SECRET_FILE


def read_hook_secret(settings: Settings) -> str:
    """The configured secret, or ConfigError telling how to get one."""
    if settings.hook_secret:
        return str(settings.hook_secret)
    path = secret_path(settings)
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ConfigError(
            f"TILLSYNC_HOOK_SECRET is not set and {path} does not exist: "
            "run `tillsync serve` once to create it, or set the variable"
        ) from None
    if len(value) < 32:
        raise ConfigError(f"{path} holds fewer than 32 characters: replace it")
    return value


def ensure_hook_secret(settings: Settings) -> tuple[str, bool]:
    """Return (secret, created): create `<data dir>/hook-secret` (0600) if needed."""
    if settings.hook_secret:
        return str(settings.hook_secret), False
    path = secret_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    try:
        # O_EXCL: two starts racing never overwrite each other's secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_hook_secret(settings), False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value, True
