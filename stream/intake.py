"""Plain functions the detect agent calls: decode an item, shape its result records.

Nothing here touches Kafka or Faust, so unit tests call it directly.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from detectors.pipeline import Outcome
from detectors.records import InvalidItem, NewsItem

PREVIEW_CHARS = 200


def decode_item(raw: bytes | None, max_bytes: int) -> NewsItem:
    """The NewsItem in a message value, or InvalidItem with the reason."""
    if raw is None:
        raise InvalidItem("empty message (no value)")
    if len(raw) > max_bytes:
        raise InvalidItem(
            f"item is {len(raw)} bytes, over the limit of {max_bytes} (worker.max_item_bytes)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidItem(f"not valid UTF-8 (byte {exc.start})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidItem(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    return NewsItem.from_dict(data)


def deadletter_record(
    reason: str,
    raw: bytes | Any,
    *,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
    key: bytes | None = None,
) -> dict[str, Any]:
    """What goes to ``news.deadletter``: the reason, where it came from, the original bytes.

    raw (bytes | Any): the message value; a decoded value (a routing record) is
        stored as its JSON.
    """
    if raw is None:
        raw = b""
    elif not isinstance(raw, bytes):
        raw = json.dumps(raw, ensure_ascii=False).encode("utf-8")
    return {
        "reason": reason,
        "source": {
            "topic": topic,
            "partition": partition,
            "offset": offset,
            "key": key.decode("utf-8", "replace") if key is not None else None,
        },
        "value_base64": base64.b64encode(raw).decode("ascii"),
        "value_preview": raw[:PREVIEW_CHARS].decode("utf-8", "replace"),
        "failed_at": time.time(),
    }


def result_record(outcome: Outcome) -> dict[str, Any]:
    """What goes to ``news.detections`` for an item that was processed."""
    meta = outcome.item.to_dict()
    meta.pop("text", None)
    return {
        "id": outcome.item.id,
        "item": meta,
        "detections": [d.to_dict() for d in outcome.detections],
    }
