"""Article heads: the headline with its byline block, found before the body is.

A news or government page opens its article with the same furniture whatever the site: a
headline, then a byline block (a date, a 来源 credit, an author, share and font widgets,
in one line or spread over several), then the text. That block is the most reliable
landmark a page has: sidebars, comment streams and disclaimers can hold more prose than a
short article, but they do not sit under a headline and a dated byline. So the heads are
found first, from the line kinds alone, and the body search (body.py) prefers the prose
run that starts right under one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indexer.extract import field_patterns as PF
from indexer.extract import patterns as P
from indexer.extract.lines import (
    BARE,
    BLANK,
    BYLINE,
    CONTENT,
    CREDIT,
    DATELINE,
    FIELD,
    IMAGE,
    LABEL,
    LIST,
    MENU,
    SHORT,
    STOP,
    TEMPLATE,
    WIDGET,
    Line,
    has_han,
    is_bare_date,
    is_calendar,
    is_names_line,
    is_reporters_line,
)

# Kinds a byline block may be made of (besides its date line).
BYLINE_BLOCK = frozenset({DATELINE, CREDIT, BYLINE, WIDGET, IMAGE, BLANK, LABEL})
# Kinds passed over between a headline and its byline (a subtitle is handled apart).
_BETWEEN_TITLE_AND_BYLINE = frozenset({BLANK, WIDGET, IMAGE, LABEL, FIELD, TEMPLATE})
# Kinds passed over between a byline block and its text, however many.
_PASSED_TO_BODY = frozenset({BLANK, WIDGET, IMAGE})
# Kinds a headline line may have (heads and metadata's fallbacks alike).
TITLE_KINDS = frozenset({SHORT, CONTENT, BARE})
# Kinds above a headline: once met, the search is in the page's menus.
ABOVE_TITLE = frozenset({MENU, LIST, STOP})


@dataclass(frozen=True)
class Head:
    """One article head: the byline block [start, end), the line with its date, and the
    headline line above it (None when the block has no headline over it)."""

    start: int
    end: int
    date: int
    title: int | None


def good_title(text: str) -> bool:
    """Headline shape: a few to a hundred characters, Chinese text, not a sentence, and
    not a date alone or with its weekday ("2008年5月12日 星期一")."""
    return (
        P.MIN_TITLE_CHARS <= len(text) <= P.MAX_TITLE_CHARS
        and not text.endswith("。")
        and has_han(text, P.MIN_TITLE_HAN)
        and not is_bare_date(text)
        and not (is_calendar(text) and P.DATE.search(text) is not None)
    )


def byline_block(kinds: Sequence[str], i: int) -> tuple[int, int]:
    """The run of byline-block lines around line i, trimmed of blank ends."""
    start, end = i, i + 1
    while start > 0 and kinds[start - 1] in BYLINE_BLOCK and i - start < P.MAX_BYLINE_LINES:
        start -= 1
    while end < len(kinds) and kinds[end] in BYLINE_BLOCK and end - i < P.MAX_BYLINE_LINES:
        end += 1
    while start < i and kinds[start] == BLANK:
        start += 1
    while end > i + 1 and kinds[end - 1] == BLANK:
        end -= 1
    return start, end


def headline_above(lines: Sequence[Line], kinds: Sequence[str], start: int) -> int | None:
    """The headline over a byline block: the nearest title-shaped line above it, past
    blank lines, widgets and a subtitle ("——记…"), at most two other lines up."""
    seen = 0
    name: int | None = None  # a short line over the byline that may be its author's name
    card: int | None = None  # the name line of a writer's card passed over
    # Bounded: a page of many byline-like lines apart from each other by blank or widget
    # lines must cost a few lines per head, never a walk to the top of the page.
    for i in range(start - 1, max(-1, start - 1 - P.MAX_HEADLINE_SCAN), -1):
        kind, line = kinds[i], lines[i]
        if kind in _BETWEEN_TITLE_AND_BYLINE or i == card:
            continue
        if kind in TITLE_KINDS and (found := card_name(lines, kinds, i)) is not None:
            card = found  # a columnist's card: the caption, then its name line, passed over
            continue
        # A list item is menu, unless it is the one item of its list (a headline in <li>).
        lone = kind == LIST and (lone_item(lines, kinds, i) or _over_card(lines, kinds, i, card))
        if kind in ABOVE_TITLE and not lone:
            return name
        if P.SUBTITLE.match(line.text) or is_reporters_line(line.text):
            continue  # a subtitle or the reporters' line between headline and byline
        headline_kind = lone or (kind in TITLE_KINDS and not line.bullet)
        if headline_kind and good_title(line.text):
            short_name = kind == SHORT and not line.heading and _name_shaped(line.text)
            if name is not None:
                if not short_name:
                    return i if len(line.text) >= PF.MIN_BELOW_TITLE_CHARS else name
                # Another name over the first (the outlet's over a promo's, the poster's
                # over the account's): the headline, if any, stands over the whole stack.
                seen += 1
                if seen >= P.MAX_LINES_OVER_BYLINE:
                    return name
                continue
            if not short_name:
                return i
            name = i  # the author's or account's name, if a headline stands over it
            continue
        if lone:
            return name  # a lone item that is no headline: the menus begin
        seen += 1
        if seen >= P.MAX_LINES_OVER_BYLINE:
            return name
    return name


def _name_shaped(text: str) -> bool:
    """A line short enough, or shaped enough, to be a name over a byline rather than a
    headline: an author's, an account's, an outlet's (an avatar's placeholder beside it,
    "某某科技 []", is no part of it)."""
    text = P.PLACEHOLDER.sub("", text).strip()
    if PF.DOC_KIND_END.search(text):
        return False  # the end of a document's title ("工作要点"), broken onto its own line
    return (
        len(text) <= PF.MAX_NAME_OVER_BYLINE_CHARS
        or bool(PF.ACCOUNT_BYLINE.match(text + " "))  # "原创 作者 账号": who posted it
        or is_names_line(text)
        or bool(PF.NAME_AND_OUTLET.match(text))
    )


def nearest_text(kinds: Sequence[str], i: int, step: int) -> int | None:
    """The nearest line from i (exclusive) in direction `step` that is not blank, within
    MAX_HEADLINE_SCAN lines."""
    for j in range(i + step, i + step * (P.MAX_HEADLINE_SCAN + 1), step):
        if not 0 <= j < len(kinds):
            return None
        if kinds[j] != BLANK:
            return j
    return None


def card_name(lines: Sequence[Line], kinds: Sequence[str], i: int) -> int | None:
    """The name line of a writer's card when line i is its caption: an opinion column
    prints its writer's name alone ("王某"), then the name run into their post
    ("王某某大学某研究院院长"), between headline and byline. The caption reads like a
    headline; glued to the name with no punctuation, it is none. Returns the name's line."""
    j = nearest_text(kinds, i, -1)
    if j is None:
        return None
    name, text = lines[j].text.strip(), lines[i].text
    return (
        j
        if PF.CARD_NAME.match(name)
        and len(text) <= PF.MAX_CARD_CAPTION_CHARS
        and text.startswith(name)
        and has_han(text[len(name) : len(name) + 1], 1)
        and not PF.CARD_PUNCTUATION.search(text)
        else None
    )


