"""`tillsync connect` / `disconnect`: connection epochs to one POS store.

Connecting checks the POS credentials and the WooCommerce keys, picks the register (its
outlet loses the stock), the payment type and the user, saves the POS taxes, and opens an
epoch. Reconnecting to the same store never starts over: what was sent stays sent, and
only what never reached the POS is re-triggered. Another store needs `--new-store` and
starts a new scope; the old store's rows stay as history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agent.ledger.db import ledger_db
from agent.ledger.epochs import (
    close_epoch,
    latest_epoch,
    open_epoch,
    open_epoch_now,
    save_taxes,
)
from agent.ledger.models import FAILED, PENDING, Epoch, Order, Store
from agent.ledger.queue import requeue
from agent.pos import (
    PaymentType,
    PosClient,
    PosForbidden,
    PosUnauthorized,
    PosUnavailable,
    Register,
)
from agent.woo import (
    WooBadResponse,
    WooClient,
    WooError,
    WooNotFound,
    WooUnauthorized,
    WooUnavailable,
)

# Failures whose cause may have changed across a disconnect: the POS store may now
# have the tax, the product or the permission that was missing.
RETRIGGERED_FAILURES = (
    "pos_validation",
    "pos_product_deleted",
    "pos_tax_missing",
    "wc_order_missing",
)


class ConnectError(Exception):
    """A connect that cannot go on: the message says what to do; `failure` names the case
    and `details` what it names (WP admin says it in the merchant's language). Not an
    order's reason code: nothing is written on an order."""

    def __init__(self, message: str, failure: str, **details: str | int) -> None:
        super().__init__(message)
        self.failure = failure
        self.details = details


# ConnectError failures.
NO_REGISTER = "no_register"
NO_SUCH_REGISTER = "no_such_register"  # register_id
SEVERAL_REGISTERS = "several_registers"  # registers
NO_PAYMENT_TYPE = "no_payment_type"
NO_SUCH_PAYMENT_TYPE = "no_such_payment_type"  # payment_type_id
WOO_KEY_REFUSED = "woo_key_refused"
WOO_URL_WRONG = "woo_url_wrong"
OTHER_STORE = "other_store"  # ledger_store, store
CONNECT_CODES = (
    NO_REGISTER,
    NO_SUCH_REGISTER,
    SEVERAL_REGISTERS,
    NO_PAYMENT_TYPE,
    NO_SUCH_PAYMENT_TYPE,
    WOO_KEY_REFUSED,
    WOO_URL_WRONG,
    OTHER_STORE,
)


@dataclass
class ConnectResult:
    """What `connect` did, for the command's output."""

    epoch: Epoch
    already: bool = False
    register: Register | None = None
    payment_type: PaymentType | None = None
    retriggered: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def choose_register(registers: list[Register], wanted: str | None) -> Register:
    """The register named by id, or the only one; ConnectError listing them."""
    listing = "; ".join(f"{r.id} ({r.name})" for r in registers) or "none"
    if wanted:
        for register in registers:
            if register.id == wanted:
                return register
        raise ConnectError(
            f"the POS has no register {wanted!r}; its registers are: {listing}",
            NO_SUCH_REGISTER,
            register_id=wanted,
        )
    if len(registers) == 1:
        return registers[0]
    if not registers:
        raise ConnectError(
            "the POS has no register: create one in Lightspeed first", NO_REGISTER
        )
    raise ConnectError(
        f"the POS has {len(registers)} registers; choose one with --register ID "
        f"(or TILLSYNC_POS_REGISTER_ID): {listing}",
        SEVERAL_REGISTERS,
        registers=len(registers),
    )


def choose_payment_type(types: list[PaymentType], wanted: str | None) -> PaymentType:
    """The configured payment type, else the one named like "WooCommerce"."""
    listing = "; ".join(f"{t.id} ({t.name})" for t in types) or "none"
    if wanted:
        for payment_type in types:
            if payment_type.id == wanted:
                return payment_type
        raise ConnectError(
            f"TILLSYNC_POS_PAYMENT_TYPE_ID {wanted!r} is not a POS payment type; "
            f"they are: {listing}",
            NO_SUCH_PAYMENT_TYPE,
            payment_type_id=wanted,
        )
    named = [t for t in types if "woocommerce" in t.name.casefold()]
    if len(named) == 1:
        return named[0]
    raise ConnectError(
        "no single POS payment type is named like “WooCommerce”: create one in "
        f"Lightspeed or set TILLSYNC_POS_PAYMENT_TYPE_ID; they are: {listing}",
        NO_PAYMENT_TYPE,
    )


def check_woo_keys(woo: WooClient) -> str | None:
    """None when the keys can read orders; a warning when WooCommerce did not answer.

    Raises ConnectError when WooCommerce refuses the keys (401/403) or the URL is not a
    WooCommerce REST API: the first pass would stop on either, so nothing is opened.
    """
    try:
        woo.check_access()
    except WooUnauthorized as error:
        raise ConnectError(
            "WooCommerce refused the REST API key: check TILLSYNC_WC_KEY and "
            "TILLSYNC_WC_SECRET (a key with Read/Write permission, from WooCommerce › "
            f"Settings › Advanced › REST API): {error}",
            WOO_KEY_REFUSED,
        ) from None
    except (WooNotFound, WooBadResponse) as error:
        raise ConnectError(
            f"TILLSYNC_WC_URL does not lead to a WooCommerce REST API: {error}",
            WOO_URL_WRONG,
        ) from None
    except WooUnavailable as error:
        return (
            "WooCommerce did not answer, so TILLSYNC_WC_KEY and TILLSYNC_WC_SECRET "
            f"were not checked ({error}); connecting anyway, orders wait until it "
            "answers"
        )
    except WooError as error:
        return (
            "WooCommerce could not check TILLSYNC_WC_KEY and TILLSYNC_WC_SECRET "
            f"({error}); connecting anyway"
        )
    return None


def retrigger_counts(scope: int) -> dict[str, int]:
    """Orders a reconnect will push: pending ones, and retryable failures."""
    pending = Order.select().where((Order.scope == scope) & (Order.state == PENDING))
    failed = Order.select().where(
        (Order.scope == scope)
        & (Order.state == FAILED)
        & Order.reason_code.in_(RETRIGGERED_FAILURES)
    )
    return {"pending": pending.count(), "failed_retryable": failed.count()}


def connect(
    pos: PosClient,
    identity: str,
    *,
    register_id: str | None = None,
    payment_type_id: str | None = None,
    user_id: str | None = None,
    new_store: bool = False,
    announce: Callable[[dict[str, int]], None] | None = None,
    woo: WooClient | None = None,
) -> ConnectResult:
    """Open an epoch for `identity` (see module docstring); raise ConnectError.

    `announce` is called with what will be re-triggered before anything changes.
    `woo`, when WooCommerce is configured, has its keys checked first (`check_woo_keys`).
    """
    current = open_epoch_now()
    latest = latest_epoch()
    if latest is not None:
        known = Store.get_by_id(latest.store_id).identity
        if known != identity and not new_store:
            raise ConnectError(
                f"the ledger belongs to POS store {known!r}, not {identity!r}: "
                "run `tillsync connect --new-store` to start a new scope (the old "
                "store's orders stay as history)",
                OTHER_STORE,
                ledger_store=known,
                store=identity,
            )
        if current is not None and known == identity:
            return ConnectResult(epoch=current, already=True)
    me = pos.current_user()  # a bad token fails here, before anything is written
    register = choose_register(pos.registers(), register_id)
    payment_type = choose_payment_type(pos.payment_types(), payment_type_id)
    taxes = [{"id": t.id, "name": t.name, "rate": str(t.rate)} for t in pos.taxes()]
    warning = check_woo_keys(woo) if woo is not None else None
    known_store = Store.get_or_none(Store.identity == identity)
    if announce is not None:
        announce(retrigger_counts(known_store.id if known_store else 0))
    with ledger_db.atomic():
        if current is not None:
            close_epoch()  # --new-store while connected to the old one
        epoch = open_epoch(
            identity,
            register.id,
            register.outlet_id,
            user_id=user_id or me.id,
            payment_type_id=payment_type.id,
        )
        save_taxes(epoch.store_id, taxes)
        counts = retrigger_counts(epoch.store_id)
        requeue(
            (Order.state == FAILED) & Order.reason_code.in_(RETRIGGERED_FAILURES),
            release=None,
        )
    return ConnectResult(
        epoch=epoch,
        register=register,
        payment_type=payment_type,
        retriggered=counts,
        warnings=[warning] if warning else [],
    )


def disconnect() -> Epoch | None:
    """Close the open epoch; hooks are still recorded, nothing is pushed."""
    return close_epoch()


def pos_problem(error: Exception) -> str:
    """Why connect could not use the POS, naming the setting to look at."""
    if isinstance(error, PosUnauthorized):
        return (
            "the POS refused the credentials (TILLSYNC_POS_TOKEN or the OAuth "
            f"settings): {error}"
        )
    if isinstance(error, PosForbidden):
        return f"the POS token lacks a permission Tillsync needs: {error}"
    if isinstance(error, PosUnavailable):
        return f"the POS did not answer (TILLSYNC_POS_DOMAIN_PREFIX?): {error}"
    return f"the POS refused: {error}"
