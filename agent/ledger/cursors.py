"""Named resume points and small documents kept in the ledger."""

from __future__ import annotations

import json
import time
from typing import Any

from agent.ledger.db import ledger_db
from agent.ledger.models import Cursor


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
