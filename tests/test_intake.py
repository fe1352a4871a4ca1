"""Decoding items and shaping dead letters: every input ends as an item or a reason."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from detectors.records import InvalidItem
from stream.intake import DEADLETTER_KEEP_BYTES, deadletter_record, decode_item

LIMIT = 4 * 1024 * 1024


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"id":"d","text":"x","e":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested"),
        (b'{"id":"h","text":"x","n":' + b"9" * 100_000 + b"}", "cannot be read"),
        (b'{"id":"a\\ud800","text":"abc"}', "field 'id' has a character with no UTF-8 form"),
        (b'{"id":"a","text":"abc \\udfff"}', "field 'text' has a character with no UTF-8 form"),
        (b"\xff" * 900_000, "not valid UTF-8"),
        (b"[1, 2, 3]", "expected a JSON object, got list"),
        (b'{"id": {"x": 1}, "text": "t"}', "field 'id' must be a non-empty string"),
        (b'{"id": "x", "text": 12}', "field 'text' must be a string"),
        (b"NaN", "expected a JSON object"),
    ],
)
def test_hostile_values_are_refused_with_a_reason(raw, reason):
    with pytest.raises(InvalidItem) as caught:
        decode_item(raw, LIMIT)
    assert reason in str(caught.value)


def test_a_valid_item_with_unicode_decodes():
    item = decode_item(json.dumps({"id": "ü-1", "text": "Kyiv — Київ"}).encode(), LIMIT)
    assert (item.id, item.text) == ("ü-1", "Kyiv — Київ")


def test_a_dead_letter_keeps_small_values_whole():
    record = deadletter_record("bad", b"tiny value", key=b"k")
    assert base64.b64decode(record["value_base64"]) == b"tiny value"
    assert record["value_cut"] is False and record["value_size"] == 10
    assert "value_sha256" not in record


def test_a_dead_letter_of_a_huge_value_is_cut_with_size_and_hash():
    raw = b"word " * 300_000  # 1.5 MB: whole, its dead letter could never be sent
    record = deadletter_record("x" * 50_000, raw, key=b"\xff" * 10_000)
    encoded = json.dumps(record).encode()
    assert len(encoded) < 100_000
    assert base64.b64decode(record["value_base64"]) == raw[:DEADLETTER_KEEP_BYTES]
    assert record["value_cut"] is True
    assert record["value_size"] == len(raw)
    assert record["value_sha256"] == hashlib.sha256(raw).hexdigest()
    assert len(record["reason"]) < 1100 and "(50000 characters)" in record["reason"]


def test_a_reason_with_a_lone_surrogate_can_still_be_sent():
    record = deadletter_record("bad id 'a\ud800'", b"{}")
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # would raise on a surrogate
