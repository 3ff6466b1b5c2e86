"""The data directory and the private files in it (README "Security").

The data dir is 0700. The SQLite ledger and its `-wal`, `-shm` and `.writelock` files, the
backup files, the hook secret and the secret key are 0600, whatever the umask: every file
Tillsync writes here goes through `private_dir()`, `open_private()` or `publish_private()`,
and `secure_data_dir()`, run at every start, tightens what an older release (or a copy)
left readable by others. A looser mode on a file Tillsync can change is fixed and logged
once; one it cannot change (another user's) stops the start with one line naming it.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal
from urllib.parse import unquote, urlparse

from agent.settings import ConfigError, Settings

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

# Names inside the data dir.
HOOK_SECRET_FILE = "hook-secret"
SECRET_KEY_FILE = "secret-key"
BACKUPS_DIR = "backups"
METRICS_DIR = "metrics"

# Files SQLite (and our write lock) keep beside the ledger.
LEDGER_COMPANIONS = ("-wal", "-shm", "-journal", ".writelock")

log = logging.getLogger(__name__)


class DataDirError(ConfigError):
    """The data dir, or a file that must stay private in it, cannot be made private
    (the message names the path and what to do)."""


def sqlite_path(url: str) -> Path | None:
    """The ledger file a sqlite:/// URL names; None for other URLs and :memory:."""
    parsed = urlparse(url)
    path = unquote(parsed.path)
    if parsed.scheme != "sqlite" or path == ":memory:" or path.startswith("/:memory:"):
        return None
    return Path(path)


def secure_data_dir(settings: Settings) -> None:
    """Create the data dir 0700 if missing and make every private file in it private.

    Run before anything reads or writes the data dir (serve, worker, every command that
    opens the ledger, gunicorn started directly). Raises DataDirError naming the path.
    """
    data_dir = Path(settings.data_dir)
    try:
        private_dir(data_dir)
        for folder in (data_dir / BACKUPS_DIR, data_dir / METRICS_DIR):
            make_private(folder, PRIVATE_DIR_MODE)
        for path in _private_files(settings):
            make_private(path, PRIVATE_FILE_MODE)
    except OSError as error:
        raise DataDirError(
            f"cannot prepare the data dir (TILLSYNC_DATA_DIR={data_dir}): "
            f"{error.strerror}: {error.filename}"
        ) from None


def _private_files(settings: Settings) -> Iterator[Path]:
    data_dir = Path(settings.data_dir)
    yield data_dir / HOOK_SECRET_FILE
    yield data_dir / SECRET_KEY_FILE
    ledger = sqlite_path(str(settings.database_url))
    if ledger is not None:
        yield ledger
        for suffix in LEDGER_COMPANIONS:
            yield ledger.with_name(ledger.name + suffix)
    backups = data_dir / BACKUPS_DIR
    if backups.is_dir():
        # A symbolic link is skipped: chmod would change the file it points to.
        yield from sorted(
            p for p in backups.iterdir() if p.is_file() and not p.is_symlink()
        )


def make_private(path: Path, mode: int) -> None:
    """Give `path` `mode` if group or others may use it; DataDirError if we cannot.

    A path that does not exist (or vanishes meanwhile, as SQLite's -wal and -shm do
    when the last connection closes) has nothing to fix.
    """
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    if not current & 0o077:
        return
    try:
        os.chmod(path, mode)
    except FileNotFoundError:
        return
    except PermissionError:
        raise DataDirError(
            f"{path} is mode {current:03o} (readable by others) and Tillsync cannot "
            f"change it: run `chmod {mode:o} {path}` as its owner, or run Tillsync as "
            "that user"
        ) from None
    log.warning(
        "%s was mode %03o (readable by others): changed to %03o", path, current, mode
    )


def private_dir(path: Path) -> Path:
    """Create `path` 0700 (missing parents as the system makes them), or tighten it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError:
        if not path.is_dir():
            raise DataDirError(f"{path} is not a directory") from None
        make_private(path, PRIVATE_DIR_MODE)
    else:
        # mkdir's mode passes through the umask; say it again, exactly.
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def open_private(path: Path, mode: Literal["w", "a"] = "w") -> IO[str]:
    """Open `path` for writing text ("w" truncates, "a" appends), 0600 whatever the umask."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        # An existing file keeps its own mode through open(): set it here.
        os.fchmod(fd, PRIVATE_FILE_MODE)
        return os.fdopen(fd, mode, encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def publish_private(path: Path, text: str) -> bool:
    """Create `path` (0600) holding `text`, unless it exists; True if this call made it.

    The content is written to a temporary file first and linked into place, so a process
    racing this one never reads a half-written file and never overwrites ours.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open_private(temporary) as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)
