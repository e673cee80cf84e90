"""Web UI and JSON API over the indexer's search (see `create_app`).

`views` renders HTML pages, `api` JSON; both call `core` once per request. Configuration
comes from code defaults, overridden by environment variables (NEWS_INDEX, NEWS_CORPUS,
NEWS_API_TOKEN, NEWS_MAX_UPLOAD_BYTES, and waitress's limits: webui/server.py), overridden by
the `config` argument.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from webui import render
from webui.errors import ApiError

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "INDEX": "var/index",
    "CORPUS": "seeds",
    "API_TOKEN": None,
    "MAX_UPLOAD_BYTES": 5 * 1024 * 1024,
    "SEARCH_SECONDS": 2.0,  # a request's time budget (see indexer.read.searcher.Deadline)
    "SEARCHER": None,
    # waitress's limits on slow and idle clients (webui/server.py says why these values)
    "CHANNEL_TIMEOUT": 15,
    "CLEANUP_INTERVAL": 2,
    "CONNECTION_LIMIT": 500,
}
ENV = {
    "INDEX": "NEWS_INDEX",
    "CORPUS": "NEWS_CORPUS",
    "API_TOKEN": "NEWS_API_TOKEN",
    "MAX_UPLOAD_BYTES": "NEWS_MAX_UPLOAD_BYTES",
    "CHANNEL_TIMEOUT": "NEWS_CHANNEL_TIMEOUT",
    "CLEANUP_INTERVAL": "NEWS_CLEANUP_INTERVAL",
    "CONNECTION_LIMIT": "NEWS_CONNECTION_LIMIT",
    "SEARCH_SECONDS": "NEWS_SEARCH_SECONDS",
}

# Inline script is forbidden: only our own /static/app.js runs. SVG charts are inline markup,
# not script, and carry no style attributes, so style-src needs no 'unsafe-inline' either.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Code defaults, then environment variables, then explicit overrides."""
    config = dict(DEFAULTS)
    for key, var in ENV.items():
        if os.environ.get(var):
            config[key] = os.environ[var]
    config.update(overrides or {})
    for key in ("MAX_UPLOAD_BYTES", "CHANNEL_TIMEOUT", "CLEANUP_INTERVAL", "CONNECTION_LIMIT"):
        config[key] = int(config[key])
    config["SEARCH_SECONDS"] = float(config["SEARCH_SECONDS"])
    return config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; nothing touches the index until the first request needs it."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_BYTES"]
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from webui import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.add_template_filter(display_date, "when")
    app.after_request(_security_headers)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def display_date(value: str | None) -> str:
    """ISO date or date-time as a reader expects it; a missing date says so."""
    if not value:
        return "日期不详"
    return value.replace("T", " ")


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _render_error(err: ApiError):
    """The error as the envelope on /api/*, as a page (with the search box) elsewhere."""
    if _wants_json():
        response = jsonify(render.error_body(err))
    else:
        response = render_template("error.html", error=err)
    headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else {}
    return response, err.status, headers


def _api_error(err: ApiError):
    return _render_error(err)


_HTTP_CODES = {
    404: ("not_found", "没有这个页面"),
    405: ("method_not_allowed", "不支持这个请求方法"),
    413: ("payload_too_large", "上传内容超过大小限制"),
}


def _http_error(exc: HTTPException):
    """Werkzeug's own errors (404, 405, 413, malformed requests) in our envelope."""
    status = exc.code or 500
    code, message = _HTTP_CODES.get(status, ("bad_request", exc.description or "请求有误"))
    if status == 413:
        from flask import current_app

        limit = current_app.config["MAX_UPLOAD_BYTES"]
        message = f"{message}（最多 {limit} 字节）"
    return _render_error(ApiError(message, code=code, status=status))


def _unexpected_error(exc: Exception):
    """A bug, not the user's fault: log it in full, tell the user only that it happened."""
    log.exception("unhandled error on %s", request.path)
    return _render_error(ApiError("服务器内部错误", code="internal_error", status=500))
