"""The Searcher over a small hand-made index: matching, stories, filters, facets, sorts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as windex
from whoosh.index import Index

from indexer.index import errors
from indexer.index.constants import UNKNOWN
from indexer.index.fields import article_fields
from indexer.index.schema import build_schema
from indexer.models import Article, SearchRequest
from indexer.read.searcher import Searcher
from indexer.write import stories
from indexer.write.segment_writer import FastWriter


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str
    published: str = ""
    sources: tuple[str, ...] = ()
    site: str = ""
    group: str = ""
    canonical: bool = True


def add_docs(ix: Index, docs: list[Doc]) -> None:
    """Commit `docs` as one new segment, written as every index segment is (FastWriter)."""
    w = FastWriter(ix)
    for d in docs:
        article = Article(
            id=d.id,
            path=f"{d.id}.txt",
            title=d.title,
            title_inferred=False,
            published=d.published or None,
            sources=d.sources,
            site=d.site or None,
            body=d.body,
            content_hash="h-" + d.id,
            file_hash="f-" + d.id,
        )
        where = stories.Assignment(d.group or d.id, d.canonical)
        w.add_article(article, article_fields(article, b"", where))
    w.commit(merge=False)


def write_index(path: Path, docs: list[Doc]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    add_docs(windex.create_in(str(path), build_schema()), docs)
    return path


DOCS = [
    # One story published three times: a1 canonical; a3 lightly edited (mentions 石墨烯).
    Doc(
        "a1",
        "包头稀土高新区发展",
        "稀土产业蓬勃发展。新材料项目落地。",
        "2023-03-05T10:00",
        ("内蒙古日报",),
        "站甲",
        "a1",
        True,
    ),
    Doc(
        "a2",
        "包头稀土高新区发展",
        "稀土产业蓬勃发展。新材料项目落地。",
        "2023-03-06",
        ("新华社",),
        "站乙",
        "a1",
        False,
    ),
    Doc(
        "a3",
        "包头稀土高新区发展",
        "稀土产业蓬勃发展。石墨烯项目落地。",
        "2023-04-01",
        ("内蒙古日报", "新华社"),
        "站丙",
        "a1",
        False,
    ),
    Doc(
        "b",
        "科技突围工程",
        "呼和浩特市实施科技突围工程。稀土也有提及。",
        "2024-01-25",
        ("青城融媒",),
        "站甲",
    ),
    Doc(
        "c",
        "鄂尔多斯科技新政",
        "突围" * 1 + "出台科技新政30条。全市R&D经费投入达到53.2亿元。",
        "2022-12-31",
        (),
        "站乙",
    ),
    Doc(
        "d",
        "無日期的文章",
        "高新區(qū)新聞：鄔軍軍說稀土高新區要進入50強。".replace("(qū)", ""),
        "",
        ("高新院",),
        "站丙",
    ),
    Doc("e", "突围", "标题就是这个词。", "2021-06-01", (), "站丁"),
]


@pytest.fixture(scope="module")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_index(tmp_path_factory.mktemp("ix"), DOCS)


@pytest.fixture(scope="module")
def searcher(index_root: Path) -> Searcher:
    return Searcher(index_root)


def ids(result) -> list[str]:
    return [h.id for h in result.hits]


def facet(result, name: str) -> dict[str, int]:
    return {f.value: f.count for f in result.facets[name]}


def test_copies_collapse_into_one_story_with_also_at(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="稀土产业"))
    assert r.total == 1
    assert ids(r) == ["a1"]
    assert [a.id for a in r.hits[0].also_at] == ["a2", "a3"]
    assert [a.site for a in r.hits[0].also_at] == ["站乙", "站丙"]


def test_story_shown_by_its_matching_member_when_canonical_misses(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="石墨烯"))
    assert ids(r) == ["a3"]
    assert [a.id for a in r.hits[0].also_at] == ["a1", "a2"]


def test_total_and_facets_count_stories_not_copies(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="稀土"))
    assert sorted(ids(r)) == ["a1", "b", "d"]
    assert r.total == 3
    assert facet(r, "site") == {"站甲": 2, "站丙": 1}
    assert facet(r, "sources") == {"内蒙古日报": 1, "青城融媒": 1, "高新院": 1}
    assert facet(r, "year") == {"2023": 1, "2024": 1, UNKNOWN: 1}
    assert [f.value for f in r.facets["year"]] == ["2023", "2024", UNKNOWN]
    assert facet(r, "month") == {"2023-03": 1, "2024-01": 1, UNKNOWN: 1}


def test_filter_picks_the_copy_on_the_filtered_site(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="稀土", sites=("站乙",)))
    assert ids(r) == ["a2"]
    assert r.total == 1
    # A facet's own selection does not shrink its counts; the others do.
    assert facet(r, "site") == {"站甲": 2, "站丙": 1}
    assert facet(r, "sources") == {"新华社": 1}


def test_filters_or_within_and_across(searcher: Searcher) -> None:
    both = searcher.search(SearchRequest(q="", sites=("站甲", "站丁")))
    assert sorted(ids(both)) == ["a1", "b", "e"]
    narrowed = searcher.search(SearchRequest(q="", sites=("站甲", "站丁"), years=("2024",)))
    assert ids(narrowed) == ["b"]
    by_source = searcher.search(SearchRequest(q="稀土", sources=("新华社", "高新院")))
    assert sorted(ids(by_source)) == ["a2", "d"]


def test_unknown_date_bucket_filter(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="", years=(UNKNOWN,)))
    assert ids(r) == ["d"]


def test_date_range_is_inclusive_on_iso_prefix(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="", date_from="2023-03-05", date_to="2024-01-25"))
    assert sorted(ids(r)) == ["a1", "b"]
    r = searcher.search(SearchRequest(q="", date_from="2022-12-31", date_to="2022-12-31"))
    assert ids(r) == ["c"]
    r = searcher.search(SearchRequest(q="", months=("2023-04",)))
    assert ids(r) == ["a3"]


def test_empty_query_lists_stories_newest_first_unknown_last(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q=""))
    assert ids(r) == ["b", "a1", "c", "e", "d"]
    assert r.total == 5
    oldest = searcher.search(SearchRequest(q="", sort="oldest"))
    assert ids(oldest) == ["e", "c", "a1", "b", "d"]


def test_pagination(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="", page=2, per_page=2))
    assert ids(r) == ["c", "e"]
    assert (r.total, r.page, r.per_page) == (5, 2, 2)
    assert ids(searcher.search(SearchRequest(q="", page=9, per_page=2))) == []


def test_title_match_ranks_above_body_matches(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="突围"))
    assert set(ids(r)) == {"b", "c", "e"}
    assert ids(r)[-1] == "c"  # only in the body


def test_query_language(searcher: Searcher) -> None:
    assert ids(searcher.search(SearchRequest(q="title:突围"))) in (["e", "b"], ["b", "e"])
    assert sorted(ids(searcher.search(SearchRequest(q="稀土 -包头")))) == ["b", "d"]
    assert sorted(ids(searcher.search(SearchRequest(q="石墨烯 OR 科技新政")))) == ["a3", "c"]
    assert ids(searcher.search(SearchRequest(q='"科技 新政"'))) == ["c"]
    assert ids(searcher.search(SearchRequest(q="-稀土 -突围"))) == []
    assert sorted(ids(searcher.search(SearchRequest(q="-稀土")))) == ["c", "e"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("邬军军", ["d"]),  # traditional text, simplified query
        ("鄔軍軍", ["d"]),
        ("高新区", ["a1", "d"]),
        ("r&d", ["c"]),
        ("R&D经费", ["c"]),
        ("53.2亿元", ["c"]),
        ("亿", ["c"]),
        ("30条", ["c"]),
        ("，。", []),  # nothing searchable
    ],
)
def test_literal_matches(searcher: Searcher, q: str, expected: list[str]) -> None:
    assert sorted(ids(searcher.search(SearchRequest(q=q)))) == expected


def test_snippet_highlights_display_characters(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="邬军军"))
    assert "<mark>鄔軍軍</mark>" in r.hits[0].snippet_html


def test_timeline_is_chronological_with_gaps_filled(searcher: Searcher) -> None:
    r = searcher.search(SearchRequest(q="稀土"))
    months = [(t.value, t.count) for t in r.timeline]
    assert months[0] == ("2023-03", 1) and months[-1] == ("2024-01", 1)
    assert len(months) == 11 and sum(c for _, c in months) == 2
    everything = searcher.search(SearchRequest(q=""))  # 2021-06 .. 2024-01: 32 months
    assert len(everything.timeline) == 32
    assert everything.timeline[0].value == "2021-06"


def test_timeline_per_year_beyond_36_months(tmp_path: Path) -> None:
    docs = [Doc("x", "旧闻", "稀土", "2019-05-01"), Doc("y", "新闻", "稀土", "2023-02-01")]
    r = Searcher(write_index(tmp_path, docs)).search(SearchRequest(q="稀土"))
    assert [(t.value, t.count) for t in r.timeline] == [
        ("2019", 1),
        ("2020", 0),
        ("2021", 0),
        ("2022", 0),
        ("2023", 1),
    ]


def test_article_view(searcher: Searcher) -> None:
    art = searcher.article("a2", q="稀土")
    assert art is not None
    assert (art["id"], art["site"], art["published"], art["sources"]) == (
        "a2",
        "站乙",
        "2023-03-06",
        ["新华社"],
    )
    assert [a["id"] for a in art["also_at"]] == ["a1", "a3"]
    assert art["body_html"] == "<p><mark>稀土</mark>产业蓬勃发展。新材料项目落地。</p>"
    assert searcher.article("nope") is None


def test_stats(searcher: Searcher) -> None:
    s = searcher.stats()
    assert {k: s[k] for k in ("articles", "stories", "sources", "sites")} == {
        "articles": 7,
        "stories": 5,
        "sources": 4,
        "sites": 4,
    }
    assert (s["date_min"], s["date_max"]) == ("2021-06-01", "2024-01-25")
    assert "稀土" in s["examples"] or "突围" in s["examples"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=25))
def test_any_text_returns_a_result(searcher: Searcher, q: str) -> None:
    r = searcher.search(SearchRequest(q=q))
    assert len(r.hits) == min(r.total, r.per_page)
    assert len({h.id for h in r.hits}) == len(r.hits)


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
            release.wait(60)  # a safety bound only; the test releases it itself

    searcher = Searcher(index_root, on_stage=hold)
    held: list = []
    first = threading.Thread(target=lambda: held.append(searcher.search(SearchRequest(q="稀土"))))
    first.start()
    assert paused.wait(60)
    other: list = []
    second = threading.Thread(target=lambda: other.append(searcher.search(SearchRequest(q="科技"))))
    second.start()
    second.join(60)
    done_while_held = bool(other) and not held
    release.set()
    first.join(60)
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
