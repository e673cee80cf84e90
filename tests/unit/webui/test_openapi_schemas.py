"""openapi_schemas: each body shape is a coherent JSON Schema on its own, and names what
the code sends: required keys are declared, the facet names are the reader's, the bounds
are the reader's and the web layer's."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from indexer.models import Hit
from indexer.read.export import COLUMNS
from indexer.read.facets import FACETS
from indexer.read.keywords import KEYWORD_FACETS
from indexer.read.related import MAX_RELATED
from webui.openapi_schemas import FACET_NAMES, SCHEMAS
from webui.params import MAX_PER_PAGE


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_is_valid_and_requires_only_what_it_declares(name: str) -> None:
    schema: dict[str, Any] = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    assert set(schema.get("required", ())) <= set(schema.get("properties", {}))


def test_facet_names_are_the_readers_facets_once_each() -> None:
    assert FACET_NAMES == (*FACETS, *KEYWORD_FACETS)
    assert len(set(FACET_NAMES)) == len(FACET_NAMES)
    facets = SCHEMAS["SearchResponse"]["properties"]["facets"]
    assert facets["required"] == list(FACET_NAMES) == list(facets["properties"])


def test_the_export_row_is_the_exports_columns() -> None:
    row = SCHEMAS["ExportRow"]
    assert row["required"] == list(COLUMNS) == list(row["properties"])


def test_a_hit_declares_every_field_of_the_hit_record() -> None:
    declared = set(SCHEMAS["Hit"]["properties"])
    assert {f.name for f in fields(Hit)} <= declared


def test_bounds_are_the_codes() -> None:
    per_page = SCHEMAS["SearchResponse"]["properties"]["per_page"]
    assert per_page["maximum"] == MAX_PER_PAGE
    assert SCHEMAS["Article"]["properties"]["related"]["maxItems"] == MAX_RELATED


def test_the_error_envelope_holds_a_code_and_a_message_only() -> None:
    inner = SCHEMAS["Error"]["properties"]["error"]
    assert inner["required"] == ["code", "message"] and inner["additionalProperties"] is False
