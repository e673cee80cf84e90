"""Searcher.stories: every story a request matches, in the order its pages give, from one
generation however the index moves on during the walk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import index as windex

from indexer.models import SearchRequest
from indexer.read.searcher import Searcher
from tests.unit.read.small_index import DOCS, Doc, add_docs, write_index


@pytest.fixture
def root(tmp_path: Path) -> Path:
    gen = write_index(tmp_path / "gen-1", DOCS)
    (tmp_path / "current").symlink_to(gen.name)
    return tmp_path


def _paged(s: Searcher, req: SearchRequest) -> list[str]:
    """The ids a reader paging one story at a time sees."""
    first = s.search(replace(req, page=1, per_page=1))
    pages = [s.search(replace(req, page=p, per_page=1)) for p in range(1, first.total + 1)]
    return [h.id for r in pages for h in r.hits]


@pytest.mark.parametrize(
    "req",
    [
        SearchRequest(q="稀土"),
        SearchRequest(q="稀土", sort="newest"),
        SearchRequest(q="", sort="oldest"),
        SearchRequest(q="科技 -突围"),
        SearchRequest(q="", sources=("内蒙古日报",)),
        SearchRequest(q="没有这个词"),
    ],
)
def test_stories_are_the_pages_hits_in_order_whatever_page_is_asked(
    root: Path, req: SearchRequest
) -> None:
    s = Searcher(root)
    walked = [h.id for h in s.stories(replace(req, page=3, per_page=1))]
    assert walked == _paged(s, req)
    assert len(walked) == s.search(req).total  # one row per story, copies folded in


def test_a_commit_during_the_walk_changes_no_row(root: Path) -> None:
    s = Searcher(root)
    walk = s.stories(SearchRequest(q="", sort="oldest"))
    first = next(walk)
    add_docs(
        windex.open_dir(str(root / "gen-1")), [Doc("z", "新文章", "新的稀土正文。", "1999-01-01")]
    )
    assert s.search(SearchRequest(q="")).total == 6  # the index moved on ...
    rest = [h.id for h in walk]
    assert [first.id, *rest] == ["e", "c", "a1", "b", "d"]  # ... the walk did not


def test_the_rows_carry_the_hits_highlights(root: Path) -> None:
    hits = {h.id: h for h in Searcher(root).stories(SearchRequest(q="稀土"))}
    assert "<mark>稀土</mark>" in hits["a1"].snippet_html
    assert "<mark>稀土</mark>" in hits["a1"].title_html
    assert {a.id for a in hits["a1"].also_at} == {"a2", "a3"}
