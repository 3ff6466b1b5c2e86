"""What an action runs with: the settings, clients built on first use, and a way to
report progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from agent.clients import pos_client, pos_identity, woo_client
from agent.control.failures import NOT_CONNECTED, ActionFailed
from agent.ledger.admin_credentials import effective_settings
from agent.ledger.epochs import Connection, current_connection
from agent.pos import PosClient
from agent.settings import Settings
from agent.sync.counters import count_pos_request, count_woo_request
from agent.woo import WooClient


@dataclass
class ActionContext:
    """One action's run. A client that cannot be built raises ConfigError, whose
    message names the setting; the runner shows it as the action's error."""

    host_settings: Settings  # the environment's, as the process started with them
    report: Callable[[int, int | None], None]

    @cached_property
    def settings(self) -> Settings:
        """The settings in use: the host's, and what WP admin gave for the rest."""
        return effective_settings(self.host_settings)

    @cached_property
    def store(self) -> str:
        """The POS store's identity: its domain prefix, else its base URL."""
        return pos_identity(self.settings)

    @cached_property
    def pos(self) -> PosClient:
        """The X-Series client, its requests counted in `/metrics` like the pusher's."""
        return pos_client(self.settings, observer=count_pos_request)

    @cached_property
    def woo(self) -> WooClient:
        """The WooCommerce client, its requests counted in `/metrics`."""
        return woo_client(self.settings, observer=count_woo_request)

    def connection(self) -> Connection:
        """The open connection; ActionFailed when there is none."""
        connection = current_connection()
        if connection is None:
            raise ActionFailed(
                "not connected to the POS: connect first (Connection tab, or "
                "`tillsync connect`)",
                NOT_CONNECTED,
            )
        return connection
