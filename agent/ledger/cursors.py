"""Named resume points and small documents kept in the ledger."""

from __future__ import annotations

import json
import time
from typing import Any

from agent.ledger.db import ledger_db
from agent.ledger.models import Credential, Cursor


def read_cursor(name: str, default: Any = None) -> Any:
    """The JSON value stored under `name`, or `default`."""
    row = Cursor.get_or_none(Cursor.name == name)
    return default if row is None else json.loads(row.value)


def write_cursor(name: str, value: Any) -> None:
    """Store `value` (JSON-serialisable) under `name`, atomically."""
    now = time.time()
    text = json.dumps(value)
    with ledger_db.atomic():
        if (
            not Cursor.update(value=text, updated_at=now)
            .where(Cursor.name == name)
            .execute()
        ):
            Cursor.create(name=name, value=text, updated_at=now)


class LedgerRefreshTokenStore:
    """Keeps the POS's rotating OAuth2 refresh token in the ledger."""

    def __init__(self, name: str = "pos.refresh_token") -> None:
        self.name = name

    def load(self) -> str | None:
        """The latest refresh token, if one was saved."""
        row = Credential.get_or_none(Credential.name == self.name)
        return None if row is None else row.value

    def save(self, token: str) -> None:
        """Replace the refresh token (committed before the caller goes on)."""
        now = time.time()
        with ledger_db.atomic():
            if (
                not Credential.update(value=token, updated_at=now)
                .where(Credential.name == self.name)
                .execute()
            ):
                Credential.create(name=self.name, value=token, updated_at=now)
