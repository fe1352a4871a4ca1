"""Datelines: where a wire story was filed, before its first sentence.

"WARSAW (Reuters) - ", "KYIV, March 4 (Reuters) - ", "TOKYO/SEOUL, Feb. 2 (AP) -- ",
"Brussels, June 20: ", "OTTAWA - ", "(Reuters) - ". A dateline names the place
of filing, never a party, actor or target, so the pipeline leaves it out of
the parse (``Article.dateline`` keeps the place). Written by hand: a regular
expression over the article's opening characters is all it needs, and no
library reads wire datelines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?"
# A place in capitals: "WARSAW", "NEW DELHI", "TOKYO/SEOUL", "PORT-AU-PRINCE", "ST. PETERSBURG".
_CAPS_PLACE = r"[A-Z][A-Z.'’\-]+(?:[ /][A-Z][A-Z.'’\-]+){0,3}"
# A place as written in a sentence: "Brussels", "New Delhi", "Tokyo/Seoul".
_TITLE_PLACE = r"[A-Z][a-zA-Z.'’\-]+(?:[ /][A-Z][a-zA-Z.'’\-]+){0,2}"
# The state or region after a city: "DNIPRO, Ukraine (AP) -".
_REGION = r"[A-Z][a-z]+(?:[ .][A-Z][a-z]+){0,2}\.?"
_AGENCY = r"\((?:[A-Z][\w.&' -]{0,40})\)"
_DASH = r"(?:-{1,2}|[–—])"

_DATELINE = re.compile(
    rf"""\A\s*(?:
        (?P<caps>{_CAPS_PLACE})(?:,\s*{_REGION})?(?:,\s*{_DATE})?(?:,?\s*{_AGENCY})?\s*{_DASH}\s+
      | (?P<title>{_TITLE_PLACE})(?:,\s*{_DATE})(?:\s*{_AGENCY})?\s*(?:{_DASH}\s+|:\s+)
      | (?P<title2>{_TITLE_PLACE})\s*{_AGENCY}\s*{_DASH}\s+
      | {_AGENCY}\s*{_DASH}\s+
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Dateline:
    """An article's dateline.

    place (str): where it was filed ("WARSAW", "TOKYO/SEOUL"); "" for an agency-only byline.
    end (int): character offset where the story proper starts.
    """

    place: str
    end: int


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of ``text``, or None when it opens with the story."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    place = match.group("caps") or match.group("title") or match.group("title2") or ""
    if match.group("caps") and len(place.replace("/", "").replace(" ", "")) < 3:
        return None  # "US - ..." is a headline fragment, not a filing place
    return Dateline(place, match.end())
