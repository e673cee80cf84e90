"""Per-document columns: a keyword field's per-segment codes combine into one ordinal list."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.read.columns import (
    Ordinals,
    combine,
    distinct_sorted,
    local_codes,
    merge_variants,
    story_spans,
)

VALUES = st.sampled_from(["", "包头日报", "包頭日報", "CCTV", "ＣＣＴＶ", "科技日报"])


def _decoded(ords: Ordinals) -> list[str]:
    return [ords.values[c] if c >= 0 else "" for c in ords.of_doc.tolist()]


def test_local_codes_number_the_distinct_values_and_mark_empty_ones() -> None:
    values, codes = local_codes(["b", "", "a", "b"])
    assert values == ["a", "b"]
    assert codes.tolist() == [1, -1, 0, 1]


@given(st.lists(st.lists(VALUES, max_size=8), max_size=4))
def test_combined_codes_give_back_every_documents_value(segments: list[list[str]]) -> None:
    ords = combine([local_codes(raw) for raw in segments])
    assert ords.values == sorted(set(ords.values))
    assert _decoded(ords) == [v for raw in segments for v in raw]
    as_array = combine([local_codes(raw) for raw in segments], as_list=False)
    assert list(as_array.values) == ords.values
    assert as_array.of_doc.tolist() == ords.of_doc.tolist()


def test_variants_in_another_script_or_width_are_one_value() -> None:
    ords = combine([local_codes(["包頭日報", "CCTV", ""]), local_codes(["包头日报", "ＣＣＴＶ"])])
    merged = merge_variants(ords)
    assert merged.values == ["CCTV", "包头日报"]
    assert _decoded(merged) == ["包头日报", "CCTV", "", "包头日报", "CCTV"]


def test_no_segments_is_no_documents() -> None:
    ords = combine([])
    assert ords.values == [] and ords.of_doc.dtype == np.int32 and len(ords.of_doc) == 0


@given(st.lists(st.integers(-3, 10**12), max_size=40))
def test_distinct_sorted_is_numpys_unique(keys: list[int]) -> None:
    array = np.array(keys, dtype=np.int64)
    assert distinct_sorted(array).tolist() == np.unique(array).tolist()


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=30))
def test_a_documents_story_span_holds_exactly_its_storys_documents(
    docs: list[tuple[int, bool]],
) -> None:
    group_of = np.array([g for g, _ in docs], dtype=np.int64)
    canonical = np.array([c for _, c in docs], dtype=bool)
    order = np.lexsort((np.arange(len(docs)), ~canonical, group_of))
    begin, end = story_spans(group_of, order)
    for d, (g, _) in enumerate(docs):
        story = order[begin[d] : end[d]].tolist()
        assert sorted(story) == [i for i, (h, _) in enumerate(docs) if h == g]
        assert story == sorted(story, key=lambda i: (not canonical[i], i))  # canonical first
