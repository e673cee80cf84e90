"""A search result as JSON: the keys users' scripts read, for the CLI and the API alike."""

from __future__ import annotations

import json

from indexer.models import AlsoAt, FacetValue, Hit, SearchResult
from indexer.read.result_json import hit_json, result_json

HIT = Hit(
    id="a1",
    path="a1.txt",
    title="稀土",
    title_inferred=False,
    snippet_html="<mark>稀土</mark>产业",
    published="2023-03-05",
    sources=("内蒙古日报", "新华社"),
    site="站甲",
    score=1.5,
    also_at=(AlsoAt("a2", "站乙", None, "a2.txt", "稀土"),),
    title_html="<mark>稀土</mark>",
)


def test_a_hit_keeps_every_attribute_under_its_name_with_lists_for_tuples() -> None:
    assert hit_json(HIT) == {
        "id": "a1",
        "path": "a1.txt",
        "title": "稀土",
        "title_inferred": False,
        "snippet_html": "<mark>稀土</mark>产业",
        "published": "2023-03-05",
        "sources": ["内蒙古日报", "新华社"],
        "site": "站甲",
        "score": 1.5,
        "also_at": [
            {"id": "a2", "site": "站乙", "published": None, "path": "a2.txt", "title": "稀土"}
        ],
        "title_html": "<mark>稀土</mark>",
    }


def test_a_result_carries_its_page_facets_and_timeline() -> None:
    result = SearchResult(
        query="稀土",
        total=3,
        page=2,
        per_page=1,
        took_ms=4.0,
        hits=(HIT,),
        facets={"site": (FacetValue("站甲", 2), FacetValue("站乙", 1))},
        timeline=(FacetValue("2023-03", 3),),
        partial=True,
    )
    body = result_json(result)
    assert list(body) == [
        "query", "total", "page", "per_page", "took_ms", "partial", "hits", "facets", "timeline"
    ]  # fmt: skip
    assert (body["query"], body["total"], body["page"], body["per_page"]) == ("稀土", 3, 2, 1)
    assert body["took_ms"] == 4.0 and body["partial"] is True
    assert body["hits"] == [hit_json(HIT)]
    assert body["facets"] == {
        "site": [{"value": "站甲", "count": 2}, {"value": "站乙", "count": 1}]
    }
    assert body["timeline"] == [{"value": "2023-03", "count": 3}]
    assert json.loads(json.dumps(body, ensure_ascii=False)) == body  # plain JSON types only


def test_an_empty_result_has_empty_lists_not_missing_keys() -> None:
    body = result_json(SearchResult("", 0, 1, 10, 0.1, ()))
    assert body["hits"] == [] and body["facets"] == {} and body["timeline"] == []
