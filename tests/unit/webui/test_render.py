"""Every JSON body comes from webui/render.py: its keys, in the order clients see them."""

from __future__ import annotations

import pytest

from indexer.models import SearchRequest
from tests.web.conftest import ARTICLE, make_result
from webui import render
from webui.errors import ApiError, NotFound


def test_search_body_holds_the_page_its_facets_and_its_timeline() -> None:
    body = render.search_body(make_result(SearchRequest(q="科技"), total=3))
    assert list(body) == [
        "query",
        "total",
        "page",
        "per_page",
        "took_ms",
        "partial",
        "hits",
        "facets",
        "timeline",
    ]
    assert body["timeline"] == [{"value": "2023-12", "count": 1}, {"value": "2024-01", "count": 2}]
    assert [h["id"] for h in body["hits"]] == ["a1", "a2", "a3"]
    assert body["facets"]["year"] == [
        {"value": "2024", "count": 2},
        {"value": "unknown", "count": 1},
    ]


def test_article_body_is_the_record_and_a_deletion_names_it() -> None:
    assert render.article_body(ARTICLE) == ARTICLE
    assert render.deleted_body(ARTICLE) == {"id": "a1", "path": "dir/a1.txt", "deleted": True}


@pytest.mark.parametrize(
    ("err", "code", "message"),
    [
        (NotFound("没有这篇文章"), "not_found", "没有这篇文章"),
        (ApiError("慢", code="search_timeout", status=503), "search_timeout", "慢"),
    ],
)
def test_error_body_is_the_one_envelope(err: ApiError, code: str, message: str) -> None:
    assert render.error_body(err) == {"error": {"code": code, "message": message}}
