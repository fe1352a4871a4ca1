"""Small helpers for writing summaries."""

from __future__ import annotations


def join_names(names: list[str]) -> str:
    """Names or phrases as one English list: "a", "a and b", "a, b and c" (no Oxford comma).

    names (list[str]): the items, in order.
    RETURNS (str): "" for no items.
    """
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def plural(word: str, n: int) -> str:
    """``word`` for one, ``word + "s"`` otherwise ("1 drone", "2 drones")."""
    return word if n == 1 else word + "s"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with "…" when longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
