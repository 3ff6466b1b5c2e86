"""Why an action failed: the English sentence the API and the log carry, and a code with
its details, so WP admin can say the same in the merchant's language (README, "WP admin's
API": the error codes). A failure without a code of its own is `other`: WP admin then
shows the English sentence as it is.
"""

from __future__ import annotations

from agent.clients import refusal_sentence
from agent.connection.connect import CONNECT_CODES, ConnectError
from agent.history.importer import ImportBlocked
from agent.history.window import EmptyWindow, WindowError
from agent.pos.errors import PosError, PosForbidden, PosUnauthorized, PosUnavailable
from agent.settings import ConfigError
from agent.stock.restore import (
    ALREADY_UNDONE,
    IMPORT_STILL_QUEUED,
    NO_POS_STOCK,
    NOT_AN_IMPORT_BACKUP,
    RestoreError,
)
from agent.woo.errors import WooError

# The codes, each with the details it carries (README, "WP admin's API").
NOT_CONNECTED = "not_connected"
NEVER_CONNECTED = "never_connected"
NO_BACKUP = "no_backup"  # backup_id
IMPORT_INTERRUPTED = "import_interrupted"  # import_id
WINDOW_EMPTY = "window_empty"
NO_NEW_CREDENTIALS = "no_new_credentials"
SETTINGS_MISSING = "settings_missing"
POS_CREDENTIALS_REFUSED = "pos_credentials_refused"
POS_PERMISSION_MISSING = "pos_permission_missing"
POS_UNREACHABLE = "pos_unreachable"
POS_REFUSED = "pos_refused"
WOO_REFUSED = "woo_refused"
UNEXPECTED = "unexpected"
OTHER = "other"

CODES = (
    NOT_CONNECTED,
    NEVER_CONNECTED,
    NO_BACKUP,
    NOT_AN_IMPORT_BACKUP,
    IMPORT_STILL_QUEUED,
    NO_POS_STOCK,
    ALREADY_UNDONE,
    IMPORT_INTERRUPTED,
    WINDOW_EMPTY,
    NO_NEW_CREDENTIALS,
    SETTINGS_MISSING,
    POS_CREDENTIALS_REFUSED,
    POS_PERMISSION_MISSING,
    POS_UNREACHABLE,
    POS_REFUSED,
    WOO_REFUSED,
    *CONNECT_CODES,
    UNEXPECTED,
    OTHER,
)


class ActionFailed(Exception):
    """An action that cannot go on: the English sentence, its code and details."""

    def __init__(self, message: str, code: str = OTHER, **details: str | int) -> None:
        super().__init__(message)
        assert code in CODES, code
        self.code = code
        self.details = details


def pos_failure(error: PosError, sentence: str | None = None) -> ActionFailed:
    """The POS would not do it: which of the merchant's fixes applies, by the error."""
    code = POS_REFUSED
    if isinstance(error, PosUnauthorized):
        code = POS_CREDENTIALS_REFUSED
    elif isinstance(error, PosForbidden):
        code = POS_PERMISSION_MISSING
    elif isinstance(error, PosUnavailable):
        code = POS_UNREACHABLE
    return ActionFailed(sentence or refusal_sentence(error), code)


def failure_of(error: Exception) -> ActionFailed:
    """What the runner records for an error an action let through."""
    if isinstance(error, ActionFailed):
        return error
    if isinstance(error, (RestoreError, ConnectError)):
        return ActionFailed(str(error), error.failure, **error.details)
    if isinstance(error, ImportBlocked):
        return ActionFailed(str(error), IMPORT_INTERRUPTED, import_id=error.import_id)
    if isinstance(error, EmptyWindow):
        return ActionFailed(str(error), WINDOW_EMPTY)
    if isinstance(error, WindowError):
        return ActionFailed(str(error))
    if isinstance(error, ConfigError):
        return ActionFailed(str(error), SETTINGS_MISSING)
    if isinstance(error, PosError):
        return pos_failure(error)
    if isinstance(error, WooError):
        return ActionFailed(refusal_sentence(error), WOO_REFUSED)
    return ActionFailed(
        "an unexpected error stopped it; the sidecar's log says more", UNEXPECTED
    )
