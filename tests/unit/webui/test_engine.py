"""engine: the one call into the searcher, over test doubles: the configured searcher is
used as given, every "no usable index" becomes a 503 the operator can act on, an unknown
article is a 404, and an export's first row is read before its response starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from indexer.index.errors import IndexDamaged, IndexNotFound, IndexOutdated
from indexer.models import Hit, SearchRequest
from indexer.read.searcher import SearchTimeout
from tests.web.conftest import FakeSearcher
from webui import create_app, engine
from webui.errors import ApiError, IndexUnavailable, NotFound


class Failing(FakeSearcher):
    """A searcher whose every call raises `error`."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def search(self, req: SearchRequest) -> Any:
        raise self.error

    def stories(self, req: SearchRequest) -> Iterator[Hit]:
        raise self.error
        yield  # a generator, as the real one: the error comes at the first row

    def article(self, id: str, q: str = "") -> Any:
        raise self.error

    def stats(self) -> dict[str, Any]:
        raise self.error


def app_with(searcher: object | None, tmp_path: Path) -> Flask:
    config: dict[str, Any] = {"CORPUS": str(tmp_path), "INDEX": str(tmp_path / "ix")}
    if searcher is not None:
        config["SEARCHER"] = searcher
    return create_app(config)


def test_the_configured_searcher_is_used_as_given(tmp_path: Path) -> None:
    fake = FakeSearcher()
    with app_with(fake, tmp_path).app_context():
        assert engine.get_searcher() is fake
        assert engine.run_search(SearchRequest(q="稀土")).query == "稀土"
        assert fake.requests == [SearchRequest(q="稀土")]
        assert engine.get_stats()["articles"] == 7


def test_no_index_yet_is_a_503_on_every_request_until_one_is_built(tmp_path: Path) -> None:
    with app_with(None, tmp_path).app_context():
        for _ in range(2):
            with pytest.raises(IndexUnavailable, match="python -m indexer build"):
                engine.run_search(SearchRequest(q="稀土"))


@pytest.mark.parametrize(
    ("error", "status", "code", "says"),
    [
        (IndexNotFound("x"), 503, "index_unavailable", "请先运行"),
        (IndexOutdated("x"), 503, "index_unavailable", "重新运行"),
        (IndexDamaged("x", "a file changed"), 503, "index_unavailable", "重新运行"),
        (SearchTimeout("x"), 503, "search_timeout", "查询超时"),
    ],
)
def test_an_unusable_index_is_a_503_saying_what_to_do(
    tmp_path: Path, error: Exception, status: int, code: str, says: str
) -> None:
    calls = [
        lambda: engine.run_search(SearchRequest()),
        lambda: engine.get_article("a1"),
        lambda: engine.get_stats(),
        lambda: engine.export_stories(SearchRequest()),  # before the first row is sent
    ]
    with app_with(Failing(error), tmp_path).app_context():
        for call in calls:
            with pytest.raises(ApiError) as caught:
                call()
            assert (caught.value.status, caught.value.code) == (status, code)
            assert says in caught.value.message


def test_an_unknown_article_is_a_404_naming_a_cut_id(tmp_path: Path) -> None:
    with app_with(FakeSearcher(), tmp_path).app_context():
        assert engine.get_article("a1")["id"] == "a1"
        with pytest.raises(NotFound) as caught:
            engine.get_article("z" * 500)
        assert "z" * 100 in caught.value.message and "z" * 101 not in caught.value.message


def test_an_export_keeps_every_row_and_an_empty_one_is_empty(tmp_path: Path) -> None:
    with app_with(FakeSearcher(total=3), tmp_path).app_context():
        assert [h.id for h in engine.export_stories(SearchRequest())] == ["a1", "a2", "a3"]
    with app_with(FakeSearcher(total=0), tmp_path).app_context():
        assert list(engine.export_stories(SearchRequest())) == []


def test_index_version_is_none_when_the_searcher_cannot_say(tmp_path: Path) -> None:
    class Versioned(FakeSearcher):
        def version(self) -> tuple[str, float]:
            return ("gen-1", 12.5)

    with app_with(FakeSearcher(), tmp_path).app_context():
        assert engine.index_version() is None
    with app_with(Versioned(), tmp_path).app_context():
        assert engine.index_version() == ("gen-1", 12.5)


def test_warm_opens_the_index_before_any_request(tmp_path: Path) -> None:
    from tests.unit.read.small_index import DOCS, write_index

    write_index(tmp_path / "ix", DOCS)
    app = app_with(None, tmp_path)
    assert engine.warm(app) is True
    searcher = app.config["SEARCHER"]
    assert searcher._gen is not None  # the generation is open: no request has come yet


def test_warm_leaves_a_missing_index_to_the_requests(tmp_path: Path) -> None:
    app = app_with(None, tmp_path)
    assert engine.warm(app) is False
    with app.app_context(), pytest.raises(IndexUnavailable, match="python -m indexer build"):
        engine.run_search(SearchRequest(q="稀土"))
