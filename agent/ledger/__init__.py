"""The ledger: what Tillsync knows, on SQLite, PostgreSQL or MySQL (the memory).

Imports none of the other subsystems.
"""
