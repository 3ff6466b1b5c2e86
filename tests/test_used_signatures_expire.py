"""The ledger's record of used signatures: one use each, kept while the signature could
still be accepted (plus a margin for clocks that differ), then pruned, now and then."""

from __future__ import annotations

import pytest
from conftest import every_backend

from agent.ledger import signatures
from agent.ledger.models import UsedSignature
from agent.ledger.signatures import (
    CLOCK_MARGIN_SECONDS,
    PRUNE_EVERY_SECONDS,
    SignatureUsed,
    prune_now_and_then,
    prune_used_signatures,
    spend_signature,
)

NOW = 1_764_230_400.0


@every_backend
def test_a_signature_is_spent_once(ledger):
    with ledger.atomic():
        spend_signature("a" * 64, NOW + 300)
    with pytest.raises(SignatureUsed), ledger.atomic():
        spend_signature("a" * 64, NOW + 300)
    # The refused attempt rolled back alone: the first use is still there.
    assert [u.signature for u in UsedSignature.select()] == ["a" * 64]


@every_backend
def test_only_signatures_past_their_window_and_margin_are_pruned(ledger):
    with ledger.atomic():
        spend_signature("old" + "0" * 61, NOW - 400)  # kept until NOW - 400 + margin
        spend_signature("new" + "0" * 61, NOW)

    assert prune_used_signatures(NOW - 400 + CLOCK_MARGIN_SECONDS - 1) == 0
    assert prune_used_signatures(NOW) == 1
    assert [u.signature for u in UsedSignature.select()] == ["new" + "0" * 61]


def test_pruning_runs_at_most_every_interval_per_process(ledger, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(signatures, "monotonic", lambda: clock[0])
    monkeypatch.setattr(signatures, "_next_prune", 0.0)

    def expired_rows() -> int:
        return UsedSignature.select().where(UsedSignature.expires_at < NOW).count()

    with ledger.atomic():
        spend_signature("1" * 64, NOW - 900)
    prune_now_and_then(now=NOW)
    assert expired_rows() == 0

    with ledger.atomic():
        spend_signature("2" * 64, NOW - 900)
    clock[0] += PRUNE_EVERY_SECONDS - 1
    prune_now_and_then(now=NOW)
    assert expired_rows() == 1  # too soon: left for the next prune

    clock[0] += 1
    prune_now_and_then(now=NOW)
    assert expired_rows() == 0
