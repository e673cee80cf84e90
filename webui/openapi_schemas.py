"""The schema components of the OpenAPI document: the shape of every JSON body the API sends.

Kept apart from the paths (openapi.py) because the shapes change with render.py, the paths
with api.py; tests validate real responses against both.
"""

from __future__ import annotations

from typing import Any

from indexer.read.facets import FACETS
from indexer.read.keywords import FACET_MAX, KEYWORD_FACETS
from indexer.read.related import MAX_RELATED
from webui.params import MAX_PER_PAGE

FACET_NAMES = (*FACETS, *KEYWORD_FACETS)

NULLABLE_STRING = {"type": ["string", "null"]}

SCHEMAS: dict[str, Any] = {
    "ExportRow": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "title", "published", "sources", "site", "path", "copies", "snippet"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "published": NULLABLE_STRING,
            "sources": {"type": "array", "items": {"type": "string"}},
            "site": NULLABLE_STRING,
            "path": {"type": "string"},
            "copies": {"type": "integer", "minimum": 0},
            "snippet": {"type": "string", "description": "the snippet as plain text"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "examples": ["bad_parameter"]},
                    "message": {"type": "string"},
                },
            }
        },
    },
    "AlsoAt": {
        "type": "object",
        "description": "Another copy of the same story (a member of its duplicate group).",
        "required": ["id", "site", "published", "path", "title"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "site": NULLABLE_STRING,
            "published": NULLABLE_STRING,
            "path": {"type": "string"},
            "title": {"type": "string"},
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count"],
        "additionalProperties": False,
        "properties": {
            "value": {
                "type": "string",
                "description": '"unknown" is the bucket of undated articles',
            },
            "count": {"type": "integer", "minimum": 0},
        },
    },
    "Related": {
        "type": "object",
        "description": "Another story sharing the article's most distinctive words.",
        "required": ["id", "title", "published", "site"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "published": NULLABLE_STRING,
            "site": NULLABLE_STRING,
        },
    },
    "Hit": {
        "type": "object",
        "required": [
            "id",
            "title",
            "title_html",
            "snippet_html",
            "published",
            "sources",
            "site",
            "score",
            "also_at",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "path": {"type": "string", "description": "file path relative to the corpus root"},
            "title": {"type": "string"},
            "title_inferred": {"type": "boolean", "description": "no title line; guessed"},
            "title_html": {
                "type": "string",
                "description": "the title escaped; the only markup is <mark>…</mark> around "
                "matches of the query",
            },
            "snippet_html": {
                "type": "string",
                "description": "escaped text; the only markup is <mark>…</mark> around matches",
            },
            "published": {
                **NULLABLE_STRING,
                "description": "ISO 8601 date or date-time, null when unknown",
            },
            "sources": {"type": "array", "items": {"type": "string"}},
            "site": NULLABLE_STRING,
            "score": {"type": "number"},
            "also_at": {"type": "array", "items": {"$ref": "#/components/schemas/AlsoAt"}},
        },
    },
    "SearchResponse": {
        "type": "object",
        "required": ["query", "total", "page", "per_page", "took_ms", "hits", "facets"],
        "additionalProperties": False,
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "took_ms": {"type": "number", "minimum": 0},
            "partial": {
                "type": "boolean",
                "description": "true when the request's time budget ran out while hits were "
                "rendered: every hit is there, the later ones without highlights",
            },
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "description": "regions: the leagues and cities stories are about (official "
                "names); documents: policy titles (without 《》) and document numbers "
                f"(内政发〔2023〕12号) they mention, the {FACET_MAX} most frequent",
                "required": list(FACET_NAMES),
                "additionalProperties": False,
                "properties": {
                    name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                    for name in FACET_NAMES
                },
            },
            "timeline": {
                "type": "array",
                "description": "matches per month (YYYY-MM) or per year (YYYY), oldest first",
                "items": {"$ref": "#/components/schemas/FacetValue"},
            },
        },
    },
    "Article": {
        "type": "object",
        "required": [
            "id",
            "path",
            "title",
            "title_inferred",
            "published",
            "sources",
            "site",
            "body",
            "regions",
            "documents",
            "also_at",
            "related",
        ],
        "properties": {
            "id": {"type": "string"},
            "path": {"type": "string"},
            "title": {"type": "string"},
            "title_inferred": {"type": "boolean"},
            "published": NULLABLE_STRING,
            "sources": {"type": "array", "items": {"type": "string"}},
            "site": NULLABLE_STRING,
            "body": {"type": "string", "description": 'paragraphs joined by "\\n"'},
            "regions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "official names of the leagues and cities it is about",
            },
            "documents": {
                "type": "array",
                "items": {"type": "string"},
                "description": "policy titles and document numbers it mentions",
            },
            "related": {
                "type": "array",
                "maxItems": MAX_RELATED,
                "items": {"$ref": "#/components/schemas/Related"},
                "description": "other stories on the same subject, best first (not its copies)",
            },
            "body_html": {
                "type": "string",
                "description": "escaped body in <p> paragraphs, <mark> around matches of q",
            },
            "content_hash": {"type": "string"},
            "file_hash": {"type": "string"},
            "encoding": {"type": "string"},
            "also_at": {"type": "array", "items": {"$ref": "#/components/schemas/AlsoAt"}},
        },
    },
    "Deleted": {
        "type": "object",
        "required": ["id", "path", "deleted"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "path": {"type": "string"},
            "deleted": {"const": True},
        },
    },
}
