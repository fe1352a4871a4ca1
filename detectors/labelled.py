"""Labelled articles: the cases a detector kind is tested and scored on.

A folder (``tests/articles/``) holds one ``<kind>.jsonl`` per registered
detector kind, one article a line: ``{"id", "text", "expect": [partial
detection, ...], "note"?}``. Each expected entry is a subset of fields that
one detection must match (``matches``); a case judges only the detections
its kind made (``in_scope``, by the ``kind`` label, so ``rules.jsonl``
judges every rule), and an empty ``expect`` is a hard negative. The test
suite and ``bench/score_articles.py`` both read cases from here, so a new
kind's file is picked up by both without an edit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import detector_kinds


@dataclass(frozen=True)
class Case:
    """One labelled article.

    kind (str): the detector kind whose file it is in.
    data (dict): the line as read: ``id``, ``text``, ``expect`` and maybe ``note``.
    """

    kind: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def expect(self) -> list[dict[str, Any]]:
        return list(self.data["expect"])


def load_cases(folder: str | Path) -> list[Case]:
    """Every case of every registered kind that has a file in ``folder``, kinds sorted.

    Raises ValueError for a ``.jsonl`` file named after no registered kind, or
    a line that is not a case, naming the file and line.
    """
    folder = Path(folder)
    kinds = detector_kinds()
    for path in sorted(folder.glob("*.jsonl")):
        if path.stem not in kinds:
            raise ValueError(
                f"{path}: no detector kind is named {path.stem!r}; "
                f"files are named after a kind: {', '.join(sorted(kinds))}"
            )
    cases = []
    for kind in sorted(kinds):
        path = folder / f"{kind}.jsonl"
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            data = json.loads(line)
            if not isinstance(data, dict) or not {"id", "text", "expect"} <= set(data):
                raise ValueError(f"{path}:{number}: expected an object with id, text and expect")
            cases.append(Case(kind, data))
    return cases


def matches(expected: object, actual: object) -> bool:
    """True when every key in ``expected`` has an equal (or recursively matching) value."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and matches(v, actual[k]) for k, v in expected.items()
        )
    return expected == actual


def in_scope(kind: str, detection: Mapping[str, Any]) -> bool:
    """Whether a case of ``kind`` judges this detection (a wire dict): its kind made it."""
    return (detection.get("labels") or {}).get("kind") == kind
