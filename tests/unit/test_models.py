"""The records that flow through the indexer (models.py): frozen, one vocabulary with the
index and the JSON, and JSON forms that `python -m indexer extract` prints and counts."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.models import Article, RawPage, SearchRequest, SearchResult, Skipped

ARTICLE = Article(
    id="a1",
    path="科技/通知.html",
    title="关于开展科技创新工作的通知",
    title_inferred=False,
    published="2024-03-15",
    sources=("科技日报", "新华社"),
    site="某某市科学技术局",
    body="第一段。\n第二段。",
    content_hash="h1",
    regions=("内蒙古",),
    documents=("《科技进步法》",),
)


def test_records_are_frozen() -> None:
    """A stage may not quietly change what an earlier stage produced."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        ARTICLE.title = "改过的标题"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        SearchRequest().q = "x"  # type: ignore[misc]
    page = RawPage(path="p.txt", text="正文。", kind="text", encoding="utf-8", file_hash="f")
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.text = "别的正文。"  # type: ignore[misc]


def test_article_json_keys_are_its_attributes_and_tuples_become_lists() -> None:
    """The JSON key is the attribute's name; lists, not tuples, so the output is plain JSON
    whatever serialiser reads it."""
    data = ARTICLE.to_json()
    assert list(data) == [f.name for f in dataclasses.fields(Article)]
    assert data["sources"] == ["科技日报", "新华社"]
    assert data["regions"] == ["内蒙古"] and data["documents"] == ["《科技进步法》"]
    assert data["published"] == "2024-03-15" and data["file_hash"] == ""
    assert data["encoding"] == "utf-8"


def test_article_json_does_not_alias_the_article() -> None:
    """Changing the JSON a caller got leaves the frozen article as it was."""
    ARTICLE.to_json()["sources"].append("别的来源")
    assert ARTICLE.sources == ("科技日报", "新华社")


_texts = st.text(max_size=20)


@given(
    st.builds(
        Article,
        id=_texts,
        path=_texts,
        title=_texts,
        title_inferred=st.booleans(),
        published=st.none() | _texts,
        sources=st.tuples(_texts, _texts),
        site=st.none() | _texts,
        body=_texts,
        content_hash=_texts,
        regions=st.lists(_texts, max_size=3).map(tuple),
        documents=st.lists(_texts, max_size=3).map(tuple),
    )
)
def test_article_json_round_trips_and_is_never_an_error(article: Article) -> None:
    """`extract` counts a printed record with an "error" key as a failure: an article's
    JSON never has one, and reads back into the same article."""
    data = json.loads(json.dumps(article.to_json(), ensure_ascii=False))
    assert "error" not in data
    for key in ("sources", "regions", "documents"):
        data[key] = tuple(data[key])
    assert Article(**data) == article


def test_skipped_json_says_error_with_the_reason() -> None:
    """ "path" and "error" are the keys scripts read from `extract` output for a skipped file."""
    skipped = Skipped(path="坏/页面.html", reason="no article text", file_hash="f")
    assert skipped.to_json() == {"path": "坏/页面.html", "error": "no article text"}


def test_a_default_search_request_lists_the_first_page_by_relevance() -> None:
    """The web page, the JSON API and the CLI all start from these defaults."""
    req = SearchRequest()
    assert (req.q, req.sort, req.page, req.per_page) == ("", "relevance", 1, 10)
    assert (req.date_from, req.date_to, req.sources, req.sites) == (None, None, (), ())


def test_search_results_do_not_share_their_facets() -> None:
    """Each result starts with its own empty facets: filling one must not fill another."""
    a = SearchResult(query="", total=0, page=1, per_page=10, took_ms=0.0, hits=())
    b = SearchResult(query="", total=0, page=1, per_page=10, took_ms=0.0, hits=())
    a.facets["site"] = ()
    assert b.facets == {} and not b.partial and b.timeline == ()
