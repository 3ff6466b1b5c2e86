"""A strict Lightspeed Retail X-Series emulator (never kinder than the API it stands for).

`PosEmulator` serves the API on a loopback port; `python -m agent.emulators.pos` and
`tillsync emulate pos` (command.py) run it from the command line.

Where each rule lives: the rate-limit window (how it is counted) in ratelimit.py; the
order of checks for every request in server.py; products and inventory in catalog.py;
sales, statuses and stock in sales.py; stock takes and transfers in stock_moves.py;
faults in faults.py; OAuth in oauth.py; the `/_emulator/` admin endpoints in admin.py.
"""

from agent.emulators.pos.emulator import PosEmulator
from agent.emulators.pos.requestlog import RequestRecord

__all__ = ["PosEmulator", "RequestRecord"]
