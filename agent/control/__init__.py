"""What WP admin asks for, run in the scheduler process (README, "WP admin's API").

The web door only records an action in the ledger (`agent/ledger/admin_actions.py`);
`runner.py` claims it here and runs it through the same subsystem code as the
matching command, writing progress and the result back to the ledger.
"""
