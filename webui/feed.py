"""An Atom 1.0 rendering of a search result, for feed readers.

Same `SearchResult` as the page and its JSON twin; the XML is built with ElementTree so
every title, source and snippet is escaped by the serializer, never by hand.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from indexer.models import Hit, SearchResult
from indexer.read.export import snippet_text

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_TYPE = "application/atom+xml; charset=utf-8"
FEED_PER_PAGE = 50  # a feed reader polls for what is new: one larger page, newest first
TAG_AUTHORITY = "tag:nmg-news-search,2024"  # fixed: entry ids must never change

ET.register_namespace("", ATOM_NS)


def entry_id(article_id: str) -> str:
    """A stable tag: URI from the article id, the same whatever host serves the feed."""
    return f"{TAG_AUTHORITY}:article:{article_id}"


def atom_date(value: str | None, fallback: datetime) -> str:
    """An RFC 3339 timestamp from an ISO date or date-time; undated entries get `fallback`."""
    if value:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return when.isoformat(timespec="seconds")
    return fallback.isoformat(timespec="seconds")


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrs)
    if text is not None:
        el.text = text
    return el


def _entry(feed: ET.Element, hit: Hit, article_url: str, fallback: datetime) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", entry_id(hit.id))
    _sub(entry, "title", hit.title or hit.id, type="text")
    when = atom_date(hit.published, fallback)
    _sub(entry, "updated", when)
    if hit.published:
        _sub(entry, "published", when)
    _sub(entry, "link", rel="alternate", type="text/html", href=article_url)
    _sub(entry, "summary", snippet_text(hit.snippet_html), type="text")
    for source in hit.sources:
        author = _sub(entry, "author")
        _sub(author, "name", source)
    if hit.site:
        _sub(entry, "category", term=hit.site, label=hit.site)


def build_feed(
    result: SearchResult,
    *,
    title: str,
    feed_key: str,
    self_url: str,
    page_url: str,
    article_url: dict[str, str],
    updated: datetime,
) -> bytes:
    """The feed document as UTF-8 bytes. `feed_key` (the query string) makes the feed's id;
    `article_url` maps each hit id to its page link;
    `updated` (the index's time) stands in for entries without a date."""
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", f"{TAG_AUTHORITY}:search?{feed_key}")
    _sub(feed, "title", title, type="text")
    _sub(feed, "updated", updated.isoformat(timespec="seconds"))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = _sub(feed, "author")
    _sub(author, "name", "内蒙古新闻检索")
    for hit in result.hits:
        _entry(feed, hit, article_url[hit.id], updated)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
