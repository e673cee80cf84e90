"""When an update merges small segments, and which."""

from __future__ import annotations

import pytest

from indexer.write import merge_policy


def test_merge_policy_merges_only_small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    class Seg:
        def __init__(self, n: int) -> None:
            self.n = n

        def doc_count(self) -> int:
            return self.n

    class Writer:
        storage = schema = None

    monkeypatch.setattr(merge_policy, "MAX_SEGMENTS", 3)
    big = [Seg(20_000), Seg(10_000), Seg(merge_policy.MERGE_DOCS)]
    assert merge_policy.merge_small(Writer(), big) == big  # nothing small enough: leave them
    few = [Seg(20_000), Seg(1)]
    assert merge_policy.merge_small(Writer(), few) == few  # under the segment limit


def test_merge_policy_for_single_file_calls_takes_only_tiny_segments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Seg:
        def __init__(self, n: int) -> None:
            self.n = n

        def doc_count(self) -> int:
            return self.n

    monkeypatch.setattr(merge_policy, "MAX_SEGMENTS", 3)
    segs = [Seg(20_000), Seg(500), Seg(500)]
    assert merge_policy.merge_small(None, segs, limit=merge_policy.MERGE_DOCS_QUICK) == segs
