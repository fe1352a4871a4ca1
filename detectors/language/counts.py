"""Counts written on a noun in the parse: "500 drones", "hundreds of drones", "500-drone".

The numbers themselves are read by the numbers layer (``detectors.language.quantities``);
these helpers find the count that belongs to one token of a parsed sentence and
give it with offsets into the parsed text.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from .clauses import lemma_of
from .quantities import Quantity, find_quantities, parse_quantity

# Nouns that are numbers: "hundreds of drones", "a dozen missiles".
NUMBER_NOUNS = frozenset({"dozen", "hundred", "thousand", "million", "score", "couple", "ten"})


def is_number(token: Token) -> bool:
    """True for a number word: "500", "five", "hundreds", "a dozen"."""
    return token.like_num or token.tag_ == "CD" or lemma_of(token) in NUMBER_NOUNS


def count_at(
    token: Token, *, inclusive: bool, numbers: list[Token] | None = None
) -> Quantity | None:
    """The count written before ``token`` (or ending with it when ``inclusive``).

    token (Token): the counted noun, or the number word itself when ``inclusive``.
    inclusive (bool): the count ends with ``token`` ("hundreds" in "hundreds of").
    numbers (list[Token] | None): when not ``inclusive``, the children of ``token``
        that must carry the count. Defaults to None: its nummod and quantmod children.
    RETURNS (Quantity | None): offsets are into the parsed text.
    """
    doc = token.doc
    start = token.left_edge.i
    if start > 0 and doc[start - 1].lower_ == "between":
        start -= 1  # "between 300 and 400 drones": the parser hangs "between" on the verb
    if start >= token.i and not inclusive:
        return None
    span = doc[start : token.i + 1]  # with the token itself: "500-drone" needs its "-drone"
    text = span.text
    if inclusive and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
        text = doc[start : token.i + 2].text  # "scores of"
    token_start = token.idx - span.start_char
    token_end = token_start + len(token.text)
    found = [q for q in find_quantities(text) if inclusive or q.end <= token_start]
    if not found:
        return None
    q = found[-1]
    if inclusive:
        if q.end < token_end:
            return None  # the count must end at the token itself, not earlier in its subtree
    else:
        if numbers is None:
            numbers = [c for c in token.children if c.dep_ in ("nummod", "quantmod")]
        if not numbers:
            return None
        offsets = {c.idx - span.start_char for n in numbers for c in n.subtree}
        if not any(q.start <= o < q.end for o in offsets):
            return None
    base = span.start_char  # offsets into the parsed text
    return replace(q, start=base + q.start, end=base + q.end)


def own_count(token: Token) -> Quantity | None:
    """The count a munition noun carries itself: "roughly 500 drones", "500-drone"."""
    if not any(c.dep_ in ("nummod", "quantmod") for c in token.children):
        return None
    return count_at(token, inclusive=False)


def noun_count(token: Token) -> Quantity | None:
    """The count of a noun, its own or the number it is "of": "3,000 troops", "5k
    troops", "thousands of troops", "tens of thousands of troops", "2,000 of the troops".

    token (Token): the counted noun.
    RETURNS (Quantity | None): offsets are into the parsed text.
    """
    own = own_count(token)
    if own is not None:
        return own
    # spaCy hangs a glued scale on the noun as a compound or a modifier: "5k troops".
    # Only a word that is a count by itself carries one ("20-year agreement" does not).
    glued = [
        c
        for c in token.children
        if c.dep_ in ("compound", "amod") and c.i < token.i and parse_quantity(c.text)
    ]
    if glued:
        return count_at(token, inclusive=False, numbers=glued)
    head = token.head
    if token.dep_ == "pobj" and lemma_of(head) == "of" and is_number(head.head):
        return count_at(head.head, inclusive=True)
    return None
