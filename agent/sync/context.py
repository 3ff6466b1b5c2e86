"""What every push in an epoch shares: register, outlet, user, payment type, taxes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from agent.ledger.cursors import read_cursor
from agent.ledger.models import Epoch
from agent.sync.mapping import MappingError, SaleLine

HALF_CENT = Decimal("0.005")


def taxes_cursor(scope: int) -> str:
    """The ledger cursor holding this scope's POS taxes (saved by `connect`)."""
    return f"pos.taxes.{scope}"


@dataclass(frozen=True)
class SyncContext:
    """The POS side of the current epoch, plus the WooCommerce store URL."""

    epoch: int
    scope: int
    register_id: str
    outlet_id: str
    user_id: str | None
    payment_type_id: str | None
    wc_url: str
    taxes: tuple[tuple[str, Decimal], ...]  # (tax id, rate)

    @classmethod
    def for_epoch(cls, epoch: Epoch, wc_url: str) -> SyncContext:
        """Build the context from an open epoch and the taxes saved at connect."""
        saved = read_cursor(taxes_cursor(epoch.store_id), []) or []
        return cls(
            epoch=epoch.id,
            scope=epoch.store_id,
            register_id=epoch.register_id,
            outlet_id=epoch.outlet_id,
            user_id=epoch.user_id,
            payment_type_id=epoch.payment_type_id,
            wc_url=wc_url,
            taxes=tuple((str(t["id"]), Decimal(str(t["rate"]))) for t in saved),
        )

    def tax_id_for(self, line: SaleLine) -> str:
        """The POS tax that reproduces the line's tax to the cent ("No Tax" for 0).

        WooCommerce rounds each line's tax to the cent, so a small line's apparent rate
        is off (0.53 on 3.50 is 15.14 %): the test is the tax the rate would give, not
        the rate itself.
        """
        total = line.unit_price * line.quantity
        tax = line.unit_tax * line.quantity
        tolerance = HALF_CENT * max(1, abs(line.quantity))
        ranked = sorted(
            (abs(total * rate - tax), rate, tax_id) for tax_id, rate in self.taxes
        )
        if not ranked or ranked[0][0] > tolerance:
            known = ", ".join(_percent(r) for _, r in self.taxes) or "none"
            raise MappingError(
                "pos_tax_missing",
                f"a line is taxed at {_percent(line.tax_rate)} and the POS has no tax "
                f"with that rate (it has: {known}); add one in Lightspeed, then retry",
            )
        return ranked[0][2]


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"
