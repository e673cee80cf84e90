"""Keyword facet counts (regions, documents): most stories first, ties by value, cut to a limit."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.read.keywords import Pairs


@given(
    st.lists(st.tuples(st.integers(0, 29), st.integers(0, 7)), max_size=200),
    st.lists(st.booleans(), min_size=30, max_size=30),
    st.integers(1, 10),
)
def test_counts_order_by_count_then_value_and_stop_at_the_limit(pairs, reps, limit) -> None:
    values = [f"值{i}" for i in range(8)]  # sorted, as the index keeps them
    doc = np.array([d for d, _ in pairs], dtype=np.int32)
    code = np.array([c for _, c in pairs], dtype=np.int32)
    is_rep = np.array(reps, dtype=bool)
    got = Pairs(values, doc, code).counts(is_rep, limit=limit)

    expected: dict[str, int] = {}
    for d, c in pairs:
        if reps[d]:
            expected[values[c]] = expected.get(values[c], 0) + 1
    ranked = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    assert [(f.value, f.count) for f in got] == ranked
