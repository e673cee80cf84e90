"""JSON endpoints: the same searches as the pages, plus writes guarded by a bearer token.

Every response is JSON, errors included (`{"error": {"code", "message"}}`); the app's error
handlers answer unknown routes and wrong methods under `/api/` in the same envelope.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from indexer.read.export import FORMATS, export_lines
from webui import render, uploads
from webui.engine import export_stories, get_article, get_searcher, run_search
from webui.errors import BadRequest
from webui.openapi import openapi_document
from webui.params import MAX_QUERY_CHARS, parse_search_args, query_args

bp = Blueprint("api", __name__, url_prefix="/api")
EXPORT_TYPES = {  # format: (download name, media type)
    "csv": ("export.csv", "text/csv; charset=utf-8"),
    "jsonl": ("export.jsonl", "application/x-ndjson; charset=utf-8"),
}


@bp.get("/search", endpoint="search")
def search_json():
    """One page of results as JSON: the same search as the results page."""
    req = parse_search_args(query_args(request.query_string))
    return jsonify(render.search_body(run_search(req)))


@bp.get("/export")
def export():
    """Every story the search matches (not one page), streamed as CSV or JSON Lines."""
    args = query_args(request.query_string)
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise BadRequest(f"参数 format 只能是 {' 或 '.join(FORMATS)}")
    req = parse_search_args(args)
    name, mime = EXPORT_TYPES[fmt]
    response = Response(
        stream_with_context(export_lines(fmt, export_stories(req))), content_type=mime
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/articles/<path:article_id>")
def article(article_id: str):
    q = request.args.get("q", "")[:MAX_QUERY_CHARS]
    return jsonify(render.article_body(get_article(article_id, q)))


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
    return jsonify(render.article_body(record)), 201 if created else 200


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
    return jsonify(render.deleted_body(record))
