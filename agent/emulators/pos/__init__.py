"""A strict Lightspeed Retail X-Series emulator (never kinder than POS-API.md).

`PosEmulator` serves the API on a loopback port; `python -m agent.emulators.pos` and
`tillsync emulate pos` (command.py) run it from the command line.
"""

from agent.emulators.pos.emulator import PosEmulator
from agent.emulators.pos.requestlog import RequestRecord

__all__ = ["PosEmulator", "RequestRecord"]
