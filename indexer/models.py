"""Records that flow through the indexer and out of the search layer.

They are frozen dataclasses so a stage cannot quietly change what an earlier stage produced.
One vocabulary end to end: an attribute here, the Whoosh field and the JSON key share a name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawPage:
    """A file decoded to text, before any cleaning.

    `kind` is "text" for plain-text dumps and "html" for HTML pages; `encoding` records what
    the bytes were decoded as, so a report can say why a page looks odd.
    """

    path: str  # relative to the corpus root, with "/" separators
    text: str
    kind: str
    encoding: str
    file_hash: str  # sha256 of the raw bytes: what incremental updates compare


@dataclass(frozen=True)
class Article:
    """A clean article: what the index stores and what readers see.

    `body` holds paragraphs joined by "\\n" in the page's own characters (display form);
    `content_hash` is the hash of the folded body, so two portals' copies of one story
    that differ only in width or script share it.
    """

    id: str
    path: str
    title: str
    title_inferred: bool
    published: str | None
    sources: tuple[str, ...]
    site: str | None
    body: str
    content_hash: str
    file_hash: str = ""
    encoding: str = "utf-8"
    # Per-article facts found after extraction (indexer/extract/regions.py, documents.py):
    # the leagues and cities it is about, the policies it mentions.
    regions: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = list(self.sources)
        data["regions"] = list(self.regions)
        data["documents"] = list(self.documents)
        return data


@dataclass(frozen=True)
class Skipped:
    """A file the pipeline could not turn into an article, with a one-line reason."""

    path: str
    reason: str
    file_hash: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "error": self.reason}


@dataclass(frozen=True)
class AlsoAt:
    """One more place a story was published: a member of a duplicate group."""

    id: str
    site: str | None
    published: str | None
    path: str
    title: str = ""


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search depends on. The web page, the JSON API and the CLI build this.

    `date_from`/`date_to` are ISO dates (inclusive); `sort` is "relevance", "newest" or
    "oldest". An empty `q` lists articles newest first.
    """

    q: str = ""
    sources: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    regions: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True)
class Hit:
    id: str
    path: str
    title: str
    title_inferred: bool
    snippet_html: str
    published: str | None
    sources: tuple[str, ...]
    site: str | None
    score: float
    also_at: tuple[AlsoAt, ...] = ()
    title_html: str = ""  # the title escaped, <mark> around the query's matches


@dataclass(frozen=True)
class SearchResult:
    """One search's answer; HTML (webui/views.py) and JSON (read/result_json.py) are two
    renderings of this object.

    `partial` is True when the request's time budget ran out while the hits were being
    rendered: the hits are all there, the later ones without highlights.
    """

    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    timeline: tuple[FacetValue, ...] = ()
    partial: bool = False
