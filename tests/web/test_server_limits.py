"""waitress's limits against a real server on a loopback port: big bodies and slow clients.

Each server binds port 0 and reports its port; its timeouts are made small through the
app's configuration, so nothing here depends on how fast the machine is: every wait is
bounded by a generous socket timeout, and no assertion is about time.
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.helpers import HANG_GUARD
from webui import create_app
from webui.server import BODY_SLACK

from .conftest import TOKEN, FakeSearcher


@contextmanager
def serving(searcher: object = None, threads: int = 2, **config) -> Iterator[int]:
    """A waitress server for an app over the test double, in a thread; yields its port."""
    from webui.server import make_server

    app = create_app({"SEARCHER": searcher or FakeSearcher(), "API_TOKEN": TOKEN, **config})
    server = make_server(app, "127.0.0.1", 0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        server.task_dispatcher.shutdown(timeout=5)
        for channel in list(server._map.values()):
            channel.close()
        thread.join(timeout=HANG_GUARD)


def status_line(sock: socket.socket) -> bytes:
    """The first line the server sends, or b"" if it closes first."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0]


def test_a_body_over_the_limit_is_refused_from_its_content_length_alone():
    """No byte of the body is sent: the 413 comes from the header, before the 401."""
    with serving(MAX_UPLOAD_BYTES=2048) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD) as sock:
            sock.sendall(
                b"POST /api/articles?filename=x.txt HTTP/1.1\r\nHost: t\r\n"
                b"Content-Type: text/plain\r\nContent-Length: 209715200\r\n\r\n"
            )
            assert status_line(sock) == b"HTTP/1.1 413 Request Entity Too Large"
        # A body within the limit reaches the application, which asks for the token.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_GUARD)
        conn.request("POST", "/api/articles?filename=x.txt", body=b"x" * 2048)
        assert conn.getresponse().status == 401
        conn.close()


def test_slow_clients_are_dropped_and_a_normal_request_is_served():
    """More half-sent requests than the connection limit: the server drops them once they
    have been silent for the channel timeout, and a normal search gets its answer while
    the slow sockets are still open on the client's side."""
    limit = 20
    with serving(CHANNEL_TIMEOUT=2, CLEANUP_INTERVAL=1, CONNECTION_LIMIT=limit) as port:
        slow = []
        try:
            for _ in range(limit + 10):
                sock = socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD)
                sock.sendall(b"GET /api/search?q=x HTTP/1.1\r\nHost: t\r\n")  # never finished
                slow.append(sock)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_GUARD)
            conn.request("GET", "/api/search?q=%E7%A8%80%E5%9C%9F")
            response = conn.getresponse()
            assert response.status == 200
            assert response.read().startswith(b'{"query":"\xe7\xa8\x80\xe5\x9c\x9f"')
            conn.close()
            # Every slow socket is closed by the server, none answered.
            assert [status_line(sock) for sock in slow] == [b""] * len(slow)
        finally:
            for sock in slow:
                sock.close()


def test_workers_share_the_connection_limit_and_keep_the_other_limits():
    """With several worker processes on one socket, each holds its share of the limit, so
    the server as a whole still holds at most CONNECTION_LIMIT connections."""
    from webui.server import serve_sockets
    from webui.workers import bind

    app = create_app({"SEARCHER": FakeSearcher(), "CONNECTION_LIMIT": 500})
    sockets = bind("127.0.0.1", 0)
    try:
        server = serve_sockets(app, sockets, threads=1, workers=2)
        try:
            assert server.adj.connection_limit == 250
            assert server.adj.max_request_body_size == app.config["MAX_UPLOAD_BYTES"] + BODY_SLACK
            assert server.adj.channel_timeout == 15 and server.adj.ident == "nmg-news-search"
            assert int(server.effective_port) == sockets[0].getsockname()[1]
        finally:
            server.task_dispatcher.shutdown(timeout=5)
            server.close()
    finally:
        for sock in sockets:
            sock.close()


class HeldExport(FakeSearcher):
    """An export that stops after its first row until the test lets it go on: a long
    export, as long as the test needs, on any machine."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.go_on = threading.Event(), threading.Event()

    def stories(self, req):
        rows = super().stories(req)
        yield next(rows)
        self.inside.set()
        assert self.go_on.wait(HANG_GUARD)
        yield from rows


def test_a_long_export_leaves_the_other_connections_of_its_process_answered():
    """With the server's default threads per process, a search on a second connection is
    answered while an export streams on the first; the export then completes."""
    from webui.__main__ import build_parser

    held = HeldExport()
    with serving(held, threads=build_parser().parse_args([]).threads) as port:
        export = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_GUARD)
        export.request("GET", "/api/export?q=x&format=jsonl")
        assert held.inside.wait(HANG_GUARD)
        try:
            other = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_GUARD)
            other.request("GET", "/api/search?q=x")
            response = other.getresponse()
            assert (response.status, response.read().count(b'"id":')) == (200, 3)
            other.close()
        finally:
            held.go_on.set()
        response = export.getresponse()
        assert (response.status, len(response.read().splitlines())) == (200, 3)
        export.close()
