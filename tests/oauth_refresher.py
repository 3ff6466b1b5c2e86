"""A real `tillsync`-like process that talks to the POS in OAuth mode (for tests).

It opens the ledger and builds the POS client exactly as every command does
(`agent.clients.pos_client`), prints `ready`, then for each `go` line on stdin makes one
POS call and prints one JSON line: `{"ok": true}` or `{"ok": false, "code", "error"}`.
`quit` (or the end of stdin) stops it. Several of them, released by the same `go`,
refresh the OAuth token at the same instant.
"""

from __future__ import annotations

import json
import sys

from agent.clients import pos_client
from agent.data_dir import secure_data_dir
from agent.ledger.db import open_ledger
from agent.pos import PosError
from agent.settings import Settings


def main() -> None:
    settings = Settings.load()
    secure_data_dir(settings)
    open_ledger(settings.database_url)
    client = pos_client(settings)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "go":
            return
        try:
            client.current_user()
        except PosError as error:
            print(
                json.dumps({"ok": False, "code": error.code, "error": str(error)}),
                flush=True,
            )
        else:
            print(json.dumps({"ok": True}), flush=True)


if __name__ == "__main__":
    main()
