"""Filters and facets over the columns: the date range is the inclusive ISO-prefix rule;
facet counts do not depend on who chose the stories."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.models import SearchRequest
from indexer.read.facets import all_of, date_mask, facet_counts, filter_masks
from indexer.read.generation import Generation
from indexer.read.hits import representatives
from tests.unit.read.small_index import DOCS, write_index


@given(
    st.lists(
        st.from_regex(
            r"20[12][0-9]-(0[1-9]|1[0-2])(-[0-2][0-9](T[01][0-9]:[0-5][0-9])?)?", fullmatch=True
        ),
        max_size=30,
    ),
    st.one_of(st.none(), st.from_regex(r"20[12][0-9](-[01][0-9](-[0-3][0-9])?)?", fullmatch=True)),
    st.one_of(st.none(), st.from_regex(r"20[12][0-9](-[01][0-9](-[0-3][0-9])?)?", fullmatch=True)),
)
def test_date_range_is_the_inclusive_prefix_rule(dates, date_from, date_to) -> None:
    """The bisected date filter keeps exactly the dates whose prefixes fall in the range."""
    values = sorted(set(dates))
    ranks = np.array([*range(len(values)), -1], dtype=np.int64)  # the last: undated
    cols = SimpleNamespace(dates=values, date_rank=ranks)
    want = [
        r >= 0
        and (not date_from or values[r][: len(date_from)] >= date_from)
        and (not date_to or values[r][: len(date_to)] <= date_to)
        for r in ranks.tolist()
    ]
    assert date_mask(cols, date_from, date_to).tolist() == want


@pytest.mark.parametrize("sites", [(), ("站甲",)])
def test_facets_counted_from_the_requests_own_stories_are_the_same(tmp_path, sites) -> None:
    """The stories the request chose under every filter stand in for choosing them again."""
    gen = Generation(write_index(tmp_path / "ix", DOCS))
    cols = gen.columns
    matched = np.ones(cols.n, dtype=bool)
    masks = filter_masks(cols, SearchRequest(q="", sites=sites))
    reps = representatives(cols, all_of(matched, list(masks.values())))
    assert facet_counts(cols, matched, masks, reps) == facet_counts(cols, matched, masks)
