"""HTML pages: the search page (with its landing state) and the article view.

Each view computes one context object from one `SearchResult` (or article record) and renders
it once at the end; links are built from the parsed `SearchRequest`, so every page URL holds
the whole state, and the JSON twin is the same query string on `/api/search`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup

from indexer.corpus import contained
from indexer.extract.pipeline import article_id
from indexer.models import FacetValue, SearchRequest, SearchResult
from webui.engine import get_article, get_stats, index_version, run_search
from webui.errors import NotFound
from webui.feed import FEED_PER_PAGE, FEED_TYPE, build_feed
from webui.params import (
    MAX_QUERY_CHARS,
    UNKNOWN,
    has_filters,
    parse_search_args,
    query_args,
    to_query,
    with_filter,
    without_filter,
)
from webui.regions_chart import build_region_chart
from webui.timeline import build_timeline, period_label

bp = Blueprint("html", __name__)

FACETS = (  # result key, URL parameter, SearchRequest attribute, heading
    ("sources", "source", "sources", "来源"),
    ("site", "site", "sites", "站点"),
    ("year", "year", "years", "年份"),
    ("month", "month", "months", "月份"),
    ("regions", "region", "regions", "地区"),
    ("documents", "document", "documents", "政策文件"),
)
SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
FACET_LIMIT = 12
MAX_PATH_CHARS = 1024  # longer than any corpus path: refused before any lookup
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    count: int | None = None
    active: bool = False
    key: str = ""


@dataclass(frozen=True)
class FacetGroup:
    param: str
    title: str
    links: tuple[Link, ...]  # the first FACET_LIMIT values, shown
    rest: tuple[Link, ...] = ()  # the others, folded away under "另有 N 项"

    @property
    def more(self) -> int:
        return len(self.rest)

    @property
    def rest_active(self) -> bool:
        """A selected value among the folded ones: the fold starts open to show it."""
        return any(link.active for link in self.rest)


def value_label(param: str, value: str) -> str:
    """How a facet value reads on the page (periods in Chinese, unknown buckets named)."""
    if param in ("year", "month"):
        return period_label(value)
    if value == UNKNOWN:
        return "未注明"
    return value


def _page_url(req: SearchRequest) -> str:
    return url_for("html.search") + to_query(req)


def facet_groups(result: SearchResult, req: SearchRequest) -> list[FacetGroup]:
    """Each facet's values as links that add (or, when active, remove) that filter."""
    groups = []
    for key, param, attr, title in FACETS:
        values: tuple[FacetValue, ...] = result.facets.get(key, ())
        active = getattr(req, attr)
        links = []
        for fv in values:
            on = fv.value in active
            target = (
                without_filter(req, param, fv.value) if on else with_filter(req, param, fv.value)
            )
            links.append(Link(value_label(param, fv.value), _page_url(target), fv.count, on))
        groups.append(
            FacetGroup(param, title, tuple(links[:FACET_LIMIT]), tuple(links[FACET_LIMIT:]))
        )
    return groups


def chips(req: SearchRequest) -> list[Link]:
    """One removable chip per active filter."""
    out = []
    for _key, param, attr, title in FACETS:
        for value in getattr(req, attr):
            label = f"{title}：{value_label(param, value)}"
            out.append(Link(label, _page_url(without_filter(req, param, value))))
    if req.date_from:
        out.append(Link(f"起始：{req.date_from}", _page_url(without_filter(req, "from"))))
    if req.date_to:
        out.append(Link(f"截止：{req.date_to}", _page_url(without_filter(req, "to"))))
    return out


def sort_links(req: SearchRequest) -> list[Link]:
    # Without a query there is nothing to rank: the engine lists newest first, so say so.
    effective = "newest" if not req.q.strip() and req.sort == "relevance" else req.sort
    return [
        Link(label, _page_url(replace(req, sort=key, page=1)), active=effective == key, key=key)
        for key, label in SORT_LABELS.items()
    ]


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    prev: str | None
    next: str | None
    numbers: tuple[Link, ...]


def pagination(result: SearchResult, req: SearchRequest, window: int = 2) -> Pagination:
    """Previous/next and a few page numbers around the current page."""
    pages = max(1, math.ceil(result.total / req.per_page))
    page = req.page
    first, last = max(1, page - window), min(pages, page + window)
    numbers = tuple(
        Link(str(n), _page_url(replace(req, page=n)), active=n == page)
        for n in range(first, last + 1)
    )
    prev = _page_url(replace(req, page=page - 1)) if page > 1 else None
    nxt = _page_url(replace(req, page=page + 1)) if page < pages else None
    return Pagination(page, pages, prev, nxt, numbers)


def search_context(req: SearchRequest, result: SearchResult) -> dict[str, Any]:
    """Everything the search template shows, computed from one request and one result."""
    landing = not req.q and not has_filters(req)
    query_string = request.query_string.decode("utf-8", "replace")
    return {
        "req": req,
        "result": result,
        "hits": [_hit_view(hit) for hit in result.hits],
        "facets": facet_groups(result, req),
        "chips": chips(req),
        "clear_filters": _page_url(SearchRequest(q=req.q, sort=req.sort, per_page=req.per_page)),
        "sorts": sort_links(req),
        "pager": pagination(result, req),
        "timeline": build_timeline(result.timeline, req, url_for("html.search")),
        "regions": build_region_chart(
            result.facets.get("regions", ()), req, url_for("html.search")
        ),
        "json_url": url_for("api.search") + ("?" + query_string if query_string else ""),
        "feed_url": url_for("html.feed") + ("?" + query_string if query_string else ""),
        "export_url": url_for("api.export") + "?" + (query_string + "&" if query_string else ""),
        "stats": get_stats() if landing else None,
        "landing": landing,
        "hidden": _hidden_fields(req, dates=True),
        "hidden_for_dates": _hidden_fields(req, dates=False),
        "max_query": MAX_QUERY_CHARS,
    }


