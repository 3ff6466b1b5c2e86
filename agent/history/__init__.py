"""`tillsync import-history`: orders placed before the connection, sent on request.

- `importer`: decide page by page (`plan`, over a backup snapshot from `agent.stock`,
  with the push path's own product rule), write (`writers`: the ledger, or nothing for a
  dry run), push in the foreground (`foreground_push`), report (`summary`); a lost
  ledger's sales are found once (`recovery`); `window` reads `--since`/`--until`;
- `commands`: the click command.
"""
