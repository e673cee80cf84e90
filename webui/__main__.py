"""`python -m webui`: serve the search UI and API with waitress (a production WSGI server).

Flags override environment variables (NEWS_INDEX, NEWS_CORPUS, NEWS_HOST, NEWS_PORT,
NEWS_API_TOKEN), which override the defaults. It binds to 127.0.0.1 unless told otherwise.
`--port 0` lets the kernel pick a free port: the "serving http://HOST:PORT/" line names the
port actually bound, so whoever started the server (tests, benchmarks) reads it from there
instead of guessing a free port that another process may take first.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from webui import create_app

log = logging.getLogger("webui")


def build_parser() -> argparse.ArgumentParser:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="python -m webui",
        description="Serve the news search page and JSON API over an index built by "
        "`python -m indexer build`.",
    )
    parser.add_argument("--index", default=env("NEWS_INDEX", "var/index"), help="index directory")
    parser.add_argument(
        "--corpus", default=env("NEWS_CORPUS", "seeds"), help="corpus directory (uploads go here)"
    )
    parser.add_argument("--host", default=env("NEWS_HOST", "127.0.0.1"), help="address to bind")
    parser.add_argument(
        "--port",
        type=int,
        default=env("NEWS_PORT", "5000"),
        help="port to listen on (0: any free port, named in the 'serving' line)",
    )
    parser.add_argument(
        "--token",
        default=env("NEWS_API_TOKEN"),
        help="bearer token enabling POST/DELETE /api/articles (disabled when unset)",
    )
    parser.add_argument("--threads", type=int, default=8, help="worker threads")
    return parser


def listening(server: Any) -> list[tuple[str, int]]:
    """(host, port) of each socket the server listens on: one, or several when the host
    name resolves to more than one address (waitress then returns a MultiSocketServer)."""
    multi = getattr(server, "effective_listen", None)
    if multi:
        return [(str(host), int(port)) for host, port in multi]
    return [(str(server.effective_host), int(server.effective_port))]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from webui.server import make_server

    app = create_app({"INDEX": args.index, "CORPUS": args.corpus, "API_TOKEN": args.token})
    server = make_server(app, args.host, args.port, threads=args.threads)
    # Logged after binding, with the ports bound: the sockets already listen, so a client
    # that reads this line can connect at once.
    for host, port in listening(server):
        log.info("serving http://%s:%d/ (index %s, corpus %s)", host, port, args.index, args.corpus)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
