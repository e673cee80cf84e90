"""Every JSON body the web layer sends, made in this one module.

The views compute one object (a `SearchResult`, an article record, an `ApiError`) and the
JSON endpoints hand it here at the very end, so a key is spelled in one place and the
OpenAPI document (openapi.py) describes exactly these shapes. A search result's own JSON
is the record's (`SearchResult.to_json`, shared with `python -m indexer search`).
"""

from __future__ import annotations

from typing import Any

from indexer.models import SearchResult
from webui.errors import ApiError


def search_body(result: SearchResult) -> dict[str, Any]:
    """`GET /api/search`: one page of hits, the facets and the timeline."""
    return result.to_json()


def article_body(record: dict[str, Any]) -> dict[str, Any]:
    """`GET /api/articles/{id}` and an upload's answer: the article record as the reader
    made it (its keys are the stored fields' names, plus also_at and body_html)."""
    return dict(record)


def deleted_body(record: dict[str, Any]) -> dict[str, Any]:
    """`DELETE /api/articles/{id}`: which article went, and from where."""
    return {"id": record["id"], "path": record["path"], "deleted": True}


def error_body(err: ApiError) -> dict[str, Any]:
    """The envelope every error shares, on every `/api/` route."""
    return {"error": {"code": err.code, "message": err.message}}
