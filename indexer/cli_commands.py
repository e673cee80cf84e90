"""What each command of the command line does and prints; cli.py declares the commands and
their flags and dispatches here.

A handler takes the parsed arguments, calls the library, and prints its own output (a
report line, a result, JSON Lines). An error worth one line to the user is a CliError, which
cli.main prints; the library's own errors (IndexerError) become one, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from indexer.index.errors import IndexerError
from indexer.models import SearchRequest, SearchResult


class CliError(Exception):
    """An error worth one line to the user; main() prints it and exits 2."""


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


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


def named_pages(paths: list[str]) -> list[Path]:
    """The PATH arguments of `update` as absolute paths (relative ones are from the
    current folder, as in any command); a folder is refused, since updating one page
    by name must not quietly mean re-reading every page under it."""
    out = []
    for raw in paths:
        path = Path(os.path.abspath(raw))
        if path.is_dir():
            raise CliError(
                f"{raw} is a folder: name pages, or run update without paths to walk the corpus"
            )
        out.append(path)
    return out


def cmd_update(args: argparse.Namespace) -> int:
    from indexer import write

    try:
        if getattr(args, "paths", None):
            r = write.index_files(
                Path(args.index),
                Path(args.corpus),
                named_pages(args.paths),
                lock_timeout=args.lock_timeout,
            )
        else:
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
    from indexer.read.result_json import result_json
    from indexer.read.searcher import Searcher

    # A missing index (IndexNotFound) or an unreadable batch file is an OSError, which
    # main() reports in one line; a closed pipe (`| head`) ends quietly there too.
    if args.batch is None and args.query is None and args.export is None:
        raise CliError("give a query, or --batch FILE")
    searcher = Searcher(Path(args.index))
    if args.export is not None:
        from indexer.read.export import export_lines

        req = _request_from_args(args, args.query or "")
        for chunk in export_lines(args.export, searcher.stories(req)):
            sys.stdout.buffer.write(chunk.encode("utf-8"))  # bytes: CRLF kept on every OS
        sys.stdout.buffer.flush()
        return 0
    if args.batch is not None:
        with open(args.batch, encoding="utf-8") as lines:
            for line in lines:
                q = line.rstrip("\n")
                print(_dump(result_json(searcher.search(_request_from_args(args, q)))), flush=True)
        return 0
    result = searcher.search(_request_from_args(args, args.query))
    if args.json:
        print(_dump(result_json(result)))
    else:
        _print_result(result)
    return 0
