"""openapi: the document's own consistency, without a server: every reference resolves,
every body shape is used, operation ids are unique, and each search parameter is one the
parameter parser reads, with the parser's own limits and patterns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from webui import params
from webui.errors import BadRequest
from webui.openapi import SEARCH_PARAMETERS, openapi_document
from webui.openapi_schemas import SCHEMAS


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for methods in doc["paths"].values() for op in methods.values()]


def test_every_reference_names_a_schema_and_every_schema_is_referenced() -> None:
    doc = openapi_document()
    refs = set(_refs(doc))
    prefix = "#/components/schemas/"
    assert all(ref.startswith(prefix) for ref in refs)
    named = {ref.removeprefix(prefix) for ref in refs}
    assert named <= set(doc["components"]["schemas"])
    assert named == set(SCHEMAS)  # no body shape described and never sent


def test_operation_ids_are_unique_and_every_operation_answers_something() -> None:
    ops = _operations(openapi_document())
    ids = [op["operationId"] for op in ops]
    assert len(set(ids)) == len(ids)
    assert all(op["responses"] for op in ops)


def test_every_api_error_response_is_the_one_envelope() -> None:
    """Under /api/ every error is JSON in one envelope (the feed's are the HTML pages)."""
    for path, methods in openapi_document()["paths"].items():
        for op in methods.values():
            for status, response in op["responses"].items():
                if int(status) >= 400 and path.startswith("/api/"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)


def test_search_parameters_are_exactly_those_the_parser_reads() -> None:
    names = [p["name"] for p in SEARCH_PARAMETERS]
    assert len(set(names)) == len(names)
    parsed = {"q", "from", "to", "sort", "page", "per_page", *params.FILTER_FIELDS}
    assert set(names) == parsed


def test_repeatable_parameters_are_the_filters_with_the_parsers_bound() -> None:
    repeated = {p["name"]: p["schema"] for p in SEARCH_PARAMETERS if p.get("explode")}
    assert set(repeated) == set(params.FILTER_FIELDS)
    assert {s["maxItems"] for s in repeated.values()} == {params.MAX_FILTER_VALUES}


def _schema(name: str) -> dict[str, Any]:
    return next(p["schema"] for p in SEARCH_PARAMETERS if p["name"] == name)


def test_limits_and_defaults_are_the_parsers() -> None:
    assert _schema("q")["maxLength"] == params.MAX_QUERY_CHARS
    assert _schema("page")["maximum"] == params.MAX_PAGE
    assert _schema("per_page")["maximum"] == params.MAX_PER_PAGE
    assert _schema("per_page")["default"] == params.DEFAULT_PER_PAGE
    assert _schema("sort")["enum"] == list(params.SORTS)
    assert _schema("sort")["default"] == params.SORTS[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [("year", "2024"), ("year", "unknown"), ("year", "24"), ("year", "2024-01"),
     ("month", "2024-01"), ("month", "2024-12"), ("month", "2024-13"), ("month", "unknown"),
     ("month", "2024-1")],
)  # fmt: skip
def test_period_patterns_accept_what_the_parser_accepts(name: str, value: str) -> None:
    pattern = re.compile(_schema(name)["items"]["pattern"])
    try:
        params.parse_search_args(params.Args([(name, value)]))
        accepted = True
    except BadRequest:
        accepted = False
    assert bool(pattern.search(value)) == accepted


def test_the_document_is_built_fresh_each_time() -> None:
    first = openapi_document()
    first["paths"]["/api/search"]["get"]["parameters"].clear()
    first["components"]["schemas"].clear()
    again = openapi_document()
    assert len(again["paths"]["/api/search"]["get"]["parameters"]) == len(SEARCH_PARAMETERS)
    assert again["components"]["schemas"]
