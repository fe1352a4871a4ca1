"""Numbers as people write them in the news: "1,200", "2.5 million", "1.5k", "twenty-four",
"two dozen", "dozens of", "a total of 524", "roughly 500", "at least four", "2,000 to 3,000".

``find_quantities(text)`` finds every count in a text, ``parse_quantity(text)``
reads a string that is one count, and ``format_quantity(q)`` writes one back
for a human summary ("~500", "24", "at least 4", "500+").

Decisions worth knowing:

- Hedges are kept, lower-cased, as written ("roughly", "at least", "more than",
  ...; "or more" and "or so" after the number too). ``approximate`` is True for
  hedges that mean "about" ("roughly", "around", "nearly", ...) and for vague
  plurals; bounds ("at least", "more than", "up to") are not approximate: they
  keep their value exact and say which side it bounds.
- Vague plurals get the smallest count they can mean, so a threshold is never
  crossed on a guess: "dozens of" = 24, "scores of" = 40, "hundreds of" = 200,
  "thousands of" = 2,000, "tens of thousands" = 20,000, "hundreds of
  thousands" = 200,000, "millions" = 2,000,000. "several"/"a few" count 3 and
  "a couple of" 2, so "several hundred" = 300 and "a few dozen" = 36. "scores"
  and "a couple" count only with "of" (sports scores, married couples).
- Ranges read as their lower end, for the same reason, and keep their upper
  end in ``upper``: "2,000 to 3,000", "2,000-3,000", "two or three", "between
  2,000 and 3,000"; a bare lower end takes the scale of the upper one ("two to
  three thousand" = 2,000). The upper end must be the larger; "from 10 to 20"
  and "by 10 to 20" are changes, not ranges; a dash between two years
  ("2022-2024") is not a range either.
- A k, m or bn glued to digits is a scale: "5k" = 5,000, "1.5m" = 1,500,000,
  "2bn" = 2,000,000,000.
- Digit groups may be separated by commas or by no-break/thin spaces
  ("1,200", "1\u00a0200"). A plain space is not a separator: "in 2024 500
  drones" is two numbers, not 2,024,500.
- Not counts, so skipped: decimals without a scale word ("2.5 km"), money
  ("$500"), percentages ("50%"), numbers glued to a word on their left
  ("Shahed-136", "Kh-101") or to letters on their right ("1990s", "5km").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

# Hedges before a number, with how a summary writes them (see ``format_quantity``).
_HEDGES: dict[str, str] = {
    "roughly": "~",
    "about": "~",
    "around": "~",
    "some": "~",
    "approximately": "~",
    "an estimated": "~",
    "estimated": "~",
    "circa": "~",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "a minimum of": "at least",
    "more than": "+",
    "over": "+",
    "well over": "+",
    "just over": "+",
    "upwards of": "+",
    "in excess of": "+",
    "above": "+",
    "up to": "up to",
    "as many as": "up to",
    "at most": "up to",
    "no more than": "up to",
    "a maximum of": "up to",
    "fewer than": "under",
    "less than": "under",
    "under": "under",
    "below": "under",
}
# Hedges after a number.
_SUFFIX_HEDGES: dict[str, str] = {"or more": "+", "or so": "~"}
# Styles whose value is a guess rather than a bound.
_APPROXIMATE_STYLES = frozenset({"~", "nearly"})
# A marker that introduces an exact count; kept in the text, not a hedge.
_MARKERS = ("a total of",)

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_BIG_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Scale words, for "two to three thousand" (the lower end takes the upper end's scale).
_SCALE_WORDS = {"dozen": 12, "hundred": 100, **_BIG_SCALES}
# Scales glued to digits: "5k", "1.5m", "2bn".
_SUFFIX_SCALES = {"k": 10**3, "m": 10**6, "bn": 10**9}
# Vague plurals and the smallest count each can mean ("dozens" = two dozen).
_VAGUE_PLURALS = {
    "dozens": 24,
    "scores": 40,
    "tens": 20,
    "hundreds": 200,
    "thousands": 2_000,
    "millions": 2_000_000,
    "billions": 2_000_000_000,
}
# Vague multipliers: "several hundred" = 300, "a few dozen" = 36.
_VAGUE_MULTIPLIERS = {("several",): 3, ("a", "few"): 3, ("a", "couple"): 2}
_VAGUE_WORDS = frozenset({"dozens", "scores", "hundreds", "thousands", "millions", "billions"})
_VAGUE_WORDS |= {"tens", "several", "few", "couple"}

# Digits (groups of three after the first may be split by , or a no-break/thin space)
# with an optional glued scale ("5k"), or a word (letters, possibly hyphen-joined as in
# "twenty-four").
_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)"
    r"(?:(?P<scale>(?i:bn|k|m))(?![^\W_]))?"
    r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
)
_SEPARATORS = re.compile(r"[,\u00a0\u202f\u2009]")
# Dashes between the two ends of a range: "2,000-3,000", "10–15".
_RANGE_DASHES = ("-", "\u2013")
# Words between the two ends of a range ("between" ... "and" is read apart).
_RANGE_WORDS = ("to", "or")
# Words before a number that make "X to Y" a change, not a range: "rose from 10 to 20".
_CHANGE_WORDS = ("from", "by")
# Four digits read as a year (1800-2099): "in 1944"; "2022-2024" is not a range.
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_YEARS = re.compile(rf"\b{_YEAR.pattern}\b")
_NOT_BEFORE_NUMBER = frozenset("-.,:/$£€¥#+")
# Words a number written in words is made of; reading stops at the first other word.
_NUMBER_PARTS = frozenset({*_UNITS, *_TEENS, *_TENS, *_SCALE_WORDS, "and", "a", "an", "half"})
# Bounds that keep reading linear in the text: hyphen-joined parts split from one token
# ("twenty-four" has 2), words read for one number ("one hundred and twenty-three million
# four hundred and fifty-six thousand ..." has under 20), digits in one count (more are
# an identifier or a table, not a count, and Python refuses to read over 4,300).
_MAX_PARTS = 8
_MAX_NUMBER_WORDS = 40
_MAX_DIGITS = 30
_NOT_AFTER_NUMBER = frozenset("%:/")


@dataclass(frozen=True)
class Quantity:
    """A count as written in a text.

    value (int): the count; for a vague plural the smallest it can mean.
    hedge (str | None): the hedge as written, lower-cased ("roughly", "at least", "or more").
    approximate (bool): True for "about"-like hedges and vague plurals.
    text (str): the words of the expression as they appear in the text.
    start (int): character offset of ``text`` in the text searched.
    end (int): character offset just after ``text``.
    upper (int | None): the upper end of a range ("2,000 to 3,000"), whose ``value`` is
        the lower end; None for a single count. Defaults to None.
    """

    value: int
    hedge: str | None
    approximate: bool
    text: str
    start: int
    end: int
    upper: int | None = None

    @property
    def vague(self) -> bool:
        """True for "dozens of", "several hundred" and the like."""
        words = re.findall(r"[a-z]+", self.text.lower())
        return any(w in _VAGUE_WORDS for w in words)


@dataclass(frozen=True)
class _Token:
    text: str  # lower-cased; for digits without their glued scale
    start: int
    end: int
    is_number: bool
    scale: int = 1  # a glued scale: 1,000 for "5k"


def _glued(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether digits at text[start:end] are glued to something on their left and right."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    glued_left = before.isalnum() or before in _NOT_BEFORE_NUMBER
    glued_right = after.isalnum() or after in _NOT_AFTER_NUMBER
    if after == "-" and not after2.isalpha():  # "2-1", "2024-05-01"
        glued_right = True
    return glued_left, glued_right


def _too_long(match: re.Match[str]) -> bool:
    """Whether a digit match has too many digits to be a count."""
    return len(match.group("num")) > _MAX_DIGITS


def _digits_value(match: re.Match[str]) -> Fraction:
    scale = _SUFFIX_SCALES[match.group("scale").lower()] if match.group("scale") else 1
    return Fraction(_SEPARATORS.sub("", match.group("num"))) * scale


def _dash_ranges(text: str, matches: list[re.Match[str]]) -> set[int]:
    """Indexes of digit matches that are the lower end of a dashed range ("2,000-3,000")."""
    out = set()
    for k in range(len(matches) - 1):
        low, high = matches[k], matches[k + 1]
        if not low.group("num") or not high.group("num"):
            continue
        if _too_long(low) or _too_long(high):
            continue
        if text[low.end() : high.start()] not in _RANGE_DASHES:
            continue
        if _glued(text, *low.span())[0] or _glued(text, *high.span())[1]:
            continue
        if is_year(low.group()):
            continue  # "2022-2024"
        if 0 < _digits_value(low) < _digits_value(high):  # not a score ("2-1", "0-1")
            out.add(k)
    return out


def _tokens(text: str) -> list[_Token]:
    out = []
    matches = list(_TOKEN.finditer(text))
    ranges = _dash_ranges(text, matches)
    for k, match in enumerate(matches):
        start, end = match.span()
        if match.group("num"):
            glued_left, glued_right = _glued(text, start, end)
            if k in ranges:
                glued_right = False  # only by the range's dash
            if k - 1 in ranges:
                glued_left = False
            if glued_left or glued_right or _too_long(match):
                out.append(_Token("\x00", start, end, False))  # a barrier, never a number
                continue
            scale = match.group("scale")
            factor = _SUFFIX_SCALES[scale.lower()] if scale else 1
            out.append(_Token(match.group("num"), start, end, True, factor))
        else:
            out.append(_Token(match.group().lower(), start, end, False))
    return out


def _joined(text: str, tokens: list[_Token], i: int) -> bool:
    """True when token i directly follows token i-1 with only whitespace between."""
    gap = text[tokens[i - 1].end : tokens[i].start]
    return bool(gap) and gap.isspace()


def _phrase_at(
    text: str, tokens: list[_Token], i: int, phrases: dict[str, str] | tuple[str, ...]
) -> tuple[str, int] | None:
    """The longest phrase of ``phrases`` starting at token i, and the index after it."""
    best: tuple[str, int] | None = None
    for phrase in phrases:
        words = phrase.split()
        j = i + len(words)
        if j > len(tokens) or [t.text for t in tokens[i:j]] != words:
            continue
        if any(not _joined(text, tokens, k) for k in range(i + 1, j)):
            continue
        if best is None or j > best[1]:
            best = (phrase, j)
    return best


def _number_words(tokens: list[_Token], i: int) -> list[tuple[str, int]]:
    """Split hyphen-joined words ("twenty-four") into (word, token index) pairs.

    Only as far as a number can reach, so the work is bounded by the number, not by
    the text after it: reading stops after the first token that is not all number
    words or after ``_MAX_NUMBER_WORDS`` words, and a token is split into at most
    ``_MAX_PARTS`` parts plus its unsplit rest (which is then no number word, so such
    a token is never read whole).
    """
    out: list[tuple[str, int]] = []
    for k in range(i, len(tokens)):
        tok = tokens[k]
        if tok.is_number or tok.text == "\x00" or len(out) >= _MAX_NUMBER_WORDS:
            break
        parts = tok.text.split("-", _MAX_PARTS)
        out.extend((part, k) for part in parts)
        if any(part not in _NUMBER_PARTS for part in parts):
            break
    return out


def _parse_exact(text: str, tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """An exact count starting at token i: (value, index after its last token)."""
    if i >= len(tokens) or tokens[i].text == "\x00":
        return None
    total, current = Fraction(0), Fraction(0)
    last: str | None = None  # kind of the last element read
    last_big: int | None = None  # big scales must decrease: "two million three thousand"
    end = i  # index after the last token read whole
    words: list[tuple[str, int]] = []
    if tokens[i].is_number:
        current = Fraction(_SEPARATORS.sub("", tokens[i].text)) * tokens[i].scale
        last, end = "digits" if tokens[i].scale == 1 else "scaled", i + 1
        if last == "digits" and end < len(tokens) and _joined(text, tokens, end):
            words = _number_words(tokens, end)  # nothing follows "5k"
    else:
        words = _number_words(tokens, i)
    # State when the current token began: a hyphen-joined token is read whole or not at all.
    saved = (total, current, last, last_big, end)
    w = 0
    while w < len(words):
        word, ti = words[w]
        first_part = w == 0 or words[w - 1][1] != ti
        if first_part:
            if ti > i and not _joined(text, tokens, ti):
                break
            saved = (total, current, last, last_big, end)
        nxt = words[w + 1] if w + 1 < len(words) else None
        if word in ("a", "an") and last is None:
            if not nxt or nxt[0] not in ("hundred", "dozen", *_BIG_SCALES):
                break
            current, last = Fraction(1), "a"
        elif word == "half" and last is None:
            after = words[w + 2][0] if w + 2 < len(words) else None
            if not nxt or nxt[0] != "a" or after not in ("dozen", *_BIG_SCALES):
                break
            current, last = Fraction(1, 2), "a"
            w += 1  # skip the "a"
        elif word in _UNITS:
            if word == "zero" and last is not None:
                break
            after_ten = last == "ten" and current % 10 == 0
            if last not in (None, "hundred", "big", "and") and not after_ten:
                break
            current += _UNITS[word]
            last = "unit"
        elif word in _TEENS or word in _TENS:
            if last not in (None, "hundred", "big", "and"):
                break
            current += _TEENS.get(word) or _TENS[word]
            last = "teen" if word in _TEENS else "ten"
        elif word == "hundred":
            if last not in ("unit", "teen", "ten", "a", "digits") or current >= 100:
                break
            current *= 100
            last = "hundred"
        elif word in _BIG_SCALES:
            scale = _BIG_SCALES[word]
            if last not in ("unit", "teen", "ten", "a", "digits", "hundred"):
                break
            if last_big is not None and scale >= last_big:
                break
            total, current, last, last_big = total + current * scale, Fraction(0), "big", scale
        elif word == "dozen":
            if last not in ("unit", "teen", "ten", "a", "digits"):
                break
            current *= 12
            last = "dozen"
        elif word == "and":
            follows = nxt[0] if nxt else None
            if last not in ("hundred", "big") or follows in (None, "zero"):
                break
            if follows not in _UNITS and follows not in _TEENS and follows not in _TENS:
                break
            last = "and"
        else:
            break
        w += 1
        if w == len(words) or words[w][1] != ti:
            end = ti + 1  # the token was read whole
            saved = (total, current, last, last_big, end)
        if last == "dozen":
            break  # nothing follows "two dozen"
    total, current, last, last_big, end = saved
    if last in (None, "a", "and"):
        return None
    value = total + current
    if value.denominator != 1:
        if last == "digits":
            return None  # "2.5" alone is a measurement, not a count
        value = Fraction(round(value))
    return int(value), end


def _parse_vague(text: str, tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """A vague count at token i ("dozens of", "several hundred"): (value, index after)."""
    mult = _phrase_at(text, tokens, i, tuple(" ".join(k) for k in _VAGUE_MULTIPLIERS))
    if mult:
        factor = _VAGUE_MULTIPLIERS[tuple(mult[0].split())]
        j = mult[1]
        nxt = tokens[j].text if j < len(tokens) and _joined(text, tokens, j) else None
        if nxt == "of" and mult[0] == "a couple":
            j += 1
            nxt = tokens[j].text if j < len(tokens) and _joined(text, tokens, j) else None
        if nxt in ("hundred", "dozen", *_BIG_SCALES):
            scale = 12 if nxt == "dozen" else 100 if nxt == "hundred" else _BIG_SCALES[nxt]
            return factor * scale, j + 1
        if mult[0] == "a couple" and j == mult[1]:
            return None  # "a couple" alone is two people, not a count
        if mult[0] == "several":
            return factor, mult[1]
        return factor, j  # "a few", "a couple of"
    word = tokens[i].text
    if word not in _VAGUE_PLURALS:
        return None
    value, j = _VAGUE_PLURALS[word], i + 1
    # "tens of thousands", "hundreds of thousands of"
    while j + 1 < len(tokens) and tokens[j].text == "of" and _joined(text, tokens, j):
        if not _joined(text, tokens, j + 1):
            break
        following = tokens[j + 1].text
        if following in ("thousands", "millions", "billions"):
            scale = _BIG_SCALES[following[:-1]]
            value, j = value * scale, j + 2
        else:
            break
    has_of = j < len(tokens) and tokens[j].text == "of" and _joined(text, tokens, j)
    if word == "tens" and value == _VAGUE_PLURALS["tens"]:
        return None  # bare "tens" is not a count people write
    if word == "scores" and not has_of:
        return None  # "the scores were level": only "scores of" counts
    return value, j + 1 if has_of else j  # "dozens of": keep the "of" people write


def _range_end(
    text: str, tokens: list[_Token], first: int, end: int, low: int, *, between: bool
) -> tuple[int, int, int] | None:
    """A range whose lower end, worth ``low``, is tokens[first:end]: (lower, upper, index
    after the upper end), or None when no larger upper end follows."""
    if end >= len(tokens) or (tokens[first].is_number and is_year(tokens[first].text)):
        return None
    word = tokens[end].text if _joined(text, tokens, end) else None
    if between:
        if word != "and":
            return None
        j = end + 1
    elif word in _RANGE_WORDS:
        before = tokens[first - 1].text if first and _joined(text, tokens, first) else None
        if word == "to" and before in _CHANGE_WORDS:
            return None  # "rose from 10 to 20"
        j = end + 1
    elif text[tokens[end - 1].end : tokens[end].start].strip() in _RANGE_DASHES:
        j = end
    else:
        return None
    if j >= len(tokens) or (j > end and not _joined(text, tokens, j)):
        return None
    upper = _parse_exact(text, tokens, j)
    if upper is None:
        return None
    high, after = upper
    # "two to three thousand": a bare lower end takes the scale of the upper one.
    scale = tokens[j].scale
    for tok in tokens[j + 1 : after]:
        if tok.text not in _SCALE_WORDS:
            break
        scale *= _SCALE_WORDS[tok.text]
    bare = tokens[first].scale == 1 and not any(t.text in _SCALE_WORDS for t in tokens[first:end])
    if bare and low * scale <= high:
        low *= scale
    if high <= low:
        return None
    return low, high, after


def _parse_at(text: str, tokens: list[_Token], i: int) -> Quantity | None:
    """The longest count expression that starts at token i, or None."""
    j = i
    marker = _phrase_at(text, tokens, j, _MARKERS)
    if marker:
        j = marker[1]
        if j >= len(tokens) or not _joined(text, tokens, j):
            return None
    between = j < len(tokens) and tokens[j].text == "between"
    if between:
        j += 1  # "between 2,000 and 3,000": only a range
        if j >= len(tokens) or not _joined(text, tokens, j):
            return None
    hedge = None
    style = None
    found = None if between else _phrase_at(text, tokens, j, _HEDGES)
    if found and found[1] < len(tokens) and _joined(text, tokens, found[1]):
        core = _parse_exact(text, tokens, found[1]) or _parse_vague(text, tokens, found[1])
        if core:
            hedge, style = found[0], _HEDGES[found[0]]
            j = found[1]
    vague = False
    core = _parse_exact(text, tokens, j)
    if core is None and not between:
        core = _parse_vague(text, tokens, j)
        vague = core is not None
    if core is None:
        return None
    value, end = core
    upper = None
    if not vague:
        ranged = _range_end(text, tokens, j, end, value, between=between)
        if ranged:
            value, upper, end = ranged
    if between and upper is None:
        return None
    if hedge is None and not vague:
        suffix = _phrase_at(text, tokens, end, _SUFFIX_HEDGES)
        if suffix and _joined(text, tokens, end):
            hedge, style = suffix[0], _SUFFIX_HEDGES[suffix[0]]
            end = suffix[1]
    start_char, end_char = tokens[i].start, tokens[end - 1].end
    return Quantity(
        value=value,
        hedge=hedge,
        approximate=vague or style in _APPROXIMATE_STYLES,
        text=text[start_char:end_char],
        start=start_char,
        end=end_char,
        upper=upper,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every count in ``text``, left to right, longest first, never overlapping.

    text (str): any text.
    RETURNS (list[Quantity]): counts with offsets into ``text``.
    """
    tokens = _tokens(text)
    out: list[Quantity] = []
    i = 0
    while i < len(tokens):
        found = _parse_at(text, tokens, i)
        if found is None:
            i += 1
            continue
        out.append(found)
        while i < len(tokens) and tokens[i].start < found.end:
            i += 1
    return out


