"""Which language an item is in: what the source or feed says, else py3langid's guess.

Only languages the NLP model reads go on to the detectors (``MODEL_LANGUAGES``);
the others are recorded as skipped, with the reason.
"""

from __future__ import annotations

import functools
from typing import Any

# The spaCy pipeline (en_core_web_sm) and the detectors' word lists are English.
MODEL_LANGUAGES = frozenset({"en"})

# Below this probability a guess is not trusted: the item goes on with no language.
MIN_CONFIDENCE = 0.5


def normalize(code: str | None) -> str | None:
    """``en-US`` / ``EN_gb`` → ``en``; empty → None."""
    if not code or not code.strip():
        return None
    return code.strip().replace("_", "-").split("-")[0].lower() or None


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code or None when unsure, probability). Loads the model once (~1.5 s)."""
    if not text.strip():
        return None, 0.0
    code, probability = _identifier().classify(text[:2000])
    return (code if probability >= MIN_CONFIDENCE else None), float(probability)


def item_language(
    text: str, *, configured: str | None, entry: str | None, feed: str | None
) -> tuple[str | None, str]:
    """(language, how it was known): the source's setting, the entry's, the feed's, a guess."""
    for language, how in ((configured, "config"), (entry, "entry"), (feed, "feed")):
        if normalize(language):
            return normalize(language), how
    code, probability = detect(text)
    return code, f"detected ({probability:.2f})"


def readable(language: str | None) -> bool:
    """Whether the detectors can read it (unknown languages are given the benefit of doubt)."""
    return language is None or language in MODEL_LANGUAGES
