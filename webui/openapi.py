"""The OpenAPI 3.1 document for the JSON API, kept next to the code it describes: the paths,
their parameters and responses here, the body shapes in openapi_schemas.py.

Tests validate real responses against these schemas, so a change to a response shape that is
not made here too fails the suite.
"""

from __future__ import annotations

import copy
from typing import Any

from indexer import __version__
from webui.openapi_schemas import SCHEMAS
from webui.params import MAX_FILTER_VALUES, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, SORTS


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _param(name: str, description: str, schema: dict[str, Any], repeat: bool = False):
    if repeat:
        schema = {"type": "array", "items": schema, "maxItems": MAX_FILTER_VALUES}
    param = {"name": name, "in": "query", "required": False, "description": description}
    param["schema"] = schema
    if repeat:
        param["style"] = "form"
        param["explode"] = True
    return param


SEARCH_PARAMETERS = [
    _param(
        "q",
        "query; any substring of a title or body finds it. Empty lists newest first.",
        {"type": "string", "maxLength": MAX_QUERY_CHARS},
    ),
    _param("source", "credited source (repeatable: any of)", {"type": "string"}, repeat=True),
    _param("site", "portal (repeatable: any of)", {"type": "string"}, repeat=True),
    _param(
        "year",
        "YYYY or unknown (repeatable)",
        {"type": "string", "pattern": r"^(\d{4}|unknown)$"},
        repeat=True,
    ),
    _param(
        "month",
        "YYYY-MM or unknown (repeatable)",
        {"type": "string", "pattern": r"^(\d{4}-(0[1-9]|1[0-2])|unknown)$"},
        repeat=True,
    ),
    _param(
        "region",
        "league or city the story is about, official name or short form (包头, 锡盟); "
        "repeatable: any of",
        {"type": "string"},
        repeat=True,
    ),
    _param(
        "document",
        "policy title or document number the story mentions; a number in any bracket "
        "style (内政发[2023]12号) finds its canonical form; repeatable: any of",
        {"type": "string"},
        repeat=True,
    ),
    _param("from", "earliest date, inclusive", {"type": "string", "format": "date"}),
    _param("to", "latest date, inclusive", {"type": "string", "format": "date"}),
    _param("sort", "result order", {"type": "string", "enum": list(SORTS), "default": SORTS[0]}),
    _param("page", "1-based page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
    _param(
        "per_page",
        "hits per page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10},
    ),
]

ARTICLE_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "article id (stable; derived from the file's path in the corpus)",
    "schema": {"type": "string"},
}


def openapi_document() -> dict[str, Any]:
    """The whole document, built fresh so callers may not mutate a shared copy."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "内蒙古科技政策新闻检索 API",
            "version": __version__,
            "description": "Search Inner Mongolia science-and-technology policy news. "
            'Every error is {"error": {"code", "message"}}.',
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search articles (same parameters as the search page)",
                    "parameters": copy.deepcopy(SEARCH_PARAMETERS),
                    "responses": {
                        "200": _json("one page of hits with facets", "SearchResponse"),
                        "400": _error("a parameter is malformed or out of range"),
                        "503": _error("no index yet (run python -m indexer build)"),
                    },
                }
            },
            "/api/export": {
                "get": {
                    "operationId": "export",
                    "summary": "Every matching story (not one page) as CSV or JSON Lines",
                    "parameters": [
                        *copy.deepcopy(
                            [p for p in SEARCH_PARAMETERS if p["name"] not in ("page", "per_page")]
                        ),
                        _param(
                            "format",
                            "file format",
                            {"type": "string", "enum": ["csv", "jsonl"], "default": "csv"},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "CSV (UTF-8 with BOM, CRLF; sources joined by 、) "
                            "or one ExportRow object per line",
                            "content": {
                                "text/csv": {"schema": {"type": "string"}},
                                "application/x-ndjson": {
                                    "schema": {"$ref": "#/components/schemas/ExportRow"}
                                },
                            },
                        },
                        "400": _error("a parameter is malformed or out of range"),
                        "503": _error("no index yet (run python -m indexer build)"),
                    },
                }
            },
            "/api/articles/{id}": {
                "get": {
                    "operationId": "getArticle",
                    "summary": "One article with its duplicate copies",
                    "parameters": [
                        ARTICLE_ID,
                        _param("q", "query to highlight in body_html", {"type": "string"}),
                    ],
                    "responses": {
                        "200": _json("the article record", "Article"),
                        "404": _error("no article with this id"),
                        "503": _error("no index yet (run python -m indexer build)"),
                    },
                },
                "delete": {
                    "operationId": "deleteArticle",
                    "summary": "Remove the article's file from the corpus and it from the index",
                    "security": [{"bearer": []}],
                    "parameters": [ARTICLE_ID],
                    "responses": {
                        "200": _json("removed", "Deleted"),
                        "401": _error("missing or wrong token"),
                        "403": _error("writes are disabled (no token configured)"),
                        "404": _error("no article with this id"),
                        "503": _error("the index is busy with another writer, or missing"),
                    },
                },
            },
            "/api/articles": {
                "post": {
                    "operationId": "createArticle",
                    "summary": "Store a page in the corpus (uploads/) and index it",
                    "security": [{"bearer": []}],
                    "parameters": [
                        _param("filename", "file name for a raw body", {"type": "string"}),
                        _param(
                            "replace",
                            "true: overwrite a different file stored under this name and "
                            "re-index it (same id) instead of answering 409",
                            {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no"]},
                        ),
                        {
                            "name": "X-Filename",
                            "in": "header",
                            "required": False,
                            "description": "file name for a raw body (percent-encoded UTF-8)",
                            "schema": {"type": "string"},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {
                                        "file": {"type": "string", "contentMediaType": "text/plain"}
                                    },
                                }
                            },
                            "application/octet-stream": {"schema": {}},
                            "text/plain": {"schema": {"type": "string"}},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "201": _json("stored and indexed", "Article"),
                        "200": _json(
                            "the same file was already stored, or it was replaced", "Article"
                        ),
                        "400": _error("no file or no file name"),
                        "401": _error("missing or wrong token"),
                        "403": _error("writes are disabled (no token configured)"),
                        "409": _error("a different file with this name exists (see replace)"),
                        "413": _error("file larger than the configured limit"),
                        "415": _error("not a .txt, .html or .htm file"),
                        "422": _error("the file is not an article (reason in message)"),
                        "503": _error("the index is busy with another writer, damaged or missing"),
                        "507": _error("the disk is full: the file was neither stored nor indexed"),
                    },
                }
            },
            "/feed.atom": {
                "get": {
                    "operationId": "feed",
                    "summary": "The search as an Atom 1.0 feed, newest first (订阅 on the page)",
                    "parameters": copy.deepcopy(
                        [p for p in SEARCH_PARAMETERS if p["name"] != "sort"]
                    ),
                    "responses": {
                        "200": {
                            "description": "Atom feed: one entry per story, 50 unless per_page "
                            "says otherwise; ETag and Last-Modified follow the index generation",
                            "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                        },
                        "304": {"description": "the index has not changed since the given ETag"},
                        "400": {
                            "description": "a parameter is malformed or out of range (HTML page)"
                        },
                        "503": {"description": "no index yet (HTML page)"},
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1 document"}},
                }
            },
        },
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
