"""Every JSON body the web layer sends, made in this one module.

The views compute one object (a `SearchResult`, an article record, an `ApiError`) and the
JSON endpoints hand it here at the very end, so a key is spelled in one place and the
OpenAPI document (openapi.py, openapi_schemas.py) describes exactly these shapes. A search
result's shape is made by indexer/read/result_json.py, which `python -m indexer search
--json` prints too, so the API and the command line cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from indexer.models import SearchResult
from indexer.read.result_json import result_json
from webui.errors import ApiError


def search_body(result: SearchResult) -> dict[str, Any]:
    """`GET /api/search`: one page of hits, the facets and the timeline."""
    return result_json(result)


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
