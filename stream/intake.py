"""Plain functions the detect agent calls: decode an item, shape its result records.

Nothing here touches Kafka or Faust, so unit tests call it directly.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from detectors.records import InvalidItem, NewsItem

if TYPE_CHECKING:  # replay reads sources through here without loading spaCy
    from detectors.pipeline import Outcome

PREVIEW_CHARS = 200
# Original bytes kept in a dead letter; a longer value is cut, with its size and sha256,
# so the dead letter (base64 is 4/3 of this) stays far below Kafka's 1 MB message limit.
DEADLETTER_KEEP_BYTES = 64 * 1024
# Characters of a reason kept (an exception message can quote the whole input).
REASON_CHARS = 1000


def decode_item(raw: bytes | None, max_bytes: int) -> NewsItem:
    """The NewsItem in a message value, or InvalidItem with the reason.

    Any input ends here as an item or InvalidItem: the JSON decoder's own limits
    (nesting deeper than the recursion limit, integers over Python's digit limit)
    and lone surrogates, which cannot be encoded back to UTF-8, are reasons too.
    """
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
    data = parse_json(text)
    item = NewsItem.from_dict(data)
    check_encodable(item)
    return item


def parse_json(text: str) -> Any:
    """``json.loads`` that raises InvalidItem (with the reason) for anything it cannot read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidItem(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except (RecursionError, ValueError) as exc:
        raise InvalidItem(json_limit_reason(exc)) from exc


def json_limit_reason(exc: RecursionError | ValueError) -> str:
    """Why valid-looking JSON could not be read: too deep, or an integer too long."""
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply to read"
    if "digits" in str(exc):  # "Exceeds the limit (4300 digits) for integer string ..."
        limit = sys.get_int_max_str_digits()
        return f"JSON value cannot be read: an integer of over {limit} digits"
    return f"JSON value cannot be read: {clip(str(exc), 200)}"


def check_encodable(item: NewsItem) -> None:
    """Raise InvalidItem when a field holds text that has no UTF-8 form (a lone surrogate).

    JSON's \\ud800 escapes decode to such strings; they would fail later, when the
    id is written as a Kafka key or the result as JSON, so they are refused here.
    """
    for key, value in item.to_dict().items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidItem(
                f"field '{key}' has a character with no UTF-8 form "
                f"(a lone surrogate at {exc.start})"
            ) from exc


def clip(text: str, limit: int = REASON_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def deadletter_record(
    reason: str,
    raw: bytes | Any,
    *,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
    key: bytes | None = None,
    keep_bytes: int = DEADLETTER_KEEP_BYTES,
) -> dict[str, Any]:
    """What goes to ``news.deadletter``: the reason, where it came from, the original bytes.

    raw (bytes | Any): the message value; a decoded value (a routing record) is
        stored as its JSON.
    keep_bytes (int): original bytes kept; beyond it the value is cut and the record
        says so (``value_cut``, ``value_size``, ``value_sha256`` of the whole value).
    """
    if raw is None:
        raw = b""
    elif not isinstance(raw, bytes):
        raw = json.dumps(raw, ensure_ascii=False, default=str).encode("utf-8", "replace")
    kept = raw[:keep_bytes]
    record: dict[str, Any] = {
        "reason": clip(safe_text(reason)),
        "source": {
            "topic": topic,
            "partition": partition,
            "offset": offset,
            "key": clip(key.decode("utf-8", "replace"), 500) if key is not None else None,
        },
        "value_base64": base64.b64encode(kept).decode("ascii"),
        "value_preview": kept[:PREVIEW_CHARS].decode("utf-8", "replace"),
        "value_size": len(raw),
        "value_cut": len(kept) < len(raw),
        "failed_at": time.time(),
    }
    if record["value_cut"]:
        record["value_sha256"] = hashlib.sha256(raw).hexdigest()
    return record


def safe_text(text: str) -> str:
    """``text`` with characters that have no UTF-8 form replaced, so it can be sent."""
    return text.encode("utf-8", "replace").decode("utf-8")


def result_record(outcome: Outcome) -> dict[str, Any]:
    """What goes to ``news.detections`` for an item that was processed."""
    meta = outcome.item.to_dict()
    meta.pop("text", None)
    record: dict[str, Any] = {
        "id": outcome.item.id,
        "item": meta,
        "detections": [d.to_dict() for d in outcome.detections],
    }
    if outcome.notes:
        record["notes"] = list(outcome.notes)
    return record
