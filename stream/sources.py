"""Reading news items from files: ``.txt``, ``.json``, ``.jsonl`` and folders of them.

Each yielded ``Source`` says where it came from (``file`` or ``file:line``) and
holds either a valid NewsItem or the reason it is not one, so callers can
report bad input by file and line and go on with the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from detectors.records import InvalidItem, NewsItem

from .intake import check_encodable, json_limit_reason

EXTENSIONS = (".txt", ".json", ".jsonl")


@dataclass(frozen=True)
class Source:
    """One item read from a file, or the error that stopped it."""

    origin: str
    item: NewsItem | None = None
    error: str | None = None


def expand(paths: Sequence[str | Path]) -> Iterator[Path | Source]:
    """Files to read, in order: given files as they are, folders sorted recursively."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in EXTENSIONS)
            if not found:
                yield Source(str(path), error=f"no {', '.join(EXTENSIONS)} files in this folder")
            yield from found
        elif path.is_file():
            if path.suffix not in EXTENSIONS:
                yield Source(str(path), error=f"unsupported file type; use {', '.join(EXTENSIONS)}")
            else:
                yield path
        else:
            yield Source(str(path), error="no such file or folder")


def _validate(origin: str, data: object) -> Source:
    """The item in ``data``, checked as the worker checks it (lone surrogates included)."""
    try:
        item = NewsItem.from_dict(data)
        check_encodable(item)
        return Source(origin, item=item)
    except InvalidItem as exc:
        return Source(origin, error=str(exc))


def _load(text: str) -> object:
    """JSON, or InvalidItem with the reason (deep nesting and huge integers included)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidItem(f"not valid JSON: {exc.msg} (column {exc.colno})") from exc
    except (RecursionError, ValueError) as exc:
        raise InvalidItem(json_limit_reason(exc)) from exc


def read_file(path: Path) -> Iterator[Source]:
    """The items in one file, each valid or with its error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        yield Source(str(path), error=f"not valid UTF-8 (byte {exc.start})")
        return
    except OSError as exc:
        yield Source(str(path), error=f"cannot read: {exc.strerror}")
        return
    if path.suffix == ".txt":
        # A text file has no title: its file name is how people know it (alerts show it).
        yield _validate(str(path), {"id": path.stem, "text": text, "source": path.name})
    elif path.suffix == ".jsonl":
        for line_no, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            origin = f"{path}:{line_no}"
            try:
                data = _load(line)
            except InvalidItem as exc:
                yield Source(origin, error=str(exc))
                continue
            yield _validate(origin, data)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Source(f"{path}:{exc.lineno}", error=f"not valid JSON: {exc.msg}")
            return
        except (RecursionError, ValueError) as exc:
            yield Source(str(path), error=json_limit_reason(exc))
            return
        if isinstance(data, list):
            for i, entry in enumerate(data):
                yield _validate(f"{path}[{i}]", entry)
        else:
            yield _validate(str(path), data)


def read_sources(paths: Sequence[str | Path]) -> Iterator[Source]:
    """Every item in the given files and folders, in order, with errors in place."""
    for entry in expand(paths):
        if isinstance(entry, Source):
            yield entry
        else:
            yield from read_file(entry)
