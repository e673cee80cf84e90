"""The one error type the web layer raises, and its one JSON envelope.

Everything a user can get wrong (a parameter, an id, a token, an upload) becomes an `ApiError`
with a status, a short machine code and a Chinese message. The app's error handlers render it
as `{"error": {"code", "message"}}` on `/api/*` (render.error_body) and as an error page
elsewhere, so no user input ever reaches the generic 500 handler.
"""

from __future__ import annotations


class ApiError(Exception):
    """A failure the caller caused or can act on, with the HTTP status that says which."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class BadRequest(ApiError):
    """A URL parameter or request body that cannot be understood (400)."""

    status = 400
    code = "bad_parameter"


class NotFound(ApiError):
    """An unknown article id or route (404)."""

    status = 404
    code = "not_found"


class IndexUnavailable(ApiError):
    """The index cannot be opened: the operator has to build it first (503)."""

    status = 503
    code = "index_unavailable"
