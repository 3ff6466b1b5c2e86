"""Batch calls (`POST …/batch`): split at 100 items, per-item errors gathered.

WooCommerce takes at most 100 items per call (create + update + delete together; more is
a 413) and answers 200 even when some items were refused, each refusal sitting inside
the answer as `{"id": N, "error": {"code", "message", "data": {"status"}}}`. Here large
batches are split, every answer is read item by item, and refusals come back as a
`WooBatchError` holding the whole `BatchResult`, so none is lost inside a 200.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from agent.redaction import scrub
from agent.woo.errors import BatchItemError, BatchResult, WooBadResponse, WooBatchError

BATCH_LIMIT = 100  # items per call, create + update + delete together

PostJson = Callable[[str, Any], dict[str, Any]]


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def run_batch(
    post: PostJson,
    path: str,
    create: Sequence[dict[str, Any]],
    update: Sequence[dict[str, Any]],
    delete: Sequence[int],
) -> BatchResult:
    """Send the items in calls of at most 100; raise `WooBatchError` if any was refused.

    Items are validated before the first call. A call that fails as a whole raises its
    `WooError`; the calls before it stay applied.
    """
    for index, item in enumerate(update):
        if not isinstance(item, dict) or not _is_id(item.get("id")):
            raise ValueError(f"update[{index}]: each update needs a positive 'id'")
    for index, item in enumerate(create):
        if not isinstance(item, dict):
            raise TypeError(f"create[{index}]: each item must be a dict")
    for index, item_id in enumerate(delete):
        if not _is_id(item_id):
            raise ValueError(f"delete[{index}]: expected a positive id")
    work: list[tuple[str, int, Any]] = [
        *(("create", i, item) for i, item in enumerate(create)),
        *(("update", i, item) for i, item in enumerate(update)),
        *(("delete", i, item) for i, item in enumerate(delete)),
    ]
    result = BatchResult()
    for start in range(0, len(work), BATCH_LIMIT):
        _send_chunk(post, path, work[start : start + BATCH_LIMIT], result)
    if result.errors:
        raise WooBatchError(result)
    return result


def _send_chunk(
    post: PostJson, path: str, chunk: list[tuple[str, int, Any]], result: BatchResult
) -> None:
    body: dict[str, list[Any]] = {}
    for operation, _, item in chunk:
        body.setdefault(operation, []).append(item)
    answer = post(path, body)
    accepted = {
        "create": result.created,
        "update": result.updated,
        "delete": result.deleted,
    }
    for operation, sent in body.items():
        got = answer.get(operation)
        if not isinstance(got, list) or len(got) != len(sent):
            raise WooBadResponse(
                200,
                "invalid_batch_answer",
                f"{path}: sent {len(sent)} {operation} item(s), the answer "
                f"does not list as many",
            )
        positions = [i for op, i, _ in chunk if op == operation]
        for index, item, entry in zip(positions, sent, got, strict=True):
            error = entry.get("error") if isinstance(entry, dict) else None
            if not isinstance(error, dict):
                accepted[operation].append(entry)
                continue
            data = error.get("data")
            status = data.get("status") if isinstance(data, dict) else None
            result.errors.append(
                BatchItemError(
                    operation=operation,
                    index=index,
                    id=int(entry.get("id") or 0),
                    code=str(error.get("code", "unknown")),
                    message=scrub(str(error.get("message", ""))),
                    status=status if isinstance(status, int) else 400,
                    item=item,
                )
            )
