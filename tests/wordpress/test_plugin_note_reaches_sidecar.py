"""A note added through WooCommerce reaches the real sidecar, signed: the order is pending."""

from __future__ import annotations

import pytest
from sidecar_process import SidecarProcess
from wp_site import WordPressSite

pytestmark = pytest.mark.wordpress


def _order_unknown_to_the_sidecar(site: WordPressSite) -> int:
    """An order placed while nothing listened (its events dropped on purpose)."""
    return int(
        site.php(
            "$order = wc_create_order(['total' => '19.90']);"
            "Tillsync\\Bridge\\Plugin::instance()->capture->takeEvents();"
            "echo $order->get_id();"
        )
    )


def test_merchant_note_makes_the_order_pending(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    order_id = _order_unknown_to_the_sidecar(wp_site)
    assert live_sidecar.orders([order_id]) == {}
    before = live_sidecar.hook_results()

    wp_site.drive("note", order_id=order_id, text="Customer called: please ring it up.")

    row = live_sidecar.orders([order_id])[order_id]
    assert row["state"] == "pending"
    after = live_sidecar.hook_results()
    # The sidecar verified the signature: accepted, not rejected.
    assert after.get("accepted", 0) - before.get("accepted", 0) == 1
    assert after.get("rejected_401", 0) == before.get("rejected_401", 0)
    assert wp_site.outbox_size() == 0


def test_tillsync_info_note_never_reaches_the_sidecar(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    order_id = _order_unknown_to_the_sidecar(wp_site)
    before = live_sidecar.hook_results()

    wp_site.drive(
        "note", order_id=order_id, text="[Tillsync:info] Sent to the POS as sale 9."
    )

    assert live_sidecar.orders([order_id]) == {}
    assert live_sidecar.hook_results() == before
    assert wp_site.outbox_size() == 0


def test_resend_note_is_forwarded(
    wp_site: WordPressSite, live_sidecar: SidecarProcess
) -> None:
    order_id = _order_unknown_to_the_sidecar(wp_site)

    wp_site.drive("note", order_id=order_id, text="[Tillsync:resend] try again")

    assert live_sidecar.orders([order_id])[order_id]["state"] == "pending"
