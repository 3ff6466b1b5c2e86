"""Strict emulators of the two APIs Tillsync talks to: for tests, demo and benchmarks.

`pos` is a Lightspeed Retail X-Series store, `woo` a WooCommerce shop; each serves its
API on a loopback port and is never kinder than the real one. They ship with the product
but stand apart from it: nothing here imports the rest of `agent`.
"""
