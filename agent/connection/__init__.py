"""Connecting to a POS store: `connect` (credentials checked, register chosen, an epoch
opened, what never reached the POS re-triggered), `disconnect`, and `retrigger`.
"""
