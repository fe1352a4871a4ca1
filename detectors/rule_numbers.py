"""A small number reader for rules: "3,000 troops", "thousands of soldiers".

Reads digits ("3,000", "1.5k"), number words ("two thousand five hundred")
and vague plurals as their lower bound ("thousands" = 2,000, "tens of
thousands" = 20,000), and finds the number attached to a noun in the parse.
Used by ``number`` conditions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span, Token

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague plurals, read as their lower bound ("thousands" = at least 2,000).
_VAGUE = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
          "millions": 1_000_000, "billions": 1_000_000_000}  # fmt: skip
_DIGITS = re.compile(r"^(\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+)(k|m|bn)?$")
_SUFFIX = {None: 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}


def read_number(words: Iterable[str]) -> int | None:
    """The first number in a run of words, or None.

    words (Iterable[str]): tokens such as ["more", "than", "10,000"]. Words before
        the number are skipped; the number ends at the first word that is not
        part of it, so a range "2,000 to 3,000" reads as its lower end.
    """
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        word = raw.lower().strip()
        parts = [word] if _DIGITS.match(word) else [p for p in word.split("-") if p]
        for part in parts:
            match = _DIGITS.match(part)
            if seen and part in ("and", "of", "-"):
                continue
            if match:
                if seen:
                    return _finish(total, current)
                current = float(match.group(1).replace(",", "")) * _SUFFIX[match.group(2)]
            elif part in _UNITS:
                unit = _UNITS[part]
                # "twenty five", "hundred twenty" add up; "ten twenty" is two numbers.
                if seen and not (current % 100 == 0 or (current % 10 == 0 and unit < 10)):
                    return _finish(total, current)
                current += unit
            elif part in _SCALES:
                current = (current if seen and current else 1) * _SCALES[part]
                if _SCALES[part] >= 1_000:
                    total, current = total + current, 0.0
            elif part == "dozen":
                current = (current if seen and current else 1) * 12
            elif part in _VAGUE:
                # "thousands" is at least 2,000; "tens of thousands" at least 20,000.
                base = (total + current) if seen else 2
                total, current = 0.0, base * _VAGUE[part]
            elif seen:
                return _finish(total, current)
            else:
                continue
            seen = True
    return _finish(total, current) if seen else None


def _finish(total: float, current: float) -> int:
    return int(round(total + current))


def _number_like(token: Token) -> bool:
    lower = token.lower_
    return token.like_num or lower in _VAGUE or lower in ("dozen", "dozens")


def count_of(token: Token) -> tuple[int, Span] | None:
    """The number attached to a noun token and the span that says it, or None.

    Reads "3,000 troops" (nummod), "1.5 thousand soldiers", and "thousands of
    troops" / "tens of thousands of troops" (the noun under "of").
    """
    doc = token.doc
    words = [c for c in token.children if c.dep_ == "nummod" and c.i < token.i]
    words += [
        c
        for c in token.children
        if c.dep_ in ("quantmod", "compound", "amod") and c.i < token.i and _number_like(c)
    ]
    if words:
        first = min(t.left_edge.i for t in words)
        value = read_number(t.text for t in doc[first : token.i])
        if value is not None:
            return value, doc[first : token.i + 1]
    # "thousands of troops": troops <-pobj- of <-prep- thousands
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and _number_like(head.head):
        top = head.head
        first = top.left_edge.i
        value = read_number(t.text for t in doc[first : head.i])
        if value is not None:
            return value, doc[first : token.i + 1]
    return None
