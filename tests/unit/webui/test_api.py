"""api: the JSON endpoints' own decisions, each view called in a request context over a
test double: the export's formats and download names, a bad format refused before any
search runs, the highlight query cut to the query bound, writes refused without a token
before anything is read. Whole requests are tested in tests/web/test_api.py and beside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from indexer.read.export import FORMATS
from tests.web.conftest import FakeSearcher
from webui import api, create_app
from webui.errors import ApiError, BadRequest
from webui.openapi import openapi_document
from webui.params import MAX_QUERY_CHARS


class Recording(FakeSearcher):
    """Remembers the highlight query each article was asked with."""

    def __init__(self) -> None:
        super().__init__()
        self.highlights: list[str] = []

    def article(self, id: str, q: str = "") -> dict[str, Any] | None:
        self.highlights.append(q)
        return super().article(id, q)


@pytest.fixture
def fake() -> Recording:
    return Recording()


@pytest.fixture
def app(fake: Recording, tmp_path: Path) -> Flask:
    return create_app({"SEARCHER": fake, "CORPUS": str(tmp_path), "INDEX": str(tmp_path / "ix")})


def test_every_export_format_has_a_download_name_and_a_documented_type() -> None:
    assert set(api.EXPORT_TYPES) == set(FORMATS)
    export = openapi_document()["paths"]["/api/export"]["get"]["responses"]["200"]
    documented = set(export["content"])
    for fmt, (name, mime) in api.EXPORT_TYPES.items():
        assert name.endswith(f".{fmt}") and "charset=utf-8" in mime
        assert mime.split(";")[0] in documented


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_is_an_attachment_named_for_its_format(app: Flask, fmt: str) -> None:
    with app.test_request_context(f"/api/export?q=x&format={fmt}"):
        response = api.export()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{api.EXPORT_TYPES[fmt][0]}"'
    )
    assert response.content_type == api.EXPORT_TYPES[fmt][1]


def test_an_unknown_format_is_refused_before_any_search(app: Flask, fake: Recording) -> None:
    with app.test_request_context("/api/export?format=xlsx"), pytest.raises(BadRequest):
        api.export()
    assert fake.requests == []


def test_the_highlight_query_is_cut_to_the_query_bound(app: Flask, fake: Recording) -> None:
    with app.test_request_context("/api/articles/a1?q=" + "稀" * (MAX_QUERY_CHARS + 50)):
        response = api.article("a1")
    assert response.get_json()["id"] == "a1"
    assert fake.highlights == ["稀" * MAX_QUERY_CHARS]


def test_search_renders_the_engines_result(app: Flask, fake: Recording) -> None:
    with app.test_request_context("/api/search?q=稀土&per_page=2"):
        body = api.search_json().get_json()
    assert (body["query"], body["per_page"], len(body["hits"])) == ("稀土", 2, 2)


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_writes_without_a_configured_token_are_refused_first(
    app: Flask, fake: Recording, method: str
) -> None:
    with app.test_request_context("/api/articles", method=method, data=b"x"):
        with pytest.raises(ApiError) as caught:
            api.create_article() if method == "POST" else api.delete_article("a1")
    assert caught.value.status == 403
    assert fake.highlights == []  # the article was not even looked up
