"""join_names: the one "a, b and c" writer of strike, alliance and rule summaries."""

from __future__ import annotations

import pytest

from detectors.language.text import join_names


@pytest.mark.parametrize(
    ("names", "joined"),
    [
        ([], ""),
        (["Poland"], "Poland"),
        (["Poland", "Russia"], "Poland and Russia"),
        (["Poland", "Russia", "the United States"], "Poland, Russia and the United States"),
        (
            ["500 drones", "20 missiles", "4 bombs", "2 rockets"],
            "500 drones, 20 missiles, 4 bombs and 2 rockets",
        ),
    ],
)
def test_join_names(names, joined):
    assert join_names(names) == joined
