"""`python -m webui`: serve the search UI and API with waitress (a production WSGI server).

Flags override environment variables (NEWS_INDEX, NEWS_CORPUS, NEWS_HOST, NEWS_PORT,
NEWS_API_TOKEN, NEWS_WORKERS), which override the defaults. It binds to 127.0.0.1 unless told
otherwise.
`--port 0` lets the kernel pick a free port: the "serving http://HOST:PORT/" line names the
port actually bound, so whoever started the server (tests, benchmarks) reads it from there
instead of guessing a free port that another process may take first. `--workers N`
(default: two per CPU) serves with N processes sharing the port (webui/workers.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from webui import create_app
from webui.server import THREADS

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
    parser.add_argument(
        "--threads",
        type=int,
        default=THREADS,
        help=f"threads per worker process (default {THREADS}: a long export holds one, the "
        "worker's other connections are served by the rest)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=env("NEWS_WORKERS"),
        help="server processes sharing the port (default: two per CPU; 1 where there is "
        "no fork, as on Windows)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from webui import engine, workers
    from webui.server import serve_sockets

    config = {"INDEX": args.index, "CORPUS": args.corpus, "API_TOKEN": args.token}
    create_app(config)  # a bad configuration fails here, once, not in every worker
    count = workers.effective_workers(args.workers)
    sockets = workers.bind(args.host, args.port)
    # Logged after binding, with the ports bound: the sockets already listen, so a client
    # that reads this line can connect at once (it waits in the backlog until a worker
    # accepts it).
    for host, port in workers.addresses(sockets):
        log.info(
            "serving http://%s:%d/ (index %s, corpus %s, %d worker%s)",
            host,
            port,
            args.index,
            args.corpus,
            count,
            "" if count == 1 else "s",
        )

    def make(listening, worker_count):
        # Each worker makes its own app, so its searcher opens in that process, before
        # the worker takes connections (the others take them meanwhile).
        app = create_app(config)
        engine.warm(app)
        return serve_sockets(app, listening, args.threads, worker_count)

    return workers.serve(make, sockets, count)


if __name__ == "__main__":
    sys.exit(main())
