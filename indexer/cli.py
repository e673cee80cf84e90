"""Command line: a thin layer over the library.

`python -m indexer build|update|watch|extract|search|stats`. Each command prints its own
output; errors at this edge become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

DEFAULT_CORPUS = Path("seeds")
DEFAULT_INDEX = Path("var/index")


class CliError(Exception):
    """An error worth one line to the user; main() prints it and exits 2."""


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


# --- extract ---------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    from indexer.pipeline import process_file

    failures = 0
    for raw in args.paths:
        path = Path(raw)
        root = Path(args.corpus_root) if args.corpus_root else path.parent
        result = process_file(path, root)
        print(_dump(result.to_json()), flush=True)
        failures += "error" in result.to_json()
    return 1 if args.paths and failures == len(args.paths) else 0


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="print one clean article per file as JSON Lines",
        description="Extract title, date, sources, site and clean body from each file and "
        "print one JSON object per line. A file that cannot be read prints "
        '{"path": ..., "error": ...}; the exit code is non-zero only if every file failed.',
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--corpus-root",
        metavar="DIR",
        help="directory that article ids and paths are relative to (default: each file's own)",
    )
    p.set_defaults(func=cmd_extract)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m indexer",
        description="Index and search Chinese science-and-technology policy news.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_extract(sub)
    # Each command adds itself here with its own _add_<name>(sub).
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
