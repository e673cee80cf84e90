"""Fixtures for the web surface: an app over a test double, and an app over a real index.

The double (`FakeSearcher`) lets rendering and parameter tests pin exact hits and facets;
the real-index fixtures build seeds/ plus a hostile page once per session and serve it
through the same `create_app`.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from indexer.models import FacetValue, Hit, SearchRequest, SearchResult
from webui import create_app

DATA = Path(__file__).resolve().parent / "data"
XSS_PAGE = DATA / "xss_page.txt"
TOKEN = "s3cret-token"


def make_hit(n: int, **overrides: Any) -> Hit:
    """A hit with predictable values: id a<n>, title 标题<n>, one highlighted word."""
    values: dict[str, Any] = {
        "id": f"a{n}",
        "path": f"dir/a{n}.txt",
        "title": f"标题{n}",
        "title_html": f"<mark>标题</mark>{n}",
        "title_inferred": False,
        "snippet_html": f"关于<mark>科技</mark>创新的第{n}篇",
        "published": f"2024-01-{n:02d}",
        "sources": ("内蒙古日报",),
        "site": "www.nmg.gov.cn",
        "score": 10.0 - n,
        "also_at": (),
    }
    if "title" in overrides and "title_html" not in overrides:
        values["title_html"] = html.escape(overrides["title"], quote=False)
    values.update(overrides)
    return Hit(**values)


def make_result(req: SearchRequest, total: int = 3, **overrides: Any) -> SearchResult:
    """A result page consistent with `req` (hits numbered by their position in the list)."""
    start = (req.page - 1) * req.per_page
    hits = tuple(make_hit(i + 1) for i in range(start, min(total, start + req.per_page)))
    values: dict[str, Any] = {
        "query": req.q,
        "total": total,
        "page": req.page,
        "per_page": req.per_page,
        "took_ms": 1.5,
        "hits": hits,
        "facets": {
            "sources": (FacetValue("内蒙古日报", total), FacetValue("科技日报", 1)),
            "site": (FacetValue("www.nmg.gov.cn", total),),
            "year": (FacetValue("2024", total - 1), FacetValue("unknown", 1)),
            "month": (FacetValue("2024-01", total - 1), FacetValue("unknown", 1)),
            "regions": (FacetValue("包头市", total), FacetValue("锡林郭勒盟", 1)),
            "documents": (FacetValue("内政发〔2023〕12号", 2), FacetValue("科技创新条例", 1)),
        },
        "timeline": (FacetValue("2023-12", 1), FacetValue("2024-01", total - 1)),
    }
    values.update(overrides)
    return SearchResult(**values)


ARTICLE = {
    "id": "a1",
    "path": "dir/a1.txt",
    "title": "标题1",
    "title_inferred": False,
    "published": "2024-01-01",
    "sources": ["内蒙古日报"],
    "site": "www.nmg.gov.cn",
    "body": "第一段科技。\n第二段。",
    "regions": ["包头市"],
    "documents": ["内政发〔2023〕12号", "科技创新条例"],
    "related": [{"id": "c1", "title": "相关<b>报道</b>", "published": "2023-05-01", "site": None}],
    "body_html": "<p>第一段<mark>科技</mark>。</p><p>第二段。</p>",
    "content_hash": "h",
    "file_hash": "f",
    "encoding": "utf-8",
    "also_at": [
        {
            "id": "b1",
            "site": "kjt.nmg.gov.cn",
            "published": "2024-01-02",
            "path": "b1.txt",
            "title": "标题1",
        }
    ],
}


@dataclass
class FakeSearcher:
    """Stands in for indexer.read.searcher.Searcher; remembers every request it was asked."""

    total: int = 3
    result_overrides: dict[str, Any] = field(default_factory=dict)
    articles: dict[str, dict[str, Any]] = field(default_factory=lambda: {"a1": ARTICLE})
    requests: list[SearchRequest] = field(default_factory=list)

    def search(self, req: SearchRequest) -> SearchResult:
        self.requests.append(req)
        return make_result(req, self.total, **self.result_overrides)

    def stories(self, req: SearchRequest) -> Iterator[Hit]:
        self.requests.append(req)
        yield from make_result(replace(req, page=1, per_page=self.total), self.total).hits

    def article(self, id: str, q: str = "") -> dict[str, Any] | None:
        return self.articles.get(id)

    def stats(self) -> dict[str, Any]:
        return {
            "articles": 7,
            "stories": 5,
            "sources": 4,
            "sites": 3,
            "date_min": "2022-05-01",
            "date_max": "2024-03-05",
            "examples": ["科技创新", "稀土"],
        }


@pytest.fixture
def fake() -> FakeSearcher:
    return FakeSearcher()


@pytest.fixture
def app(fake: FakeSearcher, tmp_path: Path):
    return create_app({"SEARCHER": fake, "CORPUS": str(tmp_path), "INDEX": str(tmp_path / "ix")})


@pytest.fixture
def client(app):
    return app.test_client()


# --- the real engine ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_corpus(tmp_path_factory, seeds_dir: Path) -> Path:
    """seeds/ plus the hostile page, copied so uploads and deletes never touch the repo."""
    corpus = tmp_path_factory.mktemp("corpus")
    for path in seeds_dir.iterdir():
        if path.is_file():
            shutil.copy(path, corpus / path.name)
    shutil.copy(XSS_PAGE, corpus / XSS_PAGE.name)
    return corpus


@pytest.fixture(scope="session")
def real_index(real_corpus: Path, tmp_path_factory) -> Path:
    from indexer.write import build

    index_root = tmp_path_factory.mktemp("index") / "index"
    build(real_corpus, index_root)
    return index_root


@pytest.fixture(scope="session")
def real_app(real_index: Path, real_corpus: Path):
    return create_app({"INDEX": str(real_index), "CORPUS": str(real_corpus)})


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


# --- writes ------------------------------------------------------------------------------

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE_TEXT = (Path(__file__).resolve().parent / "data" / "upload_article.txt").read_bytes()


@pytest.fixture
def guarded(fake, tmp_path):
    """An app over the double with writes enabled and a 2 KB upload limit."""
    app = create_app(
        {
            "SEARCHER": fake,
            "CORPUS": str(tmp_path),
            "INDEX": str(tmp_path / "ix"),
            "API_TOKEN": TOKEN,
            "MAX_UPLOAD_BYTES": 2048,
        }
    )
    return app.test_client()


@pytest.fixture
def live(tmp_path, seeds_dir: Path):
    """(client, corpus) over a real index built from a copy of seeds/, writes enabled."""
    from indexer.write import build

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    corpus.chmod(0o755)
    build(corpus, tmp_path / "index")
    app = create_app({"INDEX": str(tmp_path / "index"), "CORPUS": str(corpus), "API_TOKEN": TOKEN})
    return app.test_client(), corpus


def error_code(response) -> str:
    return response.get_json()["error"]["code"]
