"""The one place the web layer calls the search engine.

Pages and API endpoints both go through `run_search` and `get_article`, so a results page
and its JSON twin come from the same `SearchResult`. The `Searcher` is opened lazily and
shared by all threads (it is thread-safe and notices new index commits by itself); a test
can hand the app any object with the same three methods through `config["SEARCHER"]`.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from flask import current_app

from indexer.models import Hit, SearchRequest, SearchResult
from webui.errors import ApiError, IndexUnavailable, NotFound

log = logging.getLogger(__name__)
_open_lock = threading.Lock()


class SearcherLike(Protocol):
    """What the web layer needs from `indexer.read.searcher.Searcher`."""

    def search(self, req: SearchRequest) -> SearchResult: ...

    def stories(self, req: SearchRequest) -> Iterator[Hit]: ...

    def article(self, id: str, q: str = "") -> dict[str, Any] | None: ...

    def stats(self) -> dict[str, Any]: ...

    def version(self) -> tuple[str, float]: ...


def get_searcher() -> SearcherLike:
    """The app's searcher, opened on first use so the server can start before the index exists.

    Opening is retried on later requests after a failure: building the index while the
    server runs should make it work without a restart.
    """
    app = current_app
    searcher = app.config.get("SEARCHER")
    if searcher is not None:
        return searcher
    with _open_lock:
        searcher = app.config.get("SEARCHER")
        if searcher is None:
            searcher = _open(Path(app.config["INDEX"]), app.config["SEARCH_SECONDS"])
            app.config["SEARCHER"] = searcher
    return searcher


def _open(index_root: Path, seconds: float) -> SearcherLike:
    from indexer.read.searcher import Searcher

    try:
        return Searcher(index_root, time_budget=seconds)
    except Exception as exc:  # any failure here means "no usable index", said once, clearly
        log.warning("cannot open index at %s: %s", index_root, exc)
        raise IndexUnavailable(
            f"无法打开索引：请先运行 python -m indexer build（{type(exc).__name__}）"
        ) from exc


@contextmanager
def _index_present() -> Iterator[None]:
    """Turn "the index is not there (yet)" into a 503 the user can act on."""
    from indexer.index.errors import IndexDamaged, IndexNotFound, IndexOutdated
    from indexer.read.searcher import SearchTimeout

    try:
        yield
    except SearchTimeout as exc:
        raise ApiError(
            "查询超时：请换一个更具体的查询后重试", code="search_timeout", status=503
        ) from exc
    except (IndexOutdated, IndexDamaged) as exc:
        index_root = current_app.config["INDEX"]
        log.warning("unusable index at %s: %s", index_root, exc)
        raise IndexUnavailable(
            "索引无法使用（由旧版本写入或已损坏）：请重新运行 python -m indexer build"
        ) from exc
    except IndexNotFound as exc:
        index_root = current_app.config["INDEX"]
        log.warning("no index at %s: %s", index_root, exc)
        raise IndexUnavailable("索引不存在：请先运行 python -m indexer build") from exc


def run_search(req: SearchRequest) -> SearchResult:
    """Run one search; the page and the API render whatever this returns."""
    with _index_present():
        return get_searcher().search(req)


def export_stories(req: SearchRequest) -> Iterator[Hit]:
    """Every story `req` matches, for a streamed export. The first row is made here,
    before the response starts, so a missing or unusable index is a 503 with its message,
    not a download that breaks off."""
    with _index_present():
        rows = get_searcher().stories(req)
        first = next(rows, None)
    return iter(()) if first is None else itertools.chain((first,), rows)


def get_article(article_id: str, q: str = "") -> dict[str, Any]:
    """The article record with highlights for `q`, or `NotFound`."""
    with _index_present():
        record = get_searcher().article(article_id, q)
    if record is None:
        raise NotFound(f"没有编号为 {article_id[:100]!r} 的文章")
    return record


def get_stats() -> dict[str, Any]:
    """Corpus statistics for the landing page."""
    with _index_present():
        return get_searcher().stats()


def index_version() -> tuple[str, float] | None:
    """(tag, time) of the index being served, or None when the searcher cannot say."""
    version = getattr(get_searcher(), "version", None)
    if version is None:
        return None
    with _index_present():
        return version()


def warm(app: Any) -> bool:
    """Open `app`'s index in this process before it serves: opening takes seconds at
    100,000 articles, and each worker process opens its own, so left to the first request
    it is a user who waits. True when the index opened; a missing or unusable one is left
    for the requests, which answer 503 saying what to do, as they would have anyway."""
    with app.app_context():
        try:
            return index_version() is not None
        except ApiError:
            return False
