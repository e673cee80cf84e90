"""File -> Article or Skipped: the only module that knows the order of the stages.

load (bytes -> RawPage) -> body.layout (text_page or html_page: lines and their kinds) ->
body.select_body (the prose under the article's head, else the densest prose run) ->
repeats.collapse_repeats (a body rendered twice) -> metadata.extract (title, date, sources,
site). A bad file never raises out of here: it becomes Skipped with a
one-line reason, so indexing a corpus carries on past it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from indexer.corpus import OUTSIDE, corpus_relpath, iter_pages
from indexer.extract import body, documents, metadata, regions, repeats
from indexer.extract import templates as templates_
from indexer.extract.budget import Budget, BudgetExceeded
from indexer.extract.load import UnreadablePage, file_hash, load_bytes, read_limited
from indexer.extract.patterns import MAX_FILE_BYTES
from indexer.extract.templates import Templates
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
    "survey_bytes",
    "survey_file",
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


@dataclass(frozen=True)
class PageLines:
    """What one page adds to its site's template counts (templates.py): the site key
    single-page extraction gives it, and the keys of its candidate lines."""

    site: str | None
    keys: frozenset[int]


def article_from_page(
    page: RawPage, budget: Budget | None = None, templates: Templates | None = None
) -> Article:
    """Run the text stages on a decoded page. Raises body.NoArticleText, and
    BudgetExceeded when the page costs more than `budget` allows."""
    return extract_page(page, budget, templates)[0]


# What a page was when it was read alone before: (file hash, site key). A build reads a
# page again with its site's template knowing the key already, so the page's own reading,
# which only chose the key, is not done again unless the template leaves no prose.
KnownSite = tuple[str, str]


def extract_page(
    page: RawPage,
    budget: Budget | None = None,
    templates: Templates | None = None,
    survey: bool = False,
    known: KnownSite | None = None,
) -> tuple[Article, PageLines | None]:
    """The article of a decoded page, and (when `survey`) what it adds to its site's
    template counts.

    The page is first read alone; when `templates` holds its site's template and some of
    its lines are in it, the body and metadata are found again with those lines as
    chrome. Rendering is the costly stage and is done once. With `known` (for these
    very bytes), the site key is taken from it and the reading alone is done only when
    the template changes nothing or leaves no prose: the same article either way.
    """
    budget = budget or Budget()
    budget.check_size(len(page.text))
    lines = body.layout(page)
    budget.check("layout")
    alone: Article | None = None
    if known is not None and known[0] == page.file_hash:
        key: str | None = known[1]
    else:
        alone = _article(page, lines, budget)
        key = templates_.site_key(page.kind, alone.site)
    found = PageLines(key, templates_.page_keys(_texts(lines), lines.kinds)) if survey else None
    template = templates.get(key) if templates and key else None
    if template:
        kinds = templates_.mark(_texts(lines), lines.kinds, template)
        if kinds != lines.kinds:
            # When the template leaves no prose, the page's own reading stands.
            with contextlib.suppress(body.NoArticleText):
                return _article(page, body.Layout(lines.lines, kinds, lines.hints), budget), found
    return alone or _article(page, lines, budget), found


def _texts(lines: body.Layout) -> list[str]:
    return [line.text for line in lines.lines]


def _article(page: RawPage, lines: body.Layout, budget: Budget) -> Article:
    """Body and metadata of a laid-out page."""
    selection = body.select_body(lines)
    budget.check("body selection")
    paragraphs = repeats.collapse_repeats(selection.paragraphs, budget=budget)
    meta = metadata.extract(lines, selection)
    budget.check("metadata")
    if not meta.title_inferred:
        paragraphs = repeats.drop_title_echo(paragraphs, meta.title)
    if not paragraphs:
        raise body.NoArticleText("no article text found")
    text = "\n".join(selection.text_around(paragraphs))
    found_regions, found_documents = article_facts(meta.title, text)
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
        regions=found_regions,
        documents=found_documents,
    )


def article_facts(title: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What an article is about and which policies it mentions, from its clean text:
    the leagues and cities (regions.py) and the documents (documents.py)."""
    return regions.assign(title, text), documents.documents(title, text)


def process_bytes(
    data: bytes, relpath: str, budget: Budget | None = None, templates: Templates | None = None
) -> Article | Skipped:
    """Bytes of one page (an upload, or a file already read) -> Article or Skipped.

    Each page gets its own extraction budget (budget.py), started here unless the caller
    passes one: a page that costs more is skipped with the reason, never waited for.
    """
    return survey_bytes(data, relpath, budget, templates, survey=False)[0]


def survey_bytes(
    data: bytes,
    relpath: str,
    budget: Budget | None = None,
    templates: Templates | None = None,
    survey: bool = True,
    known: KnownSite | None = None,
) -> tuple[Article | Skipped, PageLines | None]:
    """process_bytes, plus the page's contribution to its site's template counts (None
    for a skipped page, or when not asked for); `known` as for extract_page."""
    digest = file_hash(data)
    budget = budget or Budget()
    try:
        page = load_bytes(data, relpath)
        budget.check("decoding")
        return extract_page(page, budget, templates, survey, known)
    except (UnreadablePage, body.NoArticleText, BudgetExceeded) as exc:
        return Skipped(path=relpath, reason=str(exc), file_hash=digest), None
    except (UnicodeError, ValueError, RecursionError) as exc:
        log.warning("cannot parse %s: %s", relpath, exc)
        return Skipped(path=relpath, reason=f"cannot parse page: {exc}", file_hash=digest), None


def process_file(
    path: Path, corpus_root: Path, budget: Budget | None = None, templates: Templates | None = None
) -> Article | Skipped:
    """One file -> Article or Skipped; never raises for a bad or missing file."""
    return survey_file(path, corpus_root, budget, templates, survey=False)[0]


def survey_file(
    path: Path,
    corpus_root: Path,
    budget: Budget | None = None,
    templates: Templates | None = None,
    survey: bool = True,
    known: KnownSite | None = None,
) -> tuple[Article | Skipped, PageLines | None]:
    """process_file, plus the page's contribution to its site's template counts."""
    relpath = relative_path(path, corpus_root)
    if not relpath:
        return Skipped(path=path.name, reason=OUTSIDE), None
    try:
        data = read_limited(path)
    except UnreadablePage as exc:
        return Skipped(path=relpath, reason=str(exc)), None
    except IsADirectoryError:
        return Skipped(path=relpath, reason="is a directory"), None
    except OSError as exc:
        return Skipped(path=relpath, reason=f"cannot read file: {exc.strerror or exc}"), None
    return survey_bytes(data, relpath, budget, templates, survey, known)


def iter_corpus(root: Path) -> list[Path]:
    """Every page under `root` (.txt/.html/.htm, recursive), sorted, each real file once;
    hidden and temporary files are left out because a crawler may still be writing them
    (corpus.walk, the walk the writer and the watcher use)."""
    return iter_pages(root)
