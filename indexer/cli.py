"""Command line: a thin layer over the library.

`python -m indexer build|update|watch|extract|search|stats|check`. Each command prints its own
output; errors at this edge become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from indexer.index.errors import IndexerError
from indexer.models import SearchRequest, SearchResult

DEFAULT_CORPUS = Path("seeds")
DEFAULT_INDEX = Path("var/index")


class CliError(Exception):
    """An error worth one line to the user; main() prints it and exits 2."""


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


# --- extract ---------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    from indexer.extract.pipeline import process_file

    failures = 0
    for raw in args.paths:
        path = Path(raw)
        # Without a corpus root, a file named on the command line is its own corpus, even
        # through a link (the real file's folder), so `extract` reads whatever it is given.
        root = Path(args.corpus_root) if args.corpus_root else Path(os.path.realpath(path)).parent
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


# --- build / update / watch / stats ----------------------------------------------------


def _index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS), metavar="DIR", help="corpus folder")
    p.add_argument("--index", default=str(DEFAULT_INDEX), metavar="DIR", help="index root")


def _print_skipped(skipped: tuple[tuple[str, str], ...]) -> None:
    for path, reason in skipped:
        print(f"  skipped {path}: {reason}")


def _progress_bars() -> Callable[[str, int, int], None] | None:
    """The writer's progress callback as tqdm bars on stderr, one per stage, when stderr
    is a terminal (a log or a pipe gets none)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="file", leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return report


def cmd_build(args: argparse.Namespace) -> int:
    from indexer import write

    try:
        r = write.build(Path(args.corpus), Path(args.index), progress=_progress_bars())
    except IndexerError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"{exc} (the previous index is unchanged and still answers)") from exc
    print(
        f"files read: {r.files_read}; articles indexed: {r.articles}; stories: {r.stories}; "
        f"duplicates grouped: {r.copies}; files skipped: {len(r.skipped)}; "
        f"{r.seconds:.1f} s -> {Path(args.index) / r.generation}"
    )
    _print_skipped(r.skipped)
    return 0


def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the index from the corpus (new generation, swapped in when complete)",
        description="Index every page of the corpus into a fresh index generation and make "
        "it current only when it is complete; the previous index keeps answering until then.",
    )
    _index_args(p)
    p.set_defaults(func=cmd_build)


def _print_update(r: object) -> None:
    from indexer.write import UpdateReport

    assert isinstance(r, UpdateReport)
    if r.nothing_to_do and not r.regrouped:
        print(f"index up to date ({r.unchanged} files unchanged, {r.seconds:.2f} s)")
        return
    print(
        f"added: {len(r.added)}; changed: {len(r.changed)}; removed: {len(r.removed)}; "
        f"regrouped: {len(r.regrouped)}; unchanged: {r.unchanged}; skipped: {len(r.skipped)}; "
        + (f"read again for their site's template: {len(r.reread)}; " if r.reread else "")
        + f"{r.seconds:.2f} s"
    )
    _print_skipped(r.skipped)


def cmd_update(args: argparse.Namespace) -> int:
    from indexer import write

    try:
        r = write.update(
            Path(args.corpus),
            Path(args.index),
            lock_timeout=args.lock_timeout,
            batch_size=args.batch_size,
            progress=_progress_bars(),
        )
    except IndexerError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(
            f"{exc} (the index keeps every batch committed so far; run update again to finish)"
        ) from exc
    _print_update(r)
    return 0


def _add_update(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "update",
        help="add new, replace changed and remove vanished files; keep duplicate groups right",
        description="Compare the corpus with the index (size and mtime, then content hash) "
        "and apply the difference in committed batches. Safe to interrupt: the next run "
        "finishes the work. Exits non-zero if another writer holds the index too long.",
    )
    _index_args(p)
    p.add_argument("--lock-timeout", type=float, default=10.0, metavar="SECONDS")
    p.add_argument("--batch-size", type=int, default=500, metavar="N", help="docs per commit")
    p.set_defaults(func=cmd_update)


