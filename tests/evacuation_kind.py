"""A throwaway detector kind that lives only in tests/: evacuations.

It shows a kind plugging in with nothing edited outside this module: it
registers itself, declares its settings, fills its own fields and the generic
ones (labels, actors, event, facts), and the rest of newswatch (backtest,
routing, de-duplication, silences, channel filters, messages) takes it from
there. It is off unless a config turns it on, so importing it changes no
other test.
"""

from __future__ import annotations

from typing import Literal

from detectors.article import Article
from detectors.base import Detector, register
from detectors.entities import mentions
from detectors.language.clauses import lemma_of
from detectors.language.text import join_names
from detectors.records import Detection
from detectors.settings import Settings

# What was evacuated, by the first of these words in the sentence.
WHAT = ("embassy", "consulate", "diplomats", "staff", "citizens", "civilians")


class EvacuationSettings(Settings):
    """The ``detectors.evacuation`` section.

    enabled (bool): run this detector. Defaults to False.
    severity (str): severity of every evacuation. Defaults to "medium".
    """

    enabled: bool = False
    severity: Literal["low", "medium", "high", "critical"] = "medium"


@register("evacuation")
class EvacuationDetector(Detector):
    """A state evacuating its embassy, staff or citizens."""

    # Labels it adds (silences and group_by accept them).
    label_names = ("what",)

    Settings = EvacuationSettings

    def triggers(self) -> list[str]:
        return ["evacuate", "evacuated", "evacuates", "evacuating", "evacuation"]

    def detect(self, article: Article) -> list[Detection]:
        out = []
        for sentence in article.sentences:
            if not any(lemma_of(t) in ("evacuate", "evacuation") for t in sentence.span):
                continue
            states = sorted({m.actor for m in mentions(sentence.span, self.gazetteer)})
            if not states:
                continue
            words = {t.lower_ for t in sentence.span}
            what = next((w for w in WHAT if w in words), "people")
            names = join_names([self.gazetteer.name(s) for s in states])
            out.append(
                Detection(
                    item_id=article.item.id,
                    detector=self.name,
                    severity=self.settings.severity,
                    summary=f"{names}: {what} evacuated",
                    evidence=article.evidence(sentence),
                    fields={"states": states, "what": what},
                    labels={"what": what},
                    actors=states,
                    event=f"{self.name}|states={','.join(states)}|what={what}",
                    facts=[("Evacuated", what), ("States", names)],
                )
            )
        return out
