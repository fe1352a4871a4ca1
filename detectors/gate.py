"""The cheap first pass: which parts of an article need the full spaCy parse.

Most news mentions neither strikes nor alliances. The gate tokenizes the text
(no tagger, parser or NER), finds detector trigger phrases with a
PhraseMatcher, and returns character windows around them: the sentence with
the trigger plus ``context`` sentences before it, and for the phrases a
detector lists in ``next_sentence_triggers`` the sentence after it too. Sentences here are split by
punctuation and line breaks — enough to bound a window; the full parse of the
window decides the real sentence boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher

# Split after . ! ? (optionally followed by a closing quote) before whitespace, or at line
# breaks; never before a lower-case word ("any U.S. assets they hold" is one sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?![a-z])|\n+")


def rough_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of sentences split by punctuation and line breaks."""
    out: list[tuple[int, int]] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > pos and text[pos : match.start()].strip():
            out.append((pos, match.start()))
        pos = match.end()
    if pos < len(text) and text[pos:].strip():
        out.append((pos, len(text)))
    return out


class Gate:
    """Finds the windows of text that contain any trigger phrase.

    nlp (Language): the pipeline; only its tokenizer is used.
    phrases (Iterable[str]): trigger phrases, matched case-insensitively.
    context (int): sentences before a triggered one to include. Defaults to 1.
    with_next (Iterable[str]): trigger phrases whose next sentence is included as well
        (a strike's damage and casualties are often told after its numbers). Defaults to ().
    """

    def __init__(
        self,
        nlp: Language,
        phrases: Iterable[str],
        *,
        context: int = 1,
        with_next: Iterable[str] = (),
    ) -> None:
        self.tokenizer = nlp.tokenizer
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        unique = sorted({p.strip().lower() for p in phrases if p.strip()})
        following = sorted({p.strip().lower() for p in with_next if p.strip()})
        self.phrases = sorted({*unique, *following})
        if unique:
            self.matcher.add("TRIGGER", list(self.tokenizer.pipe(unique)))
        if following:
            self.matcher.add("WITH_NEXT", list(self.tokenizer.pipe(following)))
        self._with_next = nlp.vocab.strings["WITH_NEXT"] if following else None
        self.context = context

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Merged (start, end) character windows to parse; empty if nothing triggers."""
        doc = self.tokenizer(text)
        found: dict[int, int] = {}  # char offset of a hit -> sentences after it to include
        for match_id, start, _ in self.matcher(doc):
            after = 1 if match_id == self._with_next else 0
            found[doc[start].idx] = max(found.get(doc[start].idx, 0), after)
        if not found:
            return []
        sentences = rough_sentences(text)
        chosen: set[int] = set()
        si = 0
        for hit in sorted(found):
            while si < len(sentences) - 1 and sentences[si][1] <= hit:
                si += 1
            last = min(len(sentences) - 1, si + found[hit])
            chosen.update(range(max(0, si - self.context), last + 1))
        windows: list[tuple[int, int]] = []
        for i in sorted(chosen):
            start, end = sentences[i]
            if windows and i - 1 in chosen:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows
