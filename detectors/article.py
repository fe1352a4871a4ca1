"""A parsed article as detectors see it: sentences with offsets into the item text.

With gating on, only some windows of the text are parsed (see ``gate.py``);
with it off, one window covers the whole text. Detectors never need to know:
they iterate ``article.sentences`` and build evidence with ``article.evidence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from spacy.tokens import Doc, Span

from .records import Evidence, NewsItem


@dataclass(frozen=True)
class Sentence:
    """One parsed sentence.

    span (Span): the spaCy sentence span.
    start (int): character offset of the sentence in the item text.
    index (int): position among the article's parsed sentences.
    """

    span: Span
    start: int
    index: int

    @property
    def text(self) -> str:
        """The sentence without trailing whitespace (spaCy keeps a trailing newline)."""
        return self.span.text.rstrip()

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Article:
    """An item with its parsed windows.

    item (NewsItem): the item.
    windows (list[tuple[Doc, int]]): parsed Docs and the char offset of each in item.text.
    dateline (str | None): where the story was filed ("WARSAW"; "" for an agency-only
        byline), None without a dateline. The dateline is never parsed, so no detector
        takes its place as a party (see ``language.dateline``). Defaults to None.
    """

    item: NewsItem
    windows: list[tuple[Doc, int]] = field(default_factory=list)
    dateline: str | None = None

    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        for doc, offset in self.windows:
            for span in doc.sents:
                if span.text.strip():
                    out.append(Sentence(span, offset + span.start_char, len(out)))
        return out

    def previous(self, sentence: Sentence) -> Sentence | None:
        """The sentence before, if it was parsed and directly precedes this one."""
        if sentence.index == 0:
            return None
        prev = self.sentences[sentence.index - 1]
        gap = self.item.text[prev.end : sentence.start]
        return prev if not gap.strip() else None

    @cached_property
    def reference_year(self) -> int:
        """The publication year, or this year when the item has no date: the year an
        event must not be before to be news (see ``clauses.is_background``)."""
        published = self.item.published or ""
        if published[:4].isdigit():
            return int(published[:4])
        return datetime.now(UTC).year

    @cached_property
    def reference_date(self) -> date | None:
        """The publication date, or None when the item has no (readable) date."""
        match = re.match(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", self.item.published or "")
        if not match:
            return None
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            return None

    @staticmethod
    def evidence(sentence: Sentence) -> Evidence:
        return Evidence(sentence.text, sentence.start, sentence.end)
