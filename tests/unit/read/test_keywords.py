"""Keyword facet counts (regions, documents): most stories first, ties by value, cut to a limit."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.read.keywords import Pairs, SegmentPairs, top_codes


@given(
    st.lists(st.tuples(st.integers(0, 29), st.integers(0, 7)), max_size=200, unique=True),
    st.lists(st.booleans(), min_size=30, max_size=30),
    st.integers(1, 10),
)
def test_counts_order_by_count_then_value_and_stop_at_the_limit(pairs, reps, limit) -> None:
    # Sorted, as the index keeps them; each (document, value) pair once, as postings are.
    values = [f"值{i}" for i in range(8)]
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


@given(
    st.lists(st.tuples(st.integers(0, 19), st.integers(0, 5)), max_size=100, unique=True),
    st.lists(st.tuples(st.integers(0, 19), st.integers(0, 5)), max_size=100, unique=True),
    st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_segments_combine_into_the_same_counts_in_any_order(first, second, reps) -> None:
    """Pairs are kept in document order across segments; the counts are the pairs'."""
    values = [f"值{i}" for i in range(6)]
    parts = [
        SegmentPairs(
            values,
            np.array([d for d, _ in rows], dtype=np.int64),
            np.array([c for _, c in rows], dtype=np.int32),
        )
        for rows in (first, second)
    ]
    pairs = Pairs.combine(parts, [0, 20])
    assert pairs.doc.tolist() == sorted(pairs.doc.tolist())
    got = pairs.counts(np.array(reps, dtype=bool), limit=100)
    expected: dict[str, int] = {}
    for offset, rows in ((0, first), (20, second)):
        for d, c in rows:
            if reps[d + offset]:
                expected[values[c]] = expected.get(values[c], 0) + 1
    assert {f.value: f.count for f in got} == expected


@given(st.lists(st.integers(0, 4), max_size=300), st.integers(0, 12))
def test_top_codes_are_the_head_of_the_full_order(counts, limit) -> None:
    array = np.array(counts, dtype=np.int64)
    full = sorted((c for c in range(len(counts)) if counts[c]), key=lambda c: (-counts[c], c))
    assert top_codes(array, limit).tolist() == full[:limit]


@given(
    st.lists(st.tuples(st.integers(0, 29), st.integers(0, 69)), max_size=200, unique=True),
    st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_many_values_count_as_few_do(pairs, reps) -> None:
    """More values than a bit mask holds (documents) are counted from the pairs."""
    doc = np.array([d for d, _ in pairs], dtype=np.int64)
    code = np.array([c for _, c in pairs], dtype=np.int32)
    is_rep = np.array(reps, dtype=bool)
    many = Pairs([f"值{i:02d}" for i in range(70)], doc, code).counts(is_rep, limit=100)
    expected: dict[str, int] = {}
    for d, c in pairs:
        if reps[d]:
            expected[f"值{c:02d}"] = expected.get(f"值{c:02d}", 0) + 1
    assert {f.value: f.count for f in many} == expected