def parse_quantity(text: str) -> Quantity | None:
    """The count that the whole of ``text`` writes, or None if it is not one count.

    text (str): e.g. "roughly 500", "two dozen", "1,200", "dozens of".
    RETURNS (Quantity | None): offsets are into ``text``; surrounding spaces are allowed.
    """
    tokens = _tokens(text)
    if not tokens or text[: tokens[0].start].strip():
        return None
    found = _parse_at(text, tokens, 0)
    if found is None or text[found.end :].strip():
        return None
    return found


def format_quantity(q: Quantity) -> str:
    """A short form for summaries: "~500", "24", "at least 4", "500+", "dozens", "10–15".

    q (Quantity): the count.
    RETURNS (str): the value with its hedge; a vague plural keeps its words.
    """
    if q.vague:
        words = q.text.lower().split()
        while words and words[-1] == "of":
            words.pop()
        if words[:3] == ["a", "total", "of"]:
            words = words[3:]
        return " ".join(words)
    number = f"{q.value:,}" if q.upper is None else f"{q.value:,}\u2013{q.upper:,}"
    style = _HEDGES.get(q.hedge or "") or _SUFFIX_HEDGES.get(q.hedge or "")
    if style == "~":
        return f"~{number}"
    if style == "+":
        return f"{number}+"
    if style in ("nearly", "at least", "up to", "under"):
        return f"{style} {number}"
    return number


def is_year(text: str) -> bool:
    """True if ``text`` is four digits read as a year, 1800 to 2099 ("1944", not "1,944")."""
    return _YEAR.fullmatch(text) is not None


def years_in(text: str) -> list[int]:
    """The years written in ``text``, in order ("from 2014 to 2022" → [2014, 2022])."""
    return [int(m.group()) for m in _YEARS.finditer(text)]
