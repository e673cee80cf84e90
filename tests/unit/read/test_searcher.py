"""The Searcher over a small hand-made index: matching, stories, filters, facets, sorts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.index.constants import UNKNOWN
from indexer.models import SearchRequest
from indexer.read.searcher import Searcher
from tests.unit.read.small_index import Doc, facet, ids, write_index


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
