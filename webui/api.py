"""JSON endpoints: the same searches as the pages, plus writes guarded by a bearer token.

Every response is JSON, errors included (`{"error": {"code", "message"}}`); the app's error
handlers answer unknown routes and wrong methods under `/api/` in the same envelope.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from indexer.models import SearchResult
from webui import uploads
from webui.core import get_article, get_searcher, run_search
from webui.openapi import openapi_document
from webui.params import MAX_QUERY_CHARS, parse_search_args, query_args

bp = Blueprint("api", __name__, url_prefix="/api")


def result_json(result: SearchResult) -> dict[str, Any]:
    """The API body of a search: the result's own JSON plus the timeline buckets."""
    data = result.to_json()
    data["timeline"] = [asdict(v) for v in result.timeline]
    return data


@bp.get("/search")
def search():
    req = parse_search_args(query_args(request.query_string))
    return jsonify(result_json(run_search(req)))


@bp.get("/articles/<path:article_id>")
def article(article_id: str):
    q = request.args.get("q", "")[:MAX_QUERY_CHARS]
    return jsonify(get_article(article_id, q))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.post("/articles")
def create_article():
    """Store an uploaded page under the corpus's uploads/ folder and index it."""
    uploads.require_token(current_app.config.get("API_TOKEN"), request.headers)
    name, data = uploads.read_upload(request)
    record, created = uploads.store_and_index(
        data,
        name,
        corpus=current_app.config["CORPUS"],
        index_root=current_app.config["INDEX"],
        searcher=get_searcher(),
        replace=uploads.parse_replace(request.args.get("replace")),
    )
    return jsonify(record), 201 if created else 200


@bp.delete("/articles/<path:article_id>")
def delete_article(article_id: str):
    """Remove an article's file from the corpus and the article from the index."""
    uploads.require_token(current_app.config.get("API_TOKEN"), request.headers)
    record = get_article(article_id)
    uploads.remove(
        record,
        corpus=current_app.config["CORPUS"],
        index_root=current_app.config["INDEX"],
    )
    return jsonify({"id": record["id"], "path": record["path"], "deleted": True})
