"""Ranking: BM25F over a matched set's documents, and the best stories without sorting all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as windex
from whoosh import query as wq

from indexer.index.schema import build_schema
from indexer.read.ranking import (
    TITLE_BONUS,
    bm25,
    score_bound,
    title_matches_suffice,
    top_stories,
    word_postings,
)
from indexer.read.searcher import Searcher
from tests.unit.read.small_index import Doc, add_docs, add_docs_by_whoosh, write_index


def _reference_top(
    docs: list[int], scores: list[float], groups: list[int], needed: int
) -> list[tuple[int, float]]:
    """Every document in order (score high to low, then docnum), each story's first."""
    seen: set[int] = set()
    out: list[tuple[int, float]] = []
    for score, doc, group in sorted(
        zip(scores, docs, groups, strict=True), key=lambda x: (-x[0], x[1])
    ):
        if group not in seen:
            seen.add(group)
            out.append((doc, score))
    return out[:needed]


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 40)), max_size=300),
    st.integers(1, 15),
)
def test_top_stories_are_the_first_of_each_story_in_the_full_order(
    rows: list[tuple[int, int]], needed: int
) -> None:
    """Few distinct scores and stories: ties, and stories with many members, abound."""
    docs = np.arange(0, 3 * len(rows), 3, dtype=np.int64)
    scores = np.array([s / 2 for s, _ in rows], dtype=np.float64)
    groups = np.array([g for _, g in rows], dtype=np.int64)
    best, best_scores = top_stories(docs, scores, groups, needed)
    got = list(zip(best.tolist(), best_scores.tolist(), strict=True))
    assert got == _reference_top(docs.tolist(), scores.tolist(), groups.tolist(), needed)


WORDS = ["稀土", "产业", "发展", "科技"]


def _docs(start: int, count: int) -> list[Doc]:
    """Bodies repeating the words differently often, so scores differ."""
    out = []
    for k in range(start, start + count):
        body = "。".join(WORDS[j % len(WORDS)] * (1 + (k * (j + 1)) % 4) for j in range(k % 7 + 1))
        out.append(Doc(f"d{k}", WORDS[k % len(WORDS)] + "新闻", body + "。"))
    return out


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_index(tmp_path_factory.mktemp("ix"), _docs(0, 150))
    add_docs(windex.open_dir(str(root)), _docs(150, 170))
    return root


@pytest.fixture(scope="module")
def searcher(two_segments: Path) -> Searcher:
    return Searcher(two_segments)


PAIRS = [("title", "稀土"), ("body", "稀土"), ("body", "产业"), ("title", "科技")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 319), max_size=60, unique=True))
def test_scores_of_some_documents_are_theirs_among_all(
    searcher: Searcher, wanted: list[int]
) -> None:
    docs = np.array(sorted(wanted), dtype=np.int64)
    with searcher._using() as gen:
        assert len(gen.searcher.reader().leaf_readers()) == 2
        everyone = bm25(gen, PAIRS, np.arange(gen.n))
        assert bm25(gen, PAIRS, docs).tolist() == everyone[docs].tolist()


def test_no_document_scores_the_bound(searcher: Searcher) -> None:
    with searcher._using() as gen:
        postings = word_postings(gen, PAIRS)
        scores = bm25(gen, PAIRS, np.arange(gen.n), postings)
        assert scores.max() > 0 and scores.max() < score_bound(postings)
        assert score_bound(postings[:1]) < score_bound(postings)


@given(
    st.lists(st.tuples(st.integers(0, 8), st.booleans(), st.floats(0, 0.99)), max_size=80),
    st.integers(1, 6),
    st.sampled_from([0.5, 1.0, TITLE_BONUS]),
)
def test_ranking_the_title_matches_alone_gives_the_same_stories(
    rows: list[tuple[int, bool, float]], needed: int, bound: float
) -> None:
    """Scores under `bound`: when only the title matches are ranked, the best stories
    are those of ranking every match (and when the bonus does not outweigh the bound,
    every match is ranked)."""
    docs = np.arange(len(rows), dtype=np.int64)
    groups = np.array([g for g, _, _ in rows], dtype=np.int64)
    in_title = np.array([t for _, t, _ in rows], dtype=bool)
    scores = np.array([f * bound for _, _, f in rows]) + TITLE_BONUS * in_title
    kept = title_matches_suffice(docs, in_title, groups, needed, bound)
    if bound >= TITLE_BONUS:
        assert kept.tolist() == docs.tolist()
    full = top_stories(docs, scores, groups, needed)
    part = top_stories(kept, scores[kept], groups[kept], needed)
    assert [a.tolist() for a in part] == [a.tolist() for a in full]


def test_scores_are_whooshs_bm25f(searcher: Searcher, tmp_path: Path) -> None:
    """The same documents in the same two segments, written by Whoosh's own writer (word
    postings in its term file), scored by Whoosh's own searcher."""
    reference = windex.create_in(str(tmp_path), build_schema())
    add_docs_by_whoosh(reference, _docs(0, 150))
    add_docs_by_whoosh(reference, _docs(150, 170))
    with searcher._using() as gen, reference.searcher() as whoosh_searcher:
        assert len(whoosh_searcher.reader().leaf_readers()) == 2
        ours = bm25(gen, PAIRS, np.arange(gen.n))
        query = wq.Or([wq.Term(field, word) for field, word in PAIRS])
        theirs = np.zeros(gen.n)
        for hit in whoosh_searcher.search(query, limit=None):
            theirs[hit.docnum] = hit.score
    assert np.count_nonzero(theirs) > 100
    assert ours == pytest.approx(theirs, rel=1e-5)


def _reference_by_date(ranks: list[int], reps: list[int], newest: bool) -> list[int]:
    """Every story ordered as the three-key sort did: known dates first, then date, then
    docnum."""
    rank_of = dict(zip(reps, ranks, strict=True))
    return sorted(reps, key=lambda d: (rank_of[d] < 0, -rank_of[d] if newest else rank_of[d], d))


@given(
    st.lists(st.integers(-1, 5), max_size=80),
    st.booleans(),
    st.one_of(st.none(), st.integers(0, 90)),
)
def test_date_order_of_the_first_stories_is_their_place_in_the_full_order(
    ranks: list[int], newest: bool, needed: int | None
) -> None:
    """Few distinct dates and many unknown: ties on the date abound."""
    from types import SimpleNamespace

    from indexer.read.ranking import rank_by_date

    n = 3 * len(ranks) + 1
    reps = np.arange(1, n, 3, dtype=np.int64)[: len(ranks)]
    date_rank = np.full(n, -1, dtype=np.int64)
    date_rank[reps] = ranks
    cols = SimpleNamespace(date_rank=date_rank, dates=["d"] * 6, n=n)
    got = [d for d, _ in rank_by_date(cols, reps, newest, needed)]  # type: ignore[arg-type]
    full = _reference_by_date(ranks, reps.tolist(), newest)
    assert got == (full if needed is None else full[:needed])
