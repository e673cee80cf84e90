"""The body: a page's lines -> where its article is.

The body is the densest cluster of prose lines: a maximum-sum run over per-line weights
(the GeneralNewsExtractor idea applied to lines), which footers, prev/next links and the
byline bound like walls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer import patterns as P
from indexer.html_meta import HtmlHints
from indexer.html_page import html_lines
from indexer.lines import (
    BLANK,
    CONTENT,
    DATELINE,
    KEPT_IN_BODY,
    SHORT,
    Line,
    classify,
    prose_chars,
    weight,
)
from indexer.models import RawPage
from indexer.normalize import strip_pinyin_notes
from indexer.text_page import text_lines


class NoArticleText(Exception):
    """The page has no run of prose that could be an article."""


@dataclass(frozen=True)
class Layout:
    """A page as classified lines; `hints` is None for text dumps."""

    lines: tuple[Line, ...]
    kinds: tuple[str, ...]
    hints: HtmlHints | None = None


@dataclass(frozen=True)
class Selection:
    """Where the body is: lines [start, end) of the layout, and the byline above it."""

    start: int
    end: int
    dateline: int | None
    paragraphs: tuple[str, ...] = field(default=())


def layout(page: RawPage) -> Layout:
    """Lines and kinds for a page of either kind; pinyin notes are gone from here on."""
    text = P.STRAY_PINYIN_NOTE.sub("", strip_pinyin_notes(page.text))
    if page.kind == "html":
        lines, hints = html_lines(text)
    else:
        lines, hints = text_lines(text), None
    return Layout(lines=tuple(lines), kinds=tuple(classify(x) for x in lines), hints=hints)


# --- body -------------------------------------------------------------------------------


def densest_run(weights: list[int]) -> tuple[int, int, int]:
    """Maximum-sum contiguous run (Kadane): (start, end exclusive, sum); earliest on ties.

    Ties go to the earliest run because a page that renders its article twice puts the
    main rendering first.
    """
    best = (0, 0, 0)
    start, total = 0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            start, total = i, 0
        total += w
        if total > best[2]:
            best = (start, i + 1, total)
    return best


def select_body(page: Layout) -> Selection:
    """Find the body: the densest prose run, trimmed to lines worth keeping.

    Raises NoArticleText when no run holds enough prose to be an article.
    """
    weights = [weight(line, kind) for line, kind in zip(page.lines, page.kinds, strict=True)]
    start, end, total = densest_run(weights)
    if total < P.MIN_BODY_CHARS:
        raise NoArticleText("no article text found")
    signoff_end = extend_signoff(page, end)
    paragraphs = tuple(
        line.text
        for line, kind in zip(page.lines[start:end], page.kinds[start:end], strict=True)
        if kind in KEPT_IN_BODY
    ) + tuple(line.text for line in page.lines[end:signoff_end] if line.text)
    end = signoff_end
    return Selection(
        start=start, end=end, dateline=byline_above(page, start), paragraphs=paragraphs
    )


def is_bare_date(text: str) -> bool:
    """A line that is only a date: how documents sign off ("2024年3月15日")."""
    match = P.DATE.search(text)
    return bool(match) and prose_chars(text[: match.start()] + text[match.end() :]) == 0


def extend_signoff(page: Layout, end: int) -> int:
    """End of the body once a document's sign-off after the prose is included.

    Notices end with the issuer on its own line(s), a bare date and sometimes a note such
    as "(此件公开发布)". The date would otherwise stop the body (it looks like a byline),
    and the short issuer line would be trimmed; both belong to the document.
    """
    issuers = 0
    for i in range(end, len(page.lines)):
        kind, text = page.kinds[i], page.lines[i].text
        if kind == BLANK:
            continue
        if kind == DATELINE and is_bare_date(text):
            if not issuers:
                return end
            after = next((j for j in range(i + 1, len(page.lines)) if page.lines[j].text), None)
            if after is not None and P.SIGNOFF_NOTE.match(page.lines[after].text):
                return after + 1
            return i + 1
        if kind != SHORT or len(text) > P.MAX_SIGNOFF_CHARS or issuers >= P.MAX_SIGNOFF_LINES:
            return end
        issuers += 1
    return end


def byline_above(page: Layout, start: int) -> int | None:
    """The date line right above the body: nearest DATELINE with no prose in between."""
    for i in range(start - 1, -1, -1):
        if page.kinds[i] == DATELINE:
            return i
        if page.kinds[i] == CONTENT:
            return None
    return None
