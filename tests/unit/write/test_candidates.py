"""The candidate pairs story grouping judges (indexer/write/candidates.py)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.write import candidates


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=0, max_size=40),
    st.lists(st.booleans(), min_size=40, max_size=40),
    st.integers(1, 30),
)
def test_a_columns_pairs_in_chunks_are_all_its_pairs_once(
    keys: list[int], valid: list[bool], chunk: int
) -> None:
    """Big buckets (few distinct keys) cut into chunks of any size: together the chunks
    are every pair of members sharing a key, each once, left < right."""
    k = np.array(keys, dtype=np.uint64)
    v = np.array(valid[: len(keys)], dtype=bool)
    got = [
        (a, b)
        for left, right in candidates.column_pairs(k, v, chunk)
        for a, b in zip(left.tolist(), right.tolist(), strict=True)
    ]
    want = [
        (i, j)
        for i, j in itertools.combinations(range(len(keys)), 2)
        if v[i] and v[j] and keys[i] == keys[j]
    ]
    assert sorted(got) == want and len(got) == len(set(got))
    assert all(a < b for a, b in got)
