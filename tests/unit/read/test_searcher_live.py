"""The Searcher over an index that changes under it (new commits, swaps, segments, files a
concurrent commit removed), its term cache, facet spellings, long bodies, and its time budget
and pauses, which let one search never block another."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from whoosh import index as windex

from indexer.index import errors
from indexer.models import SearchRequest
from indexer.read.searcher import Searcher
from tests.helpers import HANG_GUARD
from tests.unit.read.small_index import DOCS, Doc, add_docs, facet, ids, write_index


def test_searcher_sees_new_commits_and_generation_swaps(tmp_path: Path) -> None:
    gen1 = write_index(tmp_path / "gen-1", DOCS[:1])
    (tmp_path / "current").symlink_to(gen1.name)
    s = Searcher(tmp_path)
    assert s.search(SearchRequest(q="")).total == 1
    ix = windex.open_dir(str(gen1))
    add_docs(ix, [DOCS[3]])
    assert s.search(SearchRequest(q="")).total == 2
    with ix.writer() as w:  # a deletion in an already-read segment
        w.merge = False
        w.delete_by_term("id", DOCS[0].id)
    assert ids(s.search(SearchRequest(q=""))) == [DOCS[3].id]
    gen2 = write_index(tmp_path / "gen-2", DOCS)
    tmp_link = tmp_path / "current.tmp"
    tmp_link.symlink_to(gen2.name)
    os.replace(tmp_link, tmp_path / "current")
    assert s.search(SearchRequest(q="")).total == 5


def test_missing_index_raises_index_missing(tmp_path: Path) -> None:
    with pytest.raises(errors.IndexNotFound):
        Searcher(tmp_path).search(SearchRequest(q="稀土"))


@pytest.mark.parametrize("q", ["稀土", "高新区", "R&D经费", "突围", "-稀土", "科技 OR 稀土"])
def test_term_cache_changes_nothing(index_root: Path, q: str) -> None:
    cached, uncached = Searcher(index_root), Searcher(index_root, cache_size=0)
    for _ in range(2):  # the second round answers from the cache
        a, b = cached.search(SearchRequest(q=q)), uncached.search(SearchRequest(q=q))
        assert (a.total, ids(a), a.facets) == (b.total, ids(b), b.facets)


def test_segments_and_deletions(tmp_path: Path) -> None:
    root = write_index(tmp_path, DOCS[:4])
    ix = windex.open_dir(str(root))
    add_docs(ix, DOCS[4:])  # a second segment
    with ix.writer() as w:
        w.merge = False
        w.delete_by_term("id", "b")
    assert len(ix.searcher().reader().leaf_readers()) >= 2
    s = Searcher(root)
    assert sorted(ids(s.search(SearchRequest(q="稀土")))) == ["a1", "d"]
    assert sorted(ids(s.search(SearchRequest(q="R&D经费")))) == ["c"]
    assert sorted(ids(s.search(SearchRequest(q="突围")))) == ["c", "e"]
    assert s.stats()["articles"] == 6


def test_empty_index(tmp_path: Path) -> None:
    s = Searcher(write_index(tmp_path, []))
    assert s.search(SearchRequest(q="稀土")).total == 0
    assert s.search(SearchRequest(q="")).hits == ()
    assert s.stats() == {
        "articles": 0,
        "stories": 0,
        "sources": 0,
        "sites": 0,
        "date_min": None,
        "date_max": None,
        "undated": 0,
        "examples": [],
    }


def test_files_removed_by_a_concurrent_commit_are_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a generation whose segment files a merge just deleted is tried again
    (the next try reads the new TOC); an index that lacks them for good still fails."""
    from indexer.index import ngrams

    root = write_index(tmp_path / "ix", DOCS)
    real = ngrams.open_segment
    calls: list[str] = []

    def gone_once(folder: Path, name: str) -> ngrams.SegmentNgrams:
        calls.append(name)
        if len(calls) == 1:
            raise ngrams.NgramFileError(f"its segment's n-gram postings {name} are missing")
        return real(folder, name)

    monkeypatch.setattr(ngrams, "open_segment", gone_once)
    assert Searcher(root).search(SearchRequest(q="稀土")).total > 0
    assert len(calls) == 2

    def gone(folder: Path, name: str) -> ngrams.SegmentNgrams:
        raise ngrams.NgramFileError(f"its segment's n-gram postings {name} are missing")

    monkeypatch.setattr(ngrams, "open_segment", gone)
    with pytest.raises(errors.IndexNotFound, match="rebuild"):
        Searcher(root).search(SearchRequest(q="稀土"))


