"""Stories, not copies: one representative per story, canonical member first."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from indexer.read.columns import story_spans
from indexer.read.hits import display_member, members, representatives


def _columns(group_of: list[int], canonical: list[bool], live: list[bool]) -> SimpleNamespace:
    """The columns hits.py reads, ordered as columns.Columns orders them."""
    g = np.array(group_of, dtype=np.int64)
    canon = np.array(canonical)
    n = len(g)
    order = np.lexsort((np.arange(n), ~canon, g))
    begin, end = story_spans(g, order)
    return SimpleNamespace(
        group_of=g,
        canonical=canon,
        live=np.array(live),
        rep_order=order,
        story=lambda d: order[begin[d] : end[d]],
    )


# Documents 0-2 are one story (2 is canonical), 3 and 4 another (3 canonical), 5 alone.
COLS = _columns([7, 7, 7, 8, 8, 9], [False, False, True, True, False, True], [True] * 6)


def test_a_story_is_shown_by_its_canonical_member_when_it_matched() -> None:
    assert representatives(COLS, np.ones(6, dtype=bool)).tolist() == [2, 3, 5]


def test_else_by_its_first_matched_member() -> None:
    mask = np.array([False, True, False, False, True, False])
    assert representatives(COLS, mask).tolist() == [1, 4]
    assert representatives(COLS, np.zeros(6, dtype=bool)).tolist() == []


def test_members_are_the_live_copies_canonical_first() -> None:
    assert members(COLS, 0) == [2, 0, 1]
    dead = _columns([7, 7, 7], [False, False, True], [True, False, True])
    assert members(dead, 0) == [2, 0]


def test_display_member_prefers_a_selected_canonical_copy() -> None:
    assert display_member(COLS, 0, np.ones(6, dtype=bool)) == 2
    assert display_member(COLS, 0, np.array([True, True, False, True, True, True])) == 0
