"""A strict WooCommerce emulator (REST v3, OAuth 1.0a, hook forwarding), on loopback."""

from agent.emulators.woo.server import WooEmulator

__all__ = ["WooEmulator"]
