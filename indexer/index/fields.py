"""Article <-> the stored fields of its Whoosh document: one mapping, both directions.

The writer turns an Article into a document with `article_fields`; a merge or a manifest
rebuild turns a document back into the Article with `article_from_stored`; the reader
takes a hit's sources with `stored_sources`. Field names are the Article attribute / JSON
key names (schema.py). Importing this module loads no analyzer.

An article's MinHash signature is not a stored field (since INDEX_FORMAT 9): the manifest
holds it (write/manifest.py), nothing that reads the index needs it, and a manifest
rebuilt from the stored fields computes it again from the body (stories.signature is a
pure function of the body's text). Stored, its 256 bytes cost about 390 compressed bytes
a document, 11% of the stored fields.
"""

from __future__ import annotations

from typing import Any, Protocol

from indexer.index.constants import UNKNOWN
from indexer.models import Article


class StoryPlace(Protocol):
    """Where an article belongs among stories (write/stories.Assignment is one)."""

    group: str
    canonical: bool


def article_fields(article: Article, where: StoryPlace) -> dict[str, Any]:
    """The Whoosh document for an article and its story."""
    published = article.published or ""
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "body": article.body,
        "title_inferred": bool(article.title_inferred),
        "published": published,
        "year": published[:4] if published else UNKNOWN,
        "month": published[:7] if len(published) >= 7 else UNKNOWN,
        # A comma separates sources in the stored field: one inside a name becomes a space.
        "sources": ",".join(s.replace(",", " ") for s in article.sources),
        "site": article.site or "",
        # Neither a league's name nor a document value holds a comma (extract/documents.py).
        "regions": ",".join(article.regions),
        "documents": ",".join(article.documents),
        "content_hash": article.content_hash,
        "file_hash": article.file_hash,
        "encoding": article.encoding,
        "group": where.group,
        "canonical": where.canonical,
    }


def stored_sources(stored: dict[str, Any]) -> tuple[str, ...]:
    """The sources of a stored document, in the page's order."""
    raw = stored.get("sources") or ""
    if isinstance(raw, (list, tuple)):
        return tuple(raw)
    return tuple(s for s in raw.split(",") if s)


def article_from_stored(stored: dict[str, Any]) -> Article:
    """Rebuild an Article from a document's stored fields (to rewrite its story)."""
    return Article(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title", ""),
        title_inferred=bool(stored.get("title_inferred")),
        published=stored.get("published") or None,
        sources=stored_sources(stored),
        site=stored.get("site") or None,
        body=stored.get("body", ""),
        content_hash=stored.get("content_hash", ""),
        file_hash=stored.get("file_hash", ""),
        encoding=stored.get("encoding", "utf-8"),
        regions=stored_values(stored, "regions"),
        documents=stored_values(stored, "documents"),
    )


def stored_values(stored: dict[str, Any], name: str) -> tuple[str, ...]:
    """A comma-separated stored keyword field (regions, documents), in the article's order."""
    return tuple(v for v in (stored.get(name) or "").split(",") if v)
