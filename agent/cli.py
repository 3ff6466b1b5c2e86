"""The `tillsync` command line: the entry point (README, "Commands").

It only builds the click group; every command lives with its subsystem, which adds it
with `register(group)`. What a command starts from and how it exits (0 success, 1
failure, 2 usage error) is `agent.command_env`. Nothing imports this module but
`agent/__main__.py` and the `tillsync` console script (README, "Architecture").
"""

from __future__ import annotations

import click

from agent import processes
from agent.connection import commands as connection_commands
from agent.demo import command as demo_command
from agent.history import commands as history_commands
from agent.reconcile import command as reconcile_command
from agent.stock import commands as stock_commands
from agent.sync import commands as sync_commands

# Each adds its commands to the group with `register(group)`.
SUBSYSTEMS = (
    processes,
    sync_commands,
    connection_commands,
    history_commands,
    stock_commands,
    reconcile_command,
    demo_command,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="tillsync", prog_name="tillsync", message="%(prog)s %(version)s"
)
def main() -> None:
    """Tillsync: every WooCommerce order lands in Lightspeed Retail X-Series."""


class Emulators(click.Group):
    """`tillsync emulate pos|woo`, each emulator imported only when it is asked for.

    An emulator is an HTTP server with its seed data (werkzeug, catalogues): imported at
    the top, every command and every scheduler process would carry it.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Both emulators, without importing them."""
        return ["pos", "woo"]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The emulator `name`'s command, imported now."""
        if name == "pos":
            from agent.emulators.pos.command import pos_command

            return pos_command
        if name == "woo":
            from agent.emulators.woo.command import woo_command

            return woo_command
        return None


@main.group(cls=Emulators)
def emulate() -> None:
    """The bundled X-Series and WooCommerce emulators."""


for subsystem in SUBSYSTEMS:
    subsystem.register(main)
