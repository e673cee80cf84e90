"""views: the pure parts of the HTML pages, each computed from one request and one result:
facet links and their fold, chips, sort links, the pager, the state forms carry, the
charset of an original file, and which corpus files may be served at all. The rendered
pages are tested in tests/web/test_html.py and test_facets.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask

from indexer.extract.pipeline import article_id
from indexer.models import FacetValue, SearchRequest
from tests.web.conftest import FakeSearcher, make_result
from webui import create_app, views
from webui.errors import NotFound


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    indexed = {"id": article_id("dir/a.txt"), "path": "dir/a.txt"}
    fake = FakeSearcher(articles={indexed["id"]: indexed})
    app = create_app({"SEARCHER": fake, "CORPUS": str(tmp_path), "INDEX": str(tmp_path / "ix")})
    with app.test_request_context("/"):
        yield app


def query(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


@pytest.mark.parametrize(
    ("param", "value", "label"),
    [("year", "2024", "2024年"), ("month", "2024-03", "2024年3月"), ("year", "unknown", "日期不详"),
     ("source", "unknown", "未注明"), ("source", "内蒙古日报", "内蒙古日报")],
)  # fmt: skip
def test_value_label(param: str, value: str, label: str) -> None:
    assert views.value_label(param, value) == label


def test_facet_links_add_a_filter_and_an_active_one_removes_it(app: Flask) -> None:
    req = SearchRequest(q="科技", sources=("内蒙古日报",), page=3)
    groups = {g.param: g for g in views.facet_groups(make_result(req), req)}
    assert [g.param for g in groups.values()] == [f[1] for f in views.FACETS]
    on, off = groups["source"].links
    assert on.active and query(on.href) == [("q", "科技")]  # removed, back on page 1
    assert not off.active
    assert query(off.href) == [("q", "科技"), ("source", "内蒙古日报"), ("source", "科技日报")]


def test_values_past_the_limit_fold_away_and_open_when_one_is_selected(app: Flask) -> None:
    values = tuple(FacetValue(f"站{n}", 100 - n) for n in range(views.FACET_LIMIT + 3))
    req = SearchRequest(sites=("站13",))
    result = make_result(req, facets={"site": values})
    site = next(g for g in views.facet_groups(result, req) if g.param == "site")
    assert len(site.links) == views.FACET_LIMIT and site.more == 3
    assert site.rest_active and [link.label for link in site.rest if link.active] == ["站13"]


def test_one_chip_per_active_filter_each_removing_only_itself(app: Flask) -> None:
    req = SearchRequest(q="稀土", years=("2024",), regions=("包头市",), date_from="2024-01-01")
    chips = views.chips(req)
    assert [c.label for c in chips] == ["年份：2024年", "地区：包头市", "起始：2024-01-01"]
    assert query(chips[0].href) == [("q", "稀土"), ("region", "包头市"), ("from", "2024-01-01")]
    assert query(chips[2].href) == [("q", "稀土"), ("year", "2024"), ("region", "包头市")]


def test_sort_links_mark_newest_when_there_is_nothing_to_rank(app: Flask) -> None:
    assert [s.key for s in views.sort_links(SearchRequest()) if s.active] == ["newest"]
    ranked = views.sort_links(SearchRequest(q="稀土", page=4))
    assert [s.key for s in ranked if s.active] == ["relevance"]
    assert all(("page", "4") not in query(s.href) for s in ranked)  # a new order: page 1


@pytest.mark.parametrize(
    ("total", "page", "numbers", "prev", "nxt"),
    [(0, 1, ["1"], False, False), (10, 1, ["1"], False, False),
     (95, 1, ["1", "2", "3"], False, True), (95, 5, ["3", "4", "5", "6", "7"], True, True),
     (95, 10, ["8", "9", "10"], True, False)],
)  # fmt: skip
def test_pagination_window(
    app: Flask, total: int, page: int, numbers: list[str], prev: bool, nxt: bool
) -> None:
    req = SearchRequest(q="x", page=page)
    pager = views.pagination(make_result(req, total=total), req)
    assert [n.label for n in pager.numbers] == numbers
    assert [n.label for n in pager.numbers if n.active] == [str(page)]
    assert (pager.prev is not None, pager.next is not None) == (prev, nxt)
    assert pager.pages == max(1, -(-total // 10))


def test_forms_carry_the_state_a_new_query_or_new_dates_must_keep() -> None:
    req = SearchRequest(q="稀土", sites=("站",), date_to="2024-02-01", sort="oldest", per_page=20)
    assert views._hidden_fields(req, dates=True) == [
        ("site", "站"), ("to", "2024-02-01"), ("sort", "oldest"), ("per_page", "20")
    ]  # fmt: skip
    assert views._hidden_fields(req, dates=False) == [
        ("q", "稀土"), ("site", "站"), ("sort", "oldest"), ("per_page", "20")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "charset"),
    [("科技".encode(), "utf-8"), ("科技".encode("gb18030"), "gb18030"), (b"", "utf-8")],
)
def test_guess_charset(data: bytes, charset: str) -> None:
    assert views._guess_charset(data) == charset


def test_a_corpus_file_is_served_only_when_indexed_under_that_path(
    app: Flask, tmp_path: Path
) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.txt").write_bytes(b"page")
    (tmp_path / "dir" / "b.txt").write_bytes(b"not indexed")
    assert views.read_corpus_file(tmp_path, "dir/a.txt") == b"page"
    for relpath in ["dir/b.txt", "dir/../dir/a.txt", "/dir/a.txt", "dir/a.txt\x00", "x" * 2000]:
        with pytest.raises(NotFound):
            views.read_corpus_file(tmp_path, relpath)


def test_an_indexed_path_that_became_a_link_out_of_the_corpus_is_not_served(
    app: Flask, tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_bytes(b"secret")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.txt").symlink_to(outside)
    with pytest.raises(NotFound):
        views.read_corpus_file(tmp_path, "dir/a.txt")


def test_hit_view_trusts_engine_markup_and_escapes_a_plain_title() -> None:
    hit = make_result(SearchRequest(), total=1).hits[0]
    view = views._hit_view(replace(hit, title="<b>x</b>", title_html=""))
    assert str(view["title"]) == "<b>x</b>" and not hasattr(view["title"], "__html__")
    assert views._hit_view(hit)["snippet"].__html__() == hit.snippet_html
