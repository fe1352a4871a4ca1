"""The measures of a sanctions decision and its package number, read from its words.

Measures are named in a few fixed ways ("an asset freeze", "froze the assets",
"travel bans", "banned from entering", "export controls", "added to its trade
blacklist", "a price cap", "an arms embargo"); each way maps to one measure name.
They are read with regular expressions over the sentence text, and over the
next sentence when it goes on about the same decision ("The officials are also
banned from travelling to the bloc"), which the parse need not cover.
"""

from __future__ import annotations

import re

#: Measure names, each with the phrases that name it.
MEASURES: dict[str, tuple[str, ...]] = {
    "asset freeze": (
        r"asset[s]? freezes?",
        r"(?:froze|freezes?|freezing|frozen)(?: the| any| all)?(?: [\w.-]+)? assets",
        r"assets? (?:were |are |will be )?frozen",
    ),
    "travel ban": (
        r"travel bans?",
        r"entry bans?",
        r"visa bans?",
        r"ban(?:ned|s)? (?:them )?from (?:entering|travelling|traveling)",
        r"banned from entering",
    ),
    "export controls": (
        r"export controls?",
        r"export bans?",
        r"export restrictions?",
        r"(?:trade )?blacklist",
        r"entity list",
    ),
    "import ban": (r"import bans?", r"ban(?:s)? on (?:the )?imports?", r"imports? ban"),
    "price cap": (r"price caps?",),
    "arms embargo": (r"arms embargo(?:es)?",),
    "financial": (
        r"financial sanctions",
        r"transaction bans?",
        r"banking restrictions?",
        r"cut off from swift",
        r"swift ban",
    ),
}
_PATTERNS = {
    name: re.compile(r"\b(?:" + "|".join(forms) + r")\b", re.IGNORECASE)
    for name, forms in MEASURES.items()
}

#: Ordinal words a package may be numbered with.
ORDINALS = {
    word: i
    for i, word in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth
        twentieth""".split(),
        start=1,
    )
}
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)


def measures_in(text: str) -> list[str]:
    """Measure names the text names, sorted."""
    return sorted(name for name, pattern in _PATTERNS.items() if pattern.search(text))


def ordinal(word: str) -> int | None:
    """14 for "14th" or "fourteenth"; None for anything else."""
    match = _ORDINAL.match(word)
    if match:
        return int(match.group(1))
    return ORDINALS.get(word.lower())
