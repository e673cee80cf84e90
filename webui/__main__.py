"""`python -m webui`: serve the search UI and API with waitress (a production WSGI server).

Flags override environment variables (NEWS_INDEX, NEWS_CORPUS, NEWS_HOST, NEWS_PORT,
NEWS_API_TOKEN), which override the defaults. It binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

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
        "--port", type=int, default=env("NEWS_PORT", "5000"), help="port to listen on"
    )
    parser.add_argument(
        "--token",
        default=env("NEWS_API_TOKEN"),
        help="bearer token enabling POST/DELETE /api/articles (disabled when unset)",
    )
    parser.add_argument("--threads", type=int, default=8, help="worker threads")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from waitress import serve

    app = create_app({"INDEX": args.index, "CORPUS": args.corpus, "API_TOKEN": args.token})
    log.info(
        "serving http://%s:%d/ (index %s, corpus %s)", args.host, args.port, args.index, args.corpus
    )
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="nmg-news-search")
    return 0


if __name__ == "__main__":
    sys.exit(main())
