"""Secrets kept in the ledger, encrypted (README "Security").

`SecretStore` keeps named values in the `Credential` table: the POS's rotating OAuth
tokens now, and any credential the merchant gives from WP admin. Each value is sealed by a
`SecretCipher` (in production `agent.secret_key.SecretKeyFile`: Fernet with a key file in
the data dir) and stored as `PREFIX + <sealed text>`, so a copy of the database alone
reveals nothing. A value without the prefix was written in clear by release 0.1.0: it is
read as is and sealed in place at once.
"""

from __future__ import annotations

import time
from typing import Protocol

import peewee

from agent.ledger.db import ledger_db
from agent.ledger.models import Credential
from agent.secret_key import SecretKeyFile, secret_key_path
from agent.settings import Settings

PREFIX = "sealed:v1:"


class SecretCipher(Protocol):
    """Seals and opens secret text; raises SecretUnreadable when it cannot."""

    def ready(self) -> None:
        """Load (or create) the key now, so a bad key is found before it is needed."""
        ...

    def encrypt(self, plain: str) -> str:
        """`plain`, sealed as printable text."""
        ...

    def decrypt(self, sealed: str) -> str:
        """The text `encrypt` sealed."""
        ...


class SecretStore:
    """Named secrets in the ledger, sealed at rest."""

    def __init__(self, cipher: SecretCipher) -> None:
        self._cipher = cipher

    def ready(self) -> None:
        """Make sure secrets can be sealed and opened now (SecretUnreadable if not)."""
        self._cipher.ready()

    def get(self, name: str) -> str | None:
        """The secret stored under `name`, or None; SecretUnreadable if it cannot be opened."""
        row = Credential.get_or_none(Credential.name == name)
        if row is None:
            return None
        stored: str = row.value
        if stored.startswith(PREFIX):
            return self._cipher.decrypt(stored[len(PREFIX) :])
        self._seal_clear_value(name, stored)
        return stored

    def put(self, name: str, value: str) -> None:
        """Store `value` under `name`, sealed, replacing any previous one (committed)."""
        sealed = PREFIX + self._cipher.encrypt(value)
        if self._replace(name, sealed):
            return
        try:
            with ledger_db.atomic():
                Credential.create(name=name, value=sealed, updated_at=time.time())
        except peewee.IntegrityError:
            # Another process created the row first: ours is the later value.
            self._replace(name, sealed)

    def delete(self, name: str) -> None:
        """Forget the secret stored under `name` (nothing if there is none)."""
        Credential.delete().where(Credential.name == name).execute()

    @staticmethod
    def _replace(name: str, sealed: str) -> bool:
        query = Credential.update(value=sealed, updated_at=time.time())
        return bool(query.where(Credential.name == name).execute())

    def _seal_clear_value(self, name: str, clear: str) -> None:
        # Only if nobody replaced it since we read it: a newer value is never lost.
        sealed = PREFIX + self._cipher.encrypt(clear)
        Credential.update(value=sealed, updated_at=time.time()).where(
            (Credential.name == name) & (Credential.value == clear)
        ).execute()


def ledger_secrets(settings: Settings) -> SecretStore:
    """The secrets kept in the ledger, sealed with the key in `<data dir>/secret-key`."""
    return SecretStore(SecretKeyFile(secret_key_path(settings)))