def _hidden_fields(req: SearchRequest, dates: bool) -> list[tuple[str, str]]:
    """State a form carries along: a new query keeps the filters, new dates keep the query."""
    pairs = [] if dates or not req.q else [("q", req.q)]
    for _key, param, attr, _title in FACETS:
        pairs.extend((param, v) for v in getattr(req, attr))
    if dates and req.date_from:
        pairs.append(("from", req.date_from))
    if dates and req.date_to:
        pairs.append(("to", req.date_to))
    if req.sort != "relevance":
        pairs.append(("sort", req.sort))
    if req.per_page != SearchRequest.per_page:
        pairs.append(("per_page", str(req.per_page)))
    return pairs


def _hit_view(hit) -> dict[str, Any]:
    """A hit with its engine-made snippet and title trusted (the engine escapes text and
    adds only <mark>); a hit without title_html shows its plain title, escaped here."""
    title = Markup(hit.title_html) if hit.title_html else hit.title
    return {"hit": hit, "snippet": Markup(hit.snippet_html), "title": title}


@bp.get("/", endpoint="search")
def results_page():
    req = parse_search_args(query_args(request.query_string))
    result = run_search(req)
    return render_template("search.html", **search_context(req, result))


@bp.get("/feed.atom")
def feed():
    """The search page's query as an Atom feed: newest first, FEED_PER_PAGE entries unless
    per_page says otherwise. ETag and Last-Modified come from the index generation, so a
    reader polling an unchanged index gets a 304 without a search being run."""
    args = query_args(request.query_string)
    req = parse_search_args(args)
    req = replace(
        req, sort="newest", per_page=req.per_page if "per_page" in args else FEED_PER_PAGE
    )
    version = index_version()
    updated = datetime.now(UTC).replace(microsecond=0)
    if version is not None:
        updated = datetime.fromtimestamp(int(version[1]), UTC)
        probe = Response(status=200)
        probe.set_etag(version[0])
        probe.last_modified = updated
        probe.make_conditional(request)
        if probe.status_code == 304:
            return probe
    result = run_search(req)
    query_string = request.query_string.decode("utf-8", "replace")
    suffix = "?" + query_string if query_string else ""
    title = f"内蒙古新闻检索：{req.q}" if req.q else "内蒙古新闻检索：最新文章"
    body = build_feed(
        result,
        title=title,
        feed_key=query_string,
        self_url=url_for("html.feed", _external=True) + suffix,
        page_url=url_for("html.search", _external=True) + suffix,
        article_url={
            h.id: url_for("html.article", article_id=h.id, _external=True) for h in result.hits
        },
        updated=updated,
    )
    response = Response(body, content_type=FEED_TYPE)
    if version is not None:
        response.set_etag(version[0])
        response.last_modified = updated
    return response


@bp.get("/articles/<path:article_id>")
def article(article_id: str):
    q = request.args.get("q", "")[:MAX_QUERY_CHARS]
    record = get_article(article_id, q)
    back = url_for("html.search") + (to_query(SearchRequest(q=q)) if q else "")
    return render_template(
        "article.html",
        req=SearchRequest(q=q),
        article=record,
        body_html=Markup(record.get("body_html", "")),
        q=q,
        back=back,
        regions=[(v, _page_url(SearchRequest(regions=(v,)))) for v in record.get("regions", ())],
        documents=[
            (v, _page_url(SearchRequest(documents=(v,)))) for v in record.get("documents", ())
        ],
        json_url=url_for("api.article", article_id=article_id, **({"q": q} if q else {})),
        file_url=url_for("html.corpus_file", path=record["path"]) if record.get("path") else None,
    )


@bp.get("/files/<path:path>")
def corpus_file(path: str):
    """The original file of an indexed page as plain text, so a reader can check what the
    cleaner removed. Only indexed pages: anything else in the corpus folder (an `.env`, a
    `.git/config`, notes) is "not found", as is a name the system would refuse.

    Served as text/plain in a sandbox whatever the file holds: an HTML page from a portal
    must never run here.
    """
    data = read_corpus_file(Path(current_app.config["CORPUS"]), path)
    charset = _guess_charset(data)
    response = Response(data, content_type=f"text/plain; charset={charset}")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def read_corpus_file(corpus: Path, relpath: str) -> bytes:
    """Bytes of the indexed page stored at `relpath` in the corpus, or `NotFound`.

    The page is looked up in the index by the id its path gives; the file must still be a
    regular file inside the corpus folder (corpus.contained, the one containment check).
    """
    missing = NotFound(f"语料中没有已收录的文件 {relpath[:100]!r}")
    if len(relpath) > MAX_PATH_CHARS or _UNPRINTABLE.search(relpath):
        raise missing
    record = get_searcher_article(article_id(relpath))
    if record is None or record.get("path") != relpath:
        raise missing
    target = contained(corpus, relpath)
    if target is None:
        raise missing
    try:
        return target.read_bytes()
    except OSError:
        raise missing from None


def get_searcher_article(doc_id: str) -> dict[str, Any] | None:
    """The indexed article with this id, or None (without highlights: only the path counts)."""
    try:
        return get_article(doc_id)
    except NotFound:
        return None


def _guess_charset(data: bytes) -> str:
    """Portal dumps are UTF-8 or GB18030; tell the browser which, so it does not guess."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"
