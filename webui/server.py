"""The waitress settings that bound what one client can hold: connections, time, bytes.

waitress's defaults suit a trusted network: a request body up to 1 GiB is read into a
buffer before the application sees the request (so before a missing token is a 401), and
a connection that sends half a request header is kept for 120 s of silence, checked every
30 s, while 100 connections stop the server from accepting any more. Here:

- bodies are refused by waitress itself (413, from the Content-Length alone, before a byte
  of the body is read) just above the upload limit, the largest body any endpoint takes;
- a connection silent for CHANNEL_TIMEOUT seconds (15 by default) is closed, looked for
  every CLEANUP_INTERVAL seconds (2), so idle or stalled clients free their slot;
- CONNECTION_LIMIT (500) connections, polled with poll() rather than select() (which stops
  at 1,024 descriptors), so a few hundred slow sockets leave room for everyone else.

With several worker processes (webui/workers.py), each takes its share of the connection
limit. Each is configurable (create_app's config or NEWS_CHANNEL_TIMEOUT, NEWS_CONNECTION_LIMIT,
NEWS_CLEANUP_INTERVAL), which also lets a test make them small.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any

from flask import Flask

# Threads per server process: a request that runs long (an export streaming every story)
# holds one of them, and the process's other connections are served by the rest.
THREADS = 8

# A multipart upload wraps the file in a boundary and part headers: a few hundred bytes.
# 64 KiB covers any such envelope without letting a body grow past the limit by much.
BODY_SLACK = 64 * 1024


def waitress_options(config: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for waitress.serve / create_server from the app's config."""
    return {
        "max_request_body_size": int(config["MAX_UPLOAD_BYTES"]) + BODY_SLACK,
        "channel_timeout": int(config["CHANNEL_TIMEOUT"]),
        "cleanup_interval": int(config["CLEANUP_INTERVAL"]),
        "connection_limit": int(config["CONNECTION_LIMIT"]),
        "asyncore_use_poll": True,
        "ident": "nmg-news-search",
    }


def make_server(app: Flask, host: str, port: int, threads: int = THREADS) -> Any:
    """A waitress server for `app`, bound but not yet running (`.run()`); port 0 binds a
    free port, read back from `.effective_port`."""
    from waitress.server import create_server

    return create_server(app, host=host, port=port, threads=threads, **waitress_options(app.config))


def serve_sockets(
    app: Flask, sockets: Sequence[socket.socket], threads: int = THREADS, workers: int = 1
) -> Any:
    """A waitress server for `app` over sockets already listening (webui/workers.py binds
    them before forking), one of `workers` processes sharing them: each holds its share
    of the connection limit, so the limit stays the whole server's."""
    from waitress.server import create_server

    from webui.workers import share

    options = waitress_options(app.config)
    options["connection_limit"] = share(options["connection_limit"], workers)
    return create_server(app, sockets=list(sockets), threads=threads, **options)
