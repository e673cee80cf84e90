"""feed: the Atom document built from a result, without the app: stable entry ids, RFC 3339
dates with a fallback for undated entries, and every text escaped by the serializer. The
served feed (conditional requests, links) is tested in tests/web/test_feed.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from indexer.models import SearchRequest
from tests.web.conftest import make_result
from webui.feed import ATOM_NS, TAG_AUTHORITY, atom_date, build_feed, entry_id

A = f"{{{ATOM_NS}}}"
WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_entry_ids_are_tag_uris_from_the_article_id_alone() -> None:
    assert entry_id("abc") == f"{TAG_AUTHORITY}:article:abc"
    assert TAG_AUTHORITY.startswith("tag:")


@pytest.mark.parametrize(
    ("value", "stamp"),
    [
        ("2024-01-02", "2024-01-02T00:00:00+00:00"),
        ("2024-01-02T03:04:05", "2024-01-02T03:04:05+00:00"),
        ("2024-01-02T03:04:05+08:00", "2024-01-02T03:04:05+08:00"),
        (None, "2024-05-06T07:08:09+00:00"),
        ("", "2024-05-06T07:08:09+00:00"),
        ("not a date", "2024-05-06T07:08:09+00:00"),
    ],
)
def test_atom_date(value: str | None, stamp: str) -> None:
    assert atom_date(value, WHEN) == stamp


def _feed(**hit_changes: object) -> ET.Element:
    result = make_result(SearchRequest(q="科技"), total=2)
    hits = (replace(result.hits[0], **hit_changes), result.hits[1])
    data = build_feed(
        replace(result, hits=hits),
        title="检索：科技",
        feed_key="q=科技",
        self_url="http://h/feed.atom?q=科技",
        page_url="http://h/?q=科技",
        article_url={h.id: f"http://h/articles/{h.id}" for h in hits},
        updated=WHEN,
    )
    assert data.startswith(b"<?xml")
    return ET.fromstring(data)


def test_one_entry_per_hit_in_order_with_its_links_authors_and_site() -> None:
    feed = _feed()
    assert feed.find(f"{A}id").text == f"{TAG_AUTHORITY}:search?q=科技"
    entries = feed.findall(f"{A}entry")
    assert [e.find(f"{A}id").text for e in entries] == [entry_id("a1"), entry_id("a2")]
    first = entries[0]
    assert first.find(f"{A}link").get("href") == "http://h/articles/a1"
    assert [a.find(f"{A}name").text for a in first.findall(f"{A}author")] == ["内蒙古日报"]
    assert first.find(f"{A}category").get("term") == "www.nmg.gov.cn"
    assert first.find(f"{A}summary").text == "关于科技创新的第1篇"  # marks gone: plain text
    assert first.find(f"{A}published").text == "2024-01-01T00:00:00+00:00"


def test_an_undated_entry_has_the_index_time_and_no_published() -> None:
    entry = _feed(published=None).find(f"{A}entry")
    assert entry.find(f"{A}updated").text == WHEN.isoformat(timespec="seconds")
    assert entry.find(f"{A}published") is None


def test_hostile_text_stays_text_and_an_untitled_entry_shows_its_id() -> None:
    feed = _feed(title="<script>x</script>", sources=("a&b",))
    entry = feed.find(f"{A}entry")
    assert entry.find(f"{A}title").text == "<script>x</script>"
    assert {el.tag.split("}")[0] + "}" for el in feed.iter()} == {A}
    assert _feed(title="").find(f"{A}entry").find(f"{A}title").text == "a1"
