"""Large military strikes: munitions counted per type (first, simple version)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..article import Article
from ..base import Detector, register
from ..records import Detection

MUNITIONS = {
    "drone": "drone",
    "missile": "missile",
    "rocket": "rocket",
    "shell": "shell",
    "bomb": "bomb",
}
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "dozen": 12,
    "hundred": 100,
}


def _number(text: str) -> int | None:
    total = 1
    seen = False
    for word in text.lower().replace(",", "").split():
        if word.isdigit():
            total *= int(word)
            seen = True
        elif word in _WORDS:
            total *= _WORDS[word]
            seen = True
    return total if seen else None


@dataclass(frozen=True)
class StrikeSettings:
    """The ``detectors.strike`` section.

    enabled (bool): run this detector. Defaults to True.
    min_total (int): munitions in one attack that make it large. Defaults to 50.
    min_missiles (int): missiles in one attack that make it large. Defaults to 10.
    """

    enabled: bool = True
    min_total: int = 50
    min_missiles: int = 10


@register("strike")
class StrikeDetector(Detector):
    Settings = StrikeSettings

    def triggers(self) -> list[str]:
        return [form for m in MUNITIONS for form in (m, m + "s")]

    def detect(self, article: Article) -> list[Detection]:
        out = []
        for sentence in article.sentences:
            munitions: dict[str, int] = {}
            for token in sentence.span:
                kind = MUNITIONS.get(token.lemma_.lower())
                if not kind:
                    continue
                nums = [c for c in token.children if c.dep_ == "nummod"]
                if nums:
                    phrase = " ".join(t.text for t in nums[0].subtree)
                    value = _number(re.sub(r"[^\w, ]", " ", phrase))
                    if value:
                        munitions[kind] = munitions.get(kind, 0) + value
            total = sum(munitions.values())
            missiles = munitions.get("missile", 0)
            if total < self.settings.min_total and missiles < self.settings.min_missiles:
                continue
            actors = [e._.actor for e in sentence.span.ents if e._.actor]
            actor = actors[0] if actors else None
            target = next((a for a in actors[1:] if a != actor), None)
            counts = ", ".join(f"{n} {k}s" for k, n in munitions.items())
            out.append(
                Detection(
                    item_id=article.item.id,
                    detector=self.name,
                    severity="high",
                    summary=f"{self.gazetteer.name(actor) if actor else 'Unknown'} struck "
                    f"{self.gazetteer.name(target) if target else 'a target'} with {counts}",
                    evidence=article.evidence(sentence),
                    fields={
                        "munitions": munitions,
                        "total": total,
                        "actor": actor,
                        "target": target,
                        "casualties": {},
                        "targets": [],
                    },
                )
            )
        return out
