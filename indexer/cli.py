"""Command line: a thin layer over the library.

`python -m indexer build|update|watch|extract|search|stats|check`. This module declares the
commands, their flags and their help; cli_commands.py holds what each one does and prints.
Errors at this edge become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from indexer.cli_commands import (
    CliError,
    cmd_build,
    cmd_check,
    cmd_extract,
    cmd_search,
    cmd_stats,
    cmd_update,
    cmd_watch,
)
from indexer.index.constants import SORTS

DEFAULT_CORPUS = Path("seeds")
DEFAULT_INDEX = Path("var/index")


# --- extract ---------------------------------------------------------------------------


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


# --- build / update / watch / stats ----------------------------------------------------


def _index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS), metavar="DIR", help="corpus folder")
    p.add_argument("--index", default=str(DEFAULT_INDEX), metavar="DIR", help="index root")


def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the index from the corpus (new generation, swapped in when complete)",
        description="Index every page of the corpus into a fresh index generation and make "
        "it current only when it is complete; the previous index keeps answering until then.",
    )
    _index_args(p)
    p.set_defaults(func=cmd_build)


def _add_update(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "update",
        help="add new, replace changed and remove vanished files; keep duplicate groups right",
        description="Compare the corpus with the index (size and mtime, then content hash) "
        "and apply the difference in committed batches. Safe to interrupt: the next run "
        "finishes the work. Exits non-zero if another writer holds the index too long. "
        "Given PATHs (pages inside the corpus folder), only those are read, added or "
        "replaced, or removed if they no longer exist: no walk of the corpus, so the cost "
        "does not grow with its size.",
    )
    _index_args(p)
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="pages to (re)index or, if gone, remove; default: the whole corpus",
    )
    p.add_argument("--lock-timeout", type=float, default=10.0, metavar="SECONDS")
    p.add_argument("--batch-size", type=int, default=500, metavar="N", help="docs per commit")
    p.set_defaults(func=cmd_update)


def _add_watch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "watch",
        help="keep the index in step with the corpus folder until Ctrl-C",
        description="Follow the corpus folder (file events: inotify on Linux, FSEvents on "
        "macOS, ReadDirectoryChangesW on Windows; else polling); when files "
        "appear, change or vanish (and have stopped changing), index them. Bursts of files "
        "are indexed together.",
    )
    _index_args(p)
    p.add_argument("--interval", type=float, default=1.0, metavar="SECONDS", help="poll interval")
    p.add_argument("--poll", action="store_true", help="poll even where file events work")
    p.add_argument(
        "--sweep",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="with file events: walk the whole corpus this often, in case an event was lost",
    )
    p.set_defaults(func=cmd_watch)


def _add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="print counts of articles, stories, sources, sites, dates")
    p.add_argument("--index", default=str(DEFAULT_INDEX), metavar="DIR", help="index root")
    p.set_defaults(func=cmd_stats)


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="verify every file of the index against the checksums written with it",
        description="Read every file of the current index generation and compare it with "
        "the size and sha256 recorded when it was committed; check the manifest's pages. "
        "Prints one line per damaged file and exits 1, or says the index is sound.",
    )
    p.add_argument("--index", default=str(DEFAULT_INDEX), metavar="DIR", help="index root")
    p.set_defaults(func=cmd_check)


# --- search ----------------------------------------------------------------------------


def _add_search(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search",
        help="search the index and print the results (or JSON)",
        description='Search the index. Words are ANDed; "..." matches exactly that run of '
        "characters; OR between terms; -word excludes; title:word looks only in titles. "
        "Any text that occurs in an article (traditional or simplified) finds it.",
    )
    p.add_argument("query", nargs="?", help="query text (omit with --batch)")
    p.add_argument("--index", default=str(DEFAULT_INDEX), metavar="DIR", help="index root")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--export",
        choices=("csv", "jsonl"),
        help="print every matching story (not one page) as CSV or JSON Lines",
    )
    p.add_argument("--source", action="append", metavar="NAME", help="credited source (repeat)")
    p.add_argument("--site", action="append", metavar="NAME", help="publishing site (repeat)")
    p.add_argument(
        "--region", action="append", metavar="NAME", help="league or city it is about (repeat)"
    )
    p.add_argument(
        "--document", action="append", metavar="NAME", help="policy or document number (repeat)"
    )
    p.add_argument("--year", action="append", metavar="YYYY", help="year, or 'unknown' (repeat)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="published on/after")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="published on/before")
    p.add_argument("--sort", choices=SORTS, default=SORTS[0])
    p.add_argument("--page", type=int, default=1, metavar="N")
    p.add_argument("--per-page", type=int, default=10, metavar="N")
    p.add_argument(
        "--batch",
        metavar="FILE",
        help="read one query per line and print one JSON result per line (filters apply to all)",
    )
    p.set_defaults(func=cmd_search)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m indexer",
        description="Index and search Chinese science-and-technology policy news.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_extract(sub)
    _add_build(sub)
    _add_update(sub)
    _add_watch(sub)
    _add_stats(sub)
    _add_check(sub)
    _add_search(sub)
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
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # a full disk, a permission, a path that is a file: one line
        print(f"error: {exc}", file=sys.stderr)
        return 2
