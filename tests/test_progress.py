"""Which offsets may be committed: only below the first one without an outcome."""

from __future__ import annotations

from stream.progress import Progress


def test_commits_from_the_groups_offset_only_through_contiguous_finished_offsets():
    progress = Progress(lambda tp: 100)
    assert progress.finished("p0", [100, 101, 102]) == 103
    assert progress.finished("p0", [105, 106]) is None  # 103 and 104 have no outcome yet
    assert progress.pending("p0") == 2
    assert progress.finished("p0", [103, 104]) == 107


def test_offsets_below_the_committed_one_are_repeats_and_ignored():
    progress = Progress(lambda tp: 50)
    assert progress.finished("p0", [40, 41]) is None
    assert progress.finished("p0", [50]) == 51


def test_a_gap_at_the_start_is_never_committed_past():
    """Events Faust skipped around a rebalance must not be committed over."""
    progress = Progress(lambda tp: 10)
    assert progress.finished("p0", [34, 35, 36]) is None
    assert progress.finished("p0", list(range(10, 34))) == 37


def test_a_new_group_starts_where_reading_began():
    progress = Progress(lambda tp: None)
    assert progress.finished("p1", [0, 1]) == 2


def test_a_reassigned_partition_starts_again_from_the_groups_offset():
    committed = {"p0": 5}
    progress = Progress(committed.get)
    assert progress.finished("p0", [5, 6]) == 7
    committed["p0"] = 200  # another worker moved it on meanwhile
    progress.forget(["p0"])
    assert progress.finished("p0", [200]) == 201
    assert progress.finished("p1", []) is None