def cmd_watch(args: argparse.Namespace) -> int:
    from indexer import watch

    try:
        watch.watch(
            Path(args.corpus),
            Path(args.index),
            interval=args.interval,
            report=_print_update,
            poll=args.poll,
            sweep=args.sweep,
        )
    except IndexerError as exc:
        raise CliError(str(exc)) from exc
    except KeyboardInterrupt:  # Ctrl-C is how watching ends: not an error
        print("stopped watching", file=sys.stderr)
    return 0


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


def cmd_stats(args: argparse.Namespace) -> int:
    from indexer.read import stats

    try:
        s = stats.stats(Path(args.index))
    except IndexerError as exc:
        raise CliError(str(exc)) from exc
    span = f"{s.first_published} .. {s.last_published}" if s.first_published else "none"
    print(f"articles: {s.articles}")
    print(f"stories: {s.stories}")
    print(f"sources: {s.sources}")
    print(f"sites: {s.sites}")
    print(f"dates: {span} ({s.undated} undated)")
    print(f"generation: {s.generation}")
    return 0


def _add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="print counts of articles, stories, sources, sites, dates")
    p.add_argument("--index", default=str(DEFAULT_INDEX), metavar="DIR", help="index root")
    p.set_defaults(func=cmd_stats)


def cmd_check(args: argparse.Namespace) -> int:
    from indexer.index import check

    try:
        r = check.check(Path(args.index))
    except IndexerError as exc:
        raise CliError(str(exc)) from exc
    where = Path(args.index) / r.generation
    if r.sound:
        print(f"index at {where} is sound ({r.files} files, {r.bytes:,} bytes verified)")
        return 0
    for problem in r.problems:
        print(f"damaged: {problem}")
    print(f"index at {where} is damaged: rebuild it with `python -m indexer build`")
    return 1


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


def _request_from_args(args: argparse.Namespace, q: str) -> SearchRequest:
    return SearchRequest(
        q=q,
        sources=tuple(args.source or ()),
        sites=tuple(args.site or ()),
        years=tuple(args.year or ()),
        regions=tuple(args.region or ()),
        documents=tuple(args.document or ()),
        date_from=args.date_from,
        date_to=args.date_to,
        sort=args.sort,
        page=args.page,
        per_page=args.per_page,
    )


def _terminal_snippet(snippet_html: str) -> str:
    """The snippet for a terminal: marks as 【】, entities decoded."""
    from html import unescape

    return unescape(snippet_html.replace("<mark>", "【").replace("</mark>", "】"))


def _print_result(result: SearchResult) -> None:
    first = (result.page - 1) * result.per_page
    print(f"{result.total} stories ({result.took_ms:.1f} ms)")
    for i, hit in enumerate(result.hits, start=first + 1):
        meta = " · ".join(x for x in (hit.published or "date unknown", hit.site or "") if x)
        print(f"\n{i}. {hit.title}  [{meta}]")
        if hit.sources:
            print(f"   sources: {'、'.join(hit.sources)}")
        print(f"   {_terminal_snippet(hit.snippet_html)}")
        for other in hit.also_at:
            print(f"   also at: {other.site or '?'} {other.published or ''} {other.path}")
        print(f"   {hit.path}")


def cmd_search(args: argparse.Namespace) -> int:
    from indexer.read.searcher import Searcher

    # A missing index (IndexNotFound) or an unreadable batch file is an OSError, which
    # main() reports in one line; a closed pipe (`| head`) ends quietly there too.
    if args.batch is None and args.query is None and args.export is None:
        raise CliError("give a query, or --batch FILE")
    searcher = Searcher(Path(args.index))
    if args.export is not None:
        from indexer.read.export import export_lines, iter_hits

        req = _request_from_args(args, args.query or "")
        for chunk in export_lines(args.export, iter_hits(searcher.search, req)):
            sys.stdout.buffer.write(chunk.encode("utf-8"))  # bytes: CRLF kept on every OS
        sys.stdout.buffer.flush()
        return 0
    if args.batch is not None:
        with open(args.batch, encoding="utf-8") as lines:
            for line in lines:
                q = line.rstrip("\n")
                print(_dump(searcher.search(_request_from_args(args, q)).to_json()), flush=True)
        return 0
    result = searcher.search(_request_from_args(args, args.query))
    if args.json:
        print(_dump(result.to_json()))
    else:
        _print_result(result)
    return 0


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
    p.add_argument("--sort", choices=("relevance", "newest", "oldest"), default="relevance")
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