def _over_card(lines: Sequence[Line], kinds: Sequence[str], i: int, card: int | None) -> bool:
    """Whether list line i is the one item over a writer's card: the card's name line,
    drawn as an item too, is the only item next to it."""
    if card is None or nearest_text(kinds, i, 1) != card:
        return False
    above = nearest_text(kinds, i, -1)
    return above is None or not lines[above].bullet


def lone_item(lines: Sequence[Line], kinds: Sequence[str], i: int) -> bool:
    """Whether list line i stands alone: the nearest lines above and under it that are
    not blank are no bulleted items. A menu or a news list is a run of items (a news
    list's dates are items too); a page that prints its headline as the one item of a
    list (a text browser draws it with a bullet) has a single item over the byline."""
    return not any(
        j is not None and lines[j].bullet
        for j in (nearest_text(kinds, i, -1), nearest_text(kinds, i, 1))
    )


def find_heads(lines: Sequence[Line], kinds: Sequence[str]) -> list[Head]:
    """Every head of the page in page order: one per byline block that holds a date."""
    heads: list[Head] = []
    covered = -1
    for i, kind in enumerate(kinds):
        if kind != DATELINE or i < covered:
            continue
        start, end = byline_block(kinds, i)
        covered = end
        heads.append(Head(start=start, end=end, date=i, title=headline_above(lines, kinds, start)))
    return heads


def prose_starts_after(lines: Sequence[Line], kinds: Sequence[str], head: Head) -> list[int]:
    """Where the text under a head may start: the prose lines within a few lines of the
    byline block (past images, widgets, a subtitle, a "loading…" notice), up to the first
    wall. HTML lines in nav, footer or comment elements are passed over."""
    starts = []
    seen = prose = 0
    # Share bars and QR-code boxes may print a dozen widget lines, twice: they do not count
    # against the lines allowed between byline and text (the scan is still bounded).
    for i in range(head.end, min(len(kinds), head.end + P.MAX_HEAD_TO_BODY_SCAN)):
        if kinds[i] == CONTENT and not lines[i].chrome:
            starts.append(i)
            prose += len(lines[i].text)
        elif kinds[i] == DATELINE or kinds[i] == STOP and not _passed_stop(lines[i].text, prose):
            break
        if kinds[i] not in _PASSED_TO_BODY:
            seen += 1
            if seen >= P.MAX_HEAD_TO_BODY_LINES:
                break
    return starts


def _passed_stop(text: str, prose: int) -> bool:
    """Whether a wall under a byline is passed over in the search for the text: a lone
    "评论" of a share bar, or a "相关新闻：" box of a link or two that a page puts between
    byline and text, while what came before it is too little to be the article (a promo
    line, a video caption)."""
    if _share_bar_word(text):
        return True
    return prose < P.MIN_TEXT_BEFORE_RELATED and bool(P.RELATED.match(text))


def _share_bar_word(text: str) -> bool:
    """A lone "评论" or "留言" under a byline is a share-bar link, not the comment section
    that ends an article."""
    return len(text) <= P.MAX_SHARE_BAR_WORD and bool(P.RELATED.match(text))
