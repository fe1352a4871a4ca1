"""Benchmark: time and memory of one hostile item through the detector pipeline.

Each case is one item (the pathological texts from issue 13: a long hyphenated
"twenty-" run, digit and comma runs, a text of a trigger word repeated) at
growing sizes; for each the time of ``Pipeline.detect_batch`` on it alone and
the process's peak RSS so far are printed. Linear reading shows as time that
grows in proportion to the size (or stays flat where the bounds cut it).

Usage (from the repo root)::

    python bench/bench_hostile.py
"""

from __future__ import annotations

import resource
import time

from detectors.pipeline import Pipeline
from detectors.records import NewsItem

CASES = {
    "twenty-": lambda n: "Russia fired " + "twenty-" * n + " drones at Ukraine.",
    "twenty ": lambda n: "Russia fired " + "twenty " * n + "drones at Ukraine.",
    "digits": lambda n: "Russia fired " + "9" * (4 * n) + " drones at Ukraine.",
    "commas": lambda n: "Russia fired " + "1,000," * n + " drones at Ukraine.",
    "Missiles.": lambda n: "Missiles. " * n,
}
SIZES = (4_000, 16_000, 100_000)


def main() -> None:
    pipeline = Pipeline()
    pipeline.detect_batch([NewsItem("warm", "Russia fired 100 drones at Kyiv.")])
    for name, make in CASES.items():
        for n in SIZES:
            item = NewsItem(f"{name}-{n}", make(n))
            started = time.perf_counter()
            [outcome] = pipeline.detect_batch([item])
            seconds = time.perf_counter() - started
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"bench: {name!r} x {n}: {len(item.text):,} chars in {seconds:.2f}s, "
                f"peak RSS {peak_mb:.0f} MB, {'error' if outcome.error else 'ok'}, "
                f"{len(outcome.notes)} notes"
            )


if __name__ == "__main__":
    main()
