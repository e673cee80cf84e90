"""The body: a page's lines -> where its article is.

The body is the densest cluster of prose lines: a maximum-sum run over per-line weights
(the GeneralNewsExtractor idea applied to lines), which footers, prev/next links and the
byline bound like walls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer.extract import patterns as P
from indexer.extract.credits import credits_above, credits_below
from indexer.extract.heads import Head, find_heads, prose_starts_after
from indexer.extract.html_meta import HtmlHints
from indexer.extract.html_page import html_lines
from indexer.extract.lines import (
    BLANK,
    CONTENT,
    CREDIT,
    DATELINE,
    KEPT_IN_BODY,
    SHORT,
    WALLS,
    Line,
    classify,
    is_bare_date,
    join_split_dates,
    split_link_tail,
    undoubled,
    weight,
)
from indexer.extract.text_page import text_lines
from indexer.models import RawPage
from indexer.normalize import strip_pinyin_notes


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
    """Where the body is: lines [start, end) of the layout, the line with the byline's
    date above it, and the article head (headline and byline block) it hangs from.
    `lead` and `tail` are the credit lines right above and under it (credits.py): the
    body text holds them, the paragraphs metadata reads do not."""

    start: int
    end: int
    dateline: int | None
    paragraphs: tuple[str, ...] = field(default=())
    head: Head | None = None
    lead: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()

    def text_around(self, paragraphs: Sequence[str]) -> list[str]:
        """The body's lines: these paragraphs (the selection's, once repeats are gone)
        between the credit lines above and under them."""
        return [*self.lead, *paragraphs, *self.tail]


def layout(page: RawPage) -> Layout:
    """Lines and kinds for a page of either kind; pinyin notes and icon glyphs are gone
    from here on."""
    text = P.STRAY_PINYIN_NOTE.sub("", strip_pinyin_notes(P.ICON_GLYPH.sub("", page.text)))
    if page.kind == "html":
        lines, hints = html_lines(text)
    else:
        lines, hints = text_lines(text), None
    lines = join_split_dates([part for line in lines for part in split_link_tail(undoubled(line))])
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


def run_sums(weights: list[int]) -> tuple[list[int], list[int]]:
    """For every line i, the largest sum of a run that starts at i and where that run
    ends (exclusive): one backward pass, so any set of candidate starts costs O(n)."""
    n = len(weights)
    best = [0] * n
    ends = [0] * n
    for i in range(n - 1, -1, -1):
        if i + 1 < n and best[i + 1] > 0:
            best[i], ends[i] = weights[i] + best[i + 1], ends[i + 1]
        else:
            best[i], ends[i] = weights[i], i + 1
    return best, ends


@dataclass(frozen=True)
class _Runs:
    """Best run from every line, twice: with HTML outside the main block as a wall, and
    without (for when the block chosen by the DOM score is not the article's)."""

    inside: tuple[list[int], list[int]]
    anywhere: tuple[list[int], list[int]]

    def at(self, page: Layout, start: int) -> tuple[int, int]:
        """(sum, end) of the best run from `start`: a run that starts in the main block
        stays in it; one that starts outside may go anywhere."""
        best, ends = self.anywhere if page.lines[start].outside else self.inside
        return best[start], ends[start]


def anchored_run(
    page: Layout, heads: list[Head], runs: _Runs, floor: int = P.MIN_BODY_CHARS
) -> tuple[Head, int, int] | None:
    """The head whose text run is the article, as (head, start, end): a titled head
    before an untitled one, then the one with the most prose under it, unless <title>
    names another titled head with a fair share of that prose under it (a sidebar's heads
    may hold more prose than a short article); None when no head has prose under it.
    A head printed inside page chrome (a related-stories box, a comment stream) ranks as
    untitled: its headline is another story's."""
    best: tuple[tuple[bool, int], Head, int, int] | None = None
    named: tuple[tuple[bool, int], Head, int, int] | None = None
    for head in heads:
        for start in prose_starts_after(page.lines, page.kinds, head):
            total, end = runs.at(page, start)
            if total < floor:
                continue
            key = (head.title is not None and not in_chrome(page, head), total)
            if best is None or key > best[0]:
                best = (key, head, start, end)
            if named_by_title_tag(page, head) and (named is None or key > named[0]):
                named = (key, head, start, end)
    if best is not None and named is not None and named[0][1] >= P.NAMED_HEAD_SHARE * best[0][1]:
        best = named
    return (best[1], best[2], best[3]) if best else None


def in_chrome(page: Layout, head: Head) -> bool:
    """Whether a head's headline and date both sit in page chrome (nav, aside, related
    lists, comments): a teaser of another story, however article-like its byline."""
    return page.lines[head.date].chrome and (head.title is None or page.lines[head.title].chrome)


def named_by_title_tag(page: Layout, head: Head) -> bool:
    """Whether the page's <title> holds the head's headline: a sidebar's heads have titles
    too, and may have more prose under them than a short article."""
    if page.hints is None or head.title is None:
        return False
    text = P.SPACES.sub("", page.lines[head.title].text)
    return len(text) >= P.MIN_TITLE_CHARS and text in P.SPACES.sub("", page.hints.title_tag)


def head_over(page: Layout, heads: list[Head], start: int) -> Head | None:
    """The head right above a body found without one: the last head before it with no
    prose line in between."""
    above = [h for h in heads if h.end <= start]
    if not above:
        return None
    head = above[-1]
    between = page.kinds[head.end : start]
    return None if CONTENT in between else head


def news_flash(page: Layout, heads: list[Head], runs: _Runs) -> tuple[Head, int, int]:
    """A page whose only text is a flash: one closed sentence under a headline and its
    dated byline, too short to be taken for an article anywhere else on a page.

    Raises NoArticleText when there is none: short text under no headline is chrome."""
    titled = [head for head in heads if head.title is not None]
    found = anchored_run(page, titled, runs, P.MIN_FLASH_CHARS)
    if found is None or not P.SENTENCE_END.search(page.lines[found[1]].text):
        raise NoArticleText("no article text found")
    return found


def select_body(page: Layout) -> Selection:
    """Find the body: the prose run under the article's head, else the densest prose run
    of the page, trimmed to lines worth keeping.

    Raises NoArticleText when no run holds enough prose to be an article.
    """
    pairs = list(zip(page.lines, page.kinds, strict=True))
    walled = [weight(line, kind) for line, kind in pairs]
    open_ = [weight(line, kind, outside_is_wall=False) for line, kind in pairs]
    runs = _Runs(inside=run_sums(walled), anywhere=run_sums(open_))
    heads = find_heads(page.lines, page.kinds)
    anchored = anchored_run(page, heads, runs)
    if anchored is not None:
        head, start, end = anchored
    else:
        start, end, total = densest_run(walled)
        if total < P.MIN_BODY_CHARS:
            start, end, total = densest_run(open_)
        if total < P.MIN_BODY_CHARS:
            head, start, end = news_flash(page, heads, runs)
        else:
            head = head_over(page, heads, start)
            if (
                head is None
                and total < P.MIN_HEADLESS_BODY_CHARS
                and not _full_stop(page, start, end)
            ):
                # A line or two under no headline and no date, without a full stop: a
                # news list's teasers (headlines), not an article; a flash has its
                # headline and byline, a note at least one sentence.
                raise NoArticleText("no article text found")
    end = before_author_box(page, start, end)
    closed = closing_notes(page, extend_signoff(page, end))
    paragraphs = tuple(
        line.text
        for line, kind in zip(page.lines[start:end], page.kinds[start:end], strict=True)
        if kind in KEPT_IN_BODY
    ) + tuple(line.text for line in page.lines[end:closed] if line.text)
    end = closed
    dateline = head.date if head is not None else byline_above(page, start)
    return Selection(
        start=start,
        end=end,
        dateline=dateline,
        paragraphs=paragraphs,
        head=head,
        lead=credits_above(page.lines, page.kinds, start),
        tail=credits_below(page.lines, page.kinds, end),
    )


def _full_stop(page: Layout, start: int, end: int) -> bool:
    """Whether a line of [start, end) closes a sentence with a full stop: headlines end
    with "！" or "？" or nothing, rarely with "。"."""
    return any(P.FULL_STOP in line.text for line in page.lines[start:end])


def before_author_box(page: Layout, start: int, end: int) -> int:
    """End of the body before an author box that closes it: the reporter's title alone on
    a line ("经济观察报地产部记者") and a line or two about them, after the article's
    last paragraph. The box reads like prose, but it is about the writer, not the news."""
    tail = 0
    for i in range(end - 1, start, -1):
        text = page.lines[i].text
        if not text:
            continue
        if P.AUTHOR_BOX.match(text):
            first = i
            while first - 1 > start and P.AUTHOR_BOX.match(page.lines[first - 1].text):
                first -= 1
            return first
        tail += 1
        if tail > P.MAX_AUTHOR_BOX_LINES:
            return end
    return end


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
        # The date a document signs off with, in digits or in Chinese numerals
        # ("二〇〇八年五月十二日", which alone on a line reads as no byline).
        if (kind == DATELINE or P.HAN_DATE.search(text)) and is_bare_date(text):
            if not issuers:
                return end
            after = next((j for j in range(i + 1, len(page.lines)) if page.lines[j].text), None)
            if after is not None and P.SIGNOFF_NOTE.match(page.lines[after].text):
                return after + 1
            return i + 1
        if page.lines[i].chrome:
            return end
        if kind != SHORT or len(text) > P.MAX_SIGNOFF_CHARS or issuers >= P.MAX_SIGNOFF_LINES:
            return end
        issuers += 1
    return end


def closing_notes(page: Layout, end: int) -> int:
    """End of the body once the notes in brackets right under it are included.

    An article may close with a line wholly in brackets: the author's affiliation, the
    reporter, the original headline, where it was first printed. Such a note is short and
    unpunctuated, so the prose run stops before it, but it is the article's own text (and
    what a reader searches a reporter by). A 来源 credit stays out (the sources field holds
    it); walls (an editor's credit, a template line), page chrome and any other line end
    the search.
    """
    closed, notes = end, 0
    for i in range(end, min(len(page.lines), end + P.MAX_CLOSING_NOTE_SCAN)):
        kind, line = page.kinds[i], page.lines[i]
        if kind == BLANK:
            continue
        if (
            notes >= P.MAX_CLOSING_NOTES
            or kind in WALLS
            or kind == CREDIT
            or line.chrome
            or not P.CLOSING_NOTE.match(line.text)
        ):
            break
        notes, closed = notes + 1, i + 1
    return closed


def byline_above(page: Layout, start: int) -> int | None:
    """The date line right above the body: nearest DATELINE with no prose in between."""
    for i in range(start - 1, -1, -1):
        if page.kinds[i] == DATELINE:
            return i
        if page.kinds[i] == CONTENT:
            return None
    return None
