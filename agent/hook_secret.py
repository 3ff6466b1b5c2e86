"""The secret shared with the WordPress plugin (README, 'Settings').

`TILLSYNC_HOOK_SECRET` wins; otherwise `<data dir>/hook-secret` is read. Only
`tillsync serve` may create that file (mode 0600), and it prints the new secret once on
the terminal; a gunicorn started directly refuses to start without one. Either way the
secret has at least `MIN_LENGTH` characters: a short one is guessable offline from a
single signed request.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from agent.data_dir import HOOK_SECRET_FILE, private_dir, publish_private
from agent.settings import ConfigError, Settings

MIN_LENGTH = 32


def secret_path(settings: Settings) -> Path:
    """Where the generated secret lives."""
    return Path(settings.data_dir) / HOOK_SECRET_FILE


def _from_environment(settings: Settings) -> str | None:
    if not settings.hook_secret:
        return None
    value = str(settings.hook_secret)
    if len(value) < MIN_LENGTH:
        raise ConfigError(
            f"TILLSYNC_HOOK_SECRET has {len(value)} characters; it needs at least "
            f"{MIN_LENGTH} (unset it to have `tillsync serve` generate one)"
        )
    return value


def read_hook_secret(settings: Settings) -> str:
    """The configured secret, or ConfigError telling how to get one."""
    configured = _from_environment(settings)
    if configured is not None:
        return configured
    path = secret_path(settings)
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ConfigError(
            f"TILLSYNC_HOOK_SECRET is not set and {path} does not exist: "
            "run `tillsync serve` once to create it, or set the variable"
        ) from None
    if len(value) < MIN_LENGTH:
        raise ConfigError(
            f"{path} holds fewer than {MIN_LENGTH} characters: replace it"
        )
    return value


def ensure_hook_secret(settings: Settings) -> tuple[str, bool]:
    """Return (secret, created): create `<data dir>/hook-secret` (0600) if needed."""
    configured = _from_environment(settings)
    if configured is not None:
        return configured, False
    path = secret_path(settings)
    private_dir(path.parent)
    value = secrets.token_urlsafe(32)
    # Two starts racing never overwrite each other's secret, nor read half of one.
    if not publish_private(path, value + "\n"):
        return read_hook_secret(settings), False
    return value, True
