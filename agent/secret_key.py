"""The key that seals the secrets kept in the ledger (README "Security").

`<data dir>/secret-key` holds one Fernet key (`cryptography`: AES-128-CBC with an
HMAC-SHA256 tag, 32 random bytes). It is created, mode 0600, the first time a secret is
sealed; processes starting together agree on one key (the first file published wins).
The ledger and this file only make sense together: a copy of the ledger without the key
reveals no secret, and a ledger restored without its key cannot be read.
"""

from __future__ import annotations

import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from agent.data_dir import (
    SECRET_KEY_FILE,
    DataDirError,
    private_dir,
    publish_private,
)
from agent.settings import Settings


def secret_key_path(settings: Settings) -> Path:
    """Where the key lives: `<data dir>/secret-key`."""
    return Path(settings.data_dir) / SECRET_KEY_FILE


class SecretUnreadable(ValueError):
    """A stored secret cannot be decrypted (a missing or different key); the message
    names the key file and never the secret."""


class SecretKeyFile:
    """A `SecretCipher` whose Fernet key is read from (or first written to) `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fernet: Fernet | None = None
        self._lock = threading.Lock()

    def ready(self) -> None:
        """Load the key, creating it if there is none yet."""
        self._key(create=True)

    def encrypt(self, plain: str) -> str:
        """`plain` sealed with the key (created on first use)."""
        return self._key(create=True).encrypt(plain.encode()).decode("ascii")

    def decrypt(self, sealed: str) -> str:
        """The plain text of `sealed`; SecretUnreadable naming the key file if the key
        is missing or is not the one that sealed it."""
        fernet = self._key(create=False)
        try:
            return fernet.decrypt(sealed.encode("ascii")).decode()
        except (InvalidToken, UnicodeError):
            raise SecretUnreadable(
                f"a secret in the ledger cannot be decrypted with the key in "
                f"{self.path}: it was sealed with another key; put back the "
                "secret-key file that belongs with this ledger"
            ) from None

    def _key(self, *, create: bool) -> Fernet:
        with self._lock:
            if self._fernet is None:
                self._fernet = self._load(create)
            return self._fernet

    def _load(self, create: bool) -> Fernet:
        if create and not self.path.exists():
            try:
                private_dir(self.path.parent)
                publish_private(self.path, Fernet.generate_key().decode("ascii") + "\n")
            except OSError as error:
                raise SecretUnreadable(
                    f"cannot create the key {self.path}: {error.strerror}"
                ) from None
            except DataDirError as error:
                raise SecretUnreadable(str(error)) from None
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            raise SecretUnreadable(
                f"the ledger holds encrypted secrets but {self.path} is missing: put "
                "back the secret-key file that belongs with this ledger"
            ) from None
        except OSError as error:
            raise SecretUnreadable(
                f"cannot read the key {self.path}: {error.strerror}"
            ) from None
        except UnicodeError:
            text = ""  # not a key: refused just below
        try:
            return Fernet(text)
        except ValueError:
            raise SecretUnreadable(
                f"{self.path} does not hold a valid key (44 characters of url-safe "
                "base64): put back the right file"
            ) from None

    def __repr__(self) -> str:
        return f"SecretKeyFile({str(self.path)!r})"