def test_outlets_and_portals_spelled_in_another_script_are_one_facet_value(
    tmp_path: Path,
) -> None:
    """包頭日報 and 包头日报 (and full-width or traditional portal names) count and filter as
    one value, named in simplified half-width form; each hit keeps its page's spelling."""
    docs = [
        Doc("t1", "稀土新闻一", "稀土产业报道一。", "2023-01-02", ("包頭日報",), "內蒙古新聞網"),
        Doc("t2", "稀土新闻二", "稀土产业报道二。", "2023-01-03", ("包头日报",), "内蒙古新闻网"),
        Doc(
            "t3",
            "稀土新闻三",
            "稀土产业报道三。",
            "2023-01-04",
            ("包頭日報", "包头日报"),
            "ＮＭＧ网",
        ),
    ]
    s = Searcher(write_index(tmp_path / "ix", docs))
    r = s.search(SearchRequest(q="稀土"))
    assert facet(r, "sources") == {"包头日报": 3}  # t3 credits it twice: one story
    assert facet(r, "site") == {"内蒙古新闻网": 2, "NMG网": 1}
    for spelling in ("包頭日報", "包头日报"):
        assert sorted(ids(s.search(SearchRequest(q="稀土", sources=(spelling,))))) == [
            "t1",
            "t2",
            "t3",
        ]
    assert sorted(ids(s.search(SearchRequest(q="稀土", sites=("內蒙古新聞網",))))) == ["t1", "t2"]
    assert {h.id: h.sources for h in r.hits}["t1"] == ("包頭日報",)
    assert s.stats()["sources"] == 1 and s.stats()["sites"] == 2


def test_a_hit_folds_only_the_start_of_a_long_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 300,000-character body: its snippet is made from SNIPPET_SCAN_CHARS characters,
    whatever the page's length (folding the whole body per hit, then scanning it per
    sentence, made one query of a 3,000,000-character page take minutes)."""
    import indexer.read.query
    from indexer.read.highlight import SNIPPET_SCAN_CHARS

    long_body = "稀土创新科技发展的新材料产业。" * 20_000
    root = write_index(
        tmp_path / "ix", [Doc("long", "长文", long_body), Doc("short", "短文", "科技")]
    )
    folded: list[int] = []
    real = indexer.read.query.fold_codes

    def counting(text: str):
        folded.append(len(text))
        return real(text)

    monkeypatch.setattr(indexer.read.query, "fold_codes", counting)
    result = Searcher(root).search(SearchRequest(q="科技"))
    assert sorted(ids(result)) == ["long", "short"]
    # The long body's start, the short one, and both titles (title_html).
    assert sum(folded) == SNIPPET_SCAN_CHARS + len("科技") + len("长文") + len("短文")
    snippet = next(h.snippet_html for h in result.hits if h.id == "long")
    assert snippet.startswith("稀土创新<mark>科技</mark>发展的新材料产业。")
    assert snippet.endswith("…")


def test_a_paused_search_does_not_block_another(index_root: Path) -> None:
    """One search is held inside the searcher (after matching); a second one must
    complete meanwhile. A single lock around searching made the second wait."""
    import threading

    paused, release = threading.Event(), threading.Event()

    def hold(stage: str, req: SearchRequest) -> None:
        if stage == "matched" and req.q == "稀土":
            paused.set()
            release.wait(HANG_GUARD)  # a safety bound only; the test releases it itself

    searcher = Searcher(index_root, on_stage=hold)
    held: list = []
    first = threading.Thread(target=lambda: held.append(searcher.search(SearchRequest(q="稀土"))))
    first.start()
    assert paused.wait(HANG_GUARD)
    other: list = []
    second = threading.Thread(target=lambda: other.append(searcher.search(SearchRequest(q="科技"))))
    second.start()
    second.join(HANG_GUARD)
    done_while_held = bool(other) and not held
    release.set()
    first.join(HANG_GUARD)
    assert done_while_held
    assert held[0].total >= 1 and other[0].total >= 1


def test_a_spent_budget_gives_a_partial_answer(index_root: Path) -> None:
    """The clock jumps past the budget once hits are being rendered: every hit is there,
    none highlighted, and the result says it is partial."""
    now = [0.0]

    def jump(stage: str, req: SearchRequest) -> None:
        if stage == "ranked":
            now[0] = 10.0

    searcher = Searcher(index_root, time_budget=2.0, clock=lambda: now[0], on_stage=jump)
    full = Searcher(index_root).search(SearchRequest(q="科技"))
    result = searcher.search(SearchRequest(q="科技"))
    assert result.partial and not full.partial
    assert ids(result) == ids(full)
    assert all("<mark>" not in h.snippet_html for h in result.hits)


def test_a_budget_spent_before_ranking_raises_search_timeout(index_root: Path) -> None:
    from indexer.read.searcher import SearchTimeout

    now = [0.0]

    def jump(stage: str, req: SearchRequest) -> None:
        if stage == "start":
            now[0] = 10.0

    searcher = Searcher(index_root, time_budget=2.0, clock=lambda: now[0], on_stage=jump)
    with pytest.raises(SearchTimeout):
        searcher.search(SearchRequest(q="科技"))


def test_opening_the_index_is_not_charged_to_the_first_request(
    index_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a generation takes longer than a request's budget at 100,000 articles: the
    first request after a start or a commit must still get its whole budget."""
    from indexer.read import searcher as searcher_module

    now = [0.0]
    real = searcher_module.Generation

    def slow_open(*args: object, **kwargs: object) -> object:
        now[0] += 10.0  # the open alone outlasts the 2 s budget
        return real(*args, **kwargs)

    monkeypatch.setattr(searcher_module, "Generation", slow_open)
    searcher = Searcher(index_root, time_budget=2.0, clock=lambda: now[0])
    result = searcher.search(SearchRequest(q="科技"))
    assert not result.partial
    assert ids(result) == ids(Searcher(index_root).search(SearchRequest(q="科技")))
    assert any("<mark>" in h.snippet_html for h in result.hits)
