"""File -> Article or Skipped: the only module that knows the order of the stages.

load (bytes -> RawPage) -> body.layout (text_page or html_page: lines and their kinds) ->
body.select_body (the prose under the article's head, else the densest prose run) ->
repeats.collapse_repeats (a body rendered twice) -> metadata.extract (title, date, sources,
site). A bad file never raises out of here: it becomes Skipped with a
one-line reason, so indexing a corpus carries on past it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from indexer.corpus import OUTSIDE, corpus_relpath, iter_pages
from indexer.extract import body, metadata, repeats
from indexer.extract.budget import Budget, BudgetExceeded
from indexer.extract.load import UnreadablePage, file_hash, load_bytes, read_limited
from indexer.extract.patterns import MAX_FILE_BYTES
from indexer.models import Article, RawPage, Skipped
from indexer.normalize import fold

log = logging.getLogger(__name__)

__all__ = [
    "MAX_FILE_BYTES",
    "article_id",
    "content_hash",
    "iter_corpus",
    "process_bytes",
    "process_file",
]

_WHITESPACE = re.compile(r"\s+")


def article_id(relpath: str) -> str:
    """Stable id from the path relative to the corpus root: re-indexing keeps ids."""
    return hashlib.blake2b(relpath.encode("utf-8"), digest_size=8).hexdigest()


def content_hash(body: str) -> str:
    """sha256 of the folded body without whitespace: copies differing in width, script
    or spacing share it."""
    return hashlib.sha256(_WHITESPACE.sub("", fold(body)).encode("utf-8")).hexdigest()


def relative_path(path: Path, corpus_root: Path) -> str | None:
    """The real path of `path` relative to the corpus root with "/" separators, or None
    when it lies outside (corpus.corpus_relpath: one rule for every reader)."""
    return corpus_relpath(path, corpus_root)


def article_from_page(page: RawPage, budget: Budget | None = None) -> Article:
    """Run the text stages on a decoded page. Raises body.NoArticleText, and
    BudgetExceeded when the page costs more than `budget` allows."""
    budget = budget or Budget()
    budget.check_size(len(page.text))
    lines = body.layout(page)
    budget.check("layout")
    selection = body.select_body(lines)
    budget.check("body selection")
    paragraphs = repeats.collapse_repeats(selection.paragraphs, budget=budget)
    meta = metadata.extract(lines, selection)
    budget.check("metadata")
    if not meta.title_inferred:
        paragraphs = repeats.drop_title_echo(paragraphs, meta.title)
    if not paragraphs:
        raise body.NoArticleText("no article text found")
    text = "\n".join(paragraphs)
    return Article(
        id=article_id(page.path),
        path=page.path,
        title=meta.title,
        title_inferred=meta.title_inferred,
        published=meta.published,
        sources=meta.sources,
        site=meta.site,
        body=text,
        content_hash=content_hash(text),
        file_hash=page.file_hash,
        encoding=page.encoding,
    )


def process_bytes(data: bytes, relpath: str, budget: Budget | None = None) -> Article | Skipped:
    """Bytes of one page (an upload, or a file already read) -> Article or Skipped.

    Each page gets its own extraction budget (budget.py), started here unless the caller
    passes one: a page that costs more is skipped with the reason, never waited for.
    """
    digest = file_hash(data)
    budget = budget or Budget()
    try:
        page = load_bytes(data, relpath)
        budget.check("decoding")
        return article_from_page(page, budget)
    except (UnreadablePage, body.NoArticleText, BudgetExceeded) as exc:
        return Skipped(path=relpath, reason=str(exc), file_hash=digest)
    except (UnicodeError, ValueError, RecursionError) as exc:
        log.warning("cannot parse %s: %s", relpath, exc)
        return Skipped(path=relpath, reason=f"cannot parse page: {exc}", file_hash=digest)


def process_file(path: Path, corpus_root: Path, budget: Budget | None = None) -> Article | Skipped:
    """One file -> Article or Skipped; never raises for a bad or missing file."""
    relpath = relative_path(path, corpus_root)
    if not relpath:
        return Skipped(path=path.name, reason=OUTSIDE)
    try:
        data = read_limited(path)
    except UnreadablePage as exc:
        return Skipped(path=relpath, reason=str(exc))
    except IsADirectoryError:
        return Skipped(path=relpath, reason="is a directory")
    except OSError as exc:
        return Skipped(path=relpath, reason=f"cannot read file: {exc.strerror or exc}")
    return process_bytes(data, relpath, budget)


def iter_corpus(root: Path) -> list[Path]:
    """Every page under `root` (.txt/.html/.htm, recursive), sorted, each real file once;
    hidden and temporary files are left out because a crawler may still be writing them
    (corpus.walk, the walk the store and the watcher use)."""
    return iter_pages(root)
