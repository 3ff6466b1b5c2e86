"""What every `tillsync` command starts from, and how it ends (README, "Commands").

One preamble: `start()` reads the settings, builds the POS and WooCommerce clients the
command needs, then makes the data dir private and opens the ledger; a command never
does those steps itself. Every problem on the way stops the command with one line on
stderr and exit status 1 (`fail`). Exit statuses: 0 success, 1 failure, 2 usage error,
including a command that would ask for confirmation while stdin is not a terminal and
`--yes` is absent (`confirm_or_exit`).

The bottom of the command layer (README, "Architecture"): it imports the settings, the
data dir, the ledger and the clients, and nothing that holds a command.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from functools import cached_property
from typing import IO, Any, NoReturn

import click

from agent.clients import pos_client, pos_identity, refusal_sentence, woo_client
from agent.data_dir import secure_data_dir, sqlite_path
from agent.ledger.admin_credentials import effective_settings
from agent.ledger.db import open_ledger as open_ledger_db
from agent.logs import configure_logging
from agent.pos import PosClient, PosError
from agent.settings import (
    ConfigError,
    Needed,
    Settings,
    missing_for_pos,
    missing_for_woo,
    require_all,
)
from agent.woo import WooClient, WooError


class Failure(click.ClickException):
    """A command failed: `tillsync: <message>` on stderr, exit status 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        """Print `tillsync: <message>` on stderr."""
        click.echo(f"tillsync: {self.format_message()}", err=True)


def fail(message: str) -> NoReturn:
    """Stop the command with exit status 1 and `message`."""
    raise Failure(message)


@contextmanager
def config_errors_fail() -> Iterator[None]:
    """A ConfigError raised inside ends the command: exit 1, its one line on stderr."""
    try:
        yield
    except ConfigError as error:
        fail(str(error))


@contextmanager
def refusals_fail(*own: type[Exception]) -> Iterator[None]:
    """A POS or WooCommerce refusal raised inside ends the command with one clear line
    (exit 1); so do the command's `own` errors, whose message is that line."""
    try:
        yield
    except own as error:
        fail(str(error))
    except (PosError, WooError) as error:
        fail(refusal_sentence(error))


def load_settings() -> Settings:
    """Settings from the environment and `.env`, or exit 1 naming the variable."""
    with config_errors_fail():
        return Settings.load()


def open_ledger(settings: Settings) -> None:
    """Make the data dir private, open (and migrate) the ledger, or exit 1 with why."""
    with config_errors_fail():
        secure_data_dir(settings)
    try:
        open_ledger_db(settings.database_url)
    except Exception as error:  # noqa: BLE001 — every driver has its own error types
        fail(f"cannot open the ledger at TILLSYNC_DATABASE_URL: {error}")


class Client(Enum):
    """A client a command needs before it touches the ledger."""

    POS = "pos"
    WOO = "woo"

    def missing(self, settings: Settings) -> list[Needed]:
        """The settings this client needs that `settings` lacks."""
        return (missing_for_pos if self is Client.POS else missing_for_woo)(settings)


class CommandEnv:
    """The settings of one command run, and its clients built on first use.

    A client that cannot be built (a variable unset, a malformed URL) ends the command
    with exit status 1 and the line naming the variable.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def store(self) -> str:
        """The POS store's identity: its domain prefix, else its base URL."""
        with config_errors_fail():
            return pos_identity(self.settings)

    @cached_property
    def pos(self) -> PosClient:
        """The X-Series client for the configured store."""
        with config_errors_fail():
            return pos_client(self.settings)

    @cached_property
    def woo(self) -> WooClient:
        """The WooCommerce REST client for the configured shop."""
        try:
            with config_errors_fail():
                return woo_client(self.settings)
        except ValueError as error:
            fail(f"TILLSYNC_WC_URL: {error}")


def start(*clients: Client, ledger: bool = True, logs: bool = False) -> CommandEnv:
    """The one preamble: settings, then the log format if `logs` (the long-running
    commands), then `clients` (checked in the order given), then the ledger (data dir
    made private first) unless `ledger` is False.

    The clients come before the ledger so that a missing variable changes nothing on
    disk; every setting the clients lack is named at once, in one line.
    """
    env = CommandEnv(load_settings())
    if logs:
        configure_logging(env.settings.log_format)
    opened = ledger and _ledger_exists(env.settings)
    if opened:
        # Credentials the merchant gave in WP admin count too (the environment wins).
        open_ledger(env.settings)
        env.settings = effective_settings(env.settings)
    with config_errors_fail():
        require_all([needed for c in clients for needed in c.missing(env.settings)])
    for client in clients:
        getattr(env, client.value)  # a Client's value names its CommandEnv property
    if ledger and not opened:
        open_ledger(env.settings)
    return env


def _ledger_exists(settings: Settings) -> bool:
    """Whether the ledger is already there (opening it then creates nothing)."""
    path = sqlite_path(settings.database_url)
    return path is None or path.exists()


def confirm_or_exit(question: str, yes: bool) -> None:
    """Ask `question` unless `yes`; exit 2 when no terminal can answer."""
    if yes:
        return
    if not sys.stdin.isatty():
        click.echo(
            "tillsync: this command asks for confirmation: run it in a terminal or "
            "add --yes",
            err=True,
        )
        sys.exit(2)
    if not click.confirm(question, default=False):
        fail("cancelled; nothing was changed")


def print_json(document: Any) -> None:
    """One JSON document on stdout."""
    click.echo(json.dumps(document, indent=2, default=str))
