"""Second stage: RawPage -> lines with a kind each -> the article body.

Both page kinds become the same thing, a list of `Line`s: a text dump is split on newlines,
an HTML page is rendered from its DOM (block elements end lines, list items are bullets,
link text is measured, and everything outside the densest content block is marked chrome).
Each line is then classified by the patterns in patterns.py, and the body is the densest
cluster of prose lines: a maximum-sum run over per-line weights (the GeneralNewsExtractor
idea applied to lines), which footers, prev/next links and the byline bound like walls.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from bs4 import (
    BeautifulSoup,
    Comment,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)

from indexer import patterns as P
from indexer.models import RawPage
from indexer.normalize import strip_pinyin_notes

log = logging.getLogger(__name__)

# Line kinds.
BLANK = "blank"
STOP = "stop"  # footer, prev/next, editor credit, related-list header: a wall
DATELINE = "dateline"  # the byline with the page's date: the wall above the body
CHROME = "chrome"  # HTML outside the main block, or inside nav/footer-like elements
LIST = "list"  # a short bulleted item: menus outside a body, list items inside one
MENU = "menu"  # breadcrumbs and link rows
WIDGET = "widget"  # font size, print, share, QR-code prompts
IMAGE = "image"  # image placeholders and file names
CREDIT = "credit"  # "来源:..." / "(摘编自:...)" lines
LABEL = "label"  # a bare "附件:" label
FIELD = "field"  # a row of a document's information table (索引号:, 发文字号:)
CONTENT = "content"  # punctuated prose
SHORT = "short"  # short unpunctuated line: subheading, title, account name, menu word
BARE = "bare"  # long unpunctuated line: a row of link words

WALLS = frozenset({STOP, DATELINE, CHROME})
# Kinds that may stay in a body when they sit between prose lines.
KEPT_IN_BODY = frozenset({CONTENT, SHORT, BARE, LIST})

_CHINA_TIME = timezone(timedelta(hours=8))
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_JOIN_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")


class NoArticleText(Exception):
    """The page has no run of prose that could be an article."""


@dataclass(frozen=True)
class Line:
    """One line of a page in display form, with what the page's structure says about it."""

    text: str
    bullet: bool = False
    link_ratio: float = 0.0
    chrome: bool = False
    heading: int = 0  # 1..6 for <h1>..<h6>


@dataclass(frozen=True)
class HtmlHints:
    """What an HTML page says about itself outside the visible text."""

    title_tag: str = ""
    og_title: str = ""
    headings: tuple[str, ...] = ()  # <h1>, then <h2>, then <h3> texts in page order
    site_name: str = ""
    published: str = ""
    source: str = ""
    account: str = ""  # the publishing account on a platform page (WeChat and the like)


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


# --- lines ------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    """Collapse runs of whitespace (full-width and no-break spaces too) to one space."""
    return P.SPACES.sub(" ", text).strip()


def trim(text: str) -> str:
    """Strip whitespace (full-width, no-break and zero-width too) from both ends only."""
    return P.EDGE_SPACES.sub("", text)


def text_lines(text: str) -> list[Line]:
    """Split a text dump into lines; a leading bullet becomes a flag, not text.

    Only the ends of a line are trimmed: spacing inside it is the page's own (HTML, where
    source whitespace means nothing, is squeezed instead).
    """
    return [_text_line(raw) for raw in text.splitlines()]


def _text_line(raw: str) -> Line:
    """One dump line: bullet and heading markers become flags, Markdown links their text
    (measured as link text), Markdown images and bare URLs nothing."""
    heading = P.MD_HEADING.match(raw)
    level = len(heading[1]) if heading else 0
    body = raw[heading.end() :] if heading else raw
    bullet = P.BULLET.match(body)
    body = body[bullet.end() :] if bullet else body
    body = P.MD_EMPHASIS.sub(r"\2", P.MD_IMAGE.sub("", body))
    linked = sum(prose_chars(m[1]) for m in P.MD_LINK.finditer(body))
    body = trim(P.MD_LINK.sub(r"\1", body))
    if P.URL_LINE.match(body):
        body = ""
    ratio = min(linked / prose_chars(body), 1.0) if linked and body else 0.0
    return Line(text=body, bullet=bool(bullet), link_ratio=ratio, heading=level)


def prose_chars(text: str) -> int:
    """Length without spaces: what a line contributes to a body."""
    return len(P.SPACES.sub("", text))


def is_dateline(text: str) -> bool:
    """A short line carrying a full date plus byline words (or little else)."""
    if len(text) > P.MAX_DATELINE_CHARS or P.NOT_DATELINE.search(text):
        return False
    match = P.DATE.search(text)
    if not match or text.endswith("。"):
        return False
    if P.DATELINE_CUE.search(text):
        return True
    rest = text[: match.start()] + text[match.end() :]
    return prose_chars(rest) <= P.MAX_DATELINE_REST


def _is_stop(text: str) -> bool:
    n = len(text)
    return bool(
        P.PREV_NEXT.match(text)
        or (n <= P.MAX_CHROME_CHARS and P.EDITOR.search(text))
        or P.RELATED.match(text)
        or (n <= P.MAX_FOOTER_CHARS and P.FOOTER.search(text))
        or (n <= P.MAX_CHROME_CHARS and P.APP_PROMPT.search(text))
    )


def classify(line: Line) -> str:
    """The kind of one line, by the first rule that fits (order matters: walls first)."""
    text = line.text
    if not text:
        return BLANK
    n = len(text)
    if is_dateline(text) and not line.bullet:
        return DATELINE
    if line.chrome:
        return CHROME
    if _is_stop(text):
        return STOP
    if line.bullet and not (n >= P.MIN_BULLET_PROSE_CHARS and P.SENTENCE_END.search(text)):
        return LIST
    if line.link_ratio >= P.MENU_LINK_RATIO and not P.SENTENCE_END.search(text):
        return MENU
    if n <= P.MAX_CHROME_CHARS and P.WIDGET.search(text):
        return WIDGET
    if n <= P.MAX_CRUMB_CHARS and P.BREADCRUMB.search(text):
        return MENU
    if n <= P.MAX_CRUMB_CHARS and P.IMAGE.search(text):
        return IMAGE
    if n <= P.MAX_CREDIT_CHARS and P.CREDIT_LINE.match(text):
        return CREDIT
    if n <= P.MAX_DATELINE_CHARS and P.FIELD_ROW.match(text):
        return FIELD
    if P.LABEL.match(text):
        return LABEL
    if P.PROSE_PUNCT.search(text):
        return CONTENT
    return BARE if n >= P.LONG_BARE_CHARS else SHORT


def weight(line: Line, kind: str) -> int:
    """How much a line pulls a body cluster together (prose) or apart (everything else)."""
    if kind == CONTENT:
        if len(line.text) < P.MAX_HEADLINE_CHARS and not P.PROSE_CLOSE.search(line.text):
            return P.WEIGHT_HEADLINE
        return prose_chars(line.text)
    if kind in WALLS:
        return P.WEIGHT_STOP
    return {
        SHORT: P.WEIGHT_SHORT,
        BARE: P.WEIGHT_LONG_BARE,
        LIST: P.WEIGHT_MENU,
        MENU: P.WEIGHT_MENU,
        WIDGET: P.WEIGHT_WIDGET,
        LABEL: P.WEIGHT_WIDGET,
        FIELD: P.WEIGHT_WIDGET,
    }.get(kind, 0)


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


# --- HTML -------------------------------------------------------------------------------


def _meta(soup: BeautifulSoup, names: tuple[str, ...]) -> str:
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        if key in names and tag.get("content"):
            return squeeze(str(tag["content"]))
    return ""


def html_hints(soup: BeautifulSoup) -> HtmlHints:
    """Title tag, Open Graph and meta fields, and headings, read before any pruning."""
    title = squeeze(soup.title.get_text()) if soup.title else ""
    headings = tuple(
        squeeze(h.get_text(" "))
        for level in ("h1", "h2", "h3")
        for h in soup.find_all(level)
        if squeeze(h.get_text(" "))
    )
    return HtmlHints(
        title_tag=strip_pinyin_notes(title),
        og_title=_meta(soup, ("og:title", "twitter:title")),
        headings=headings,
        site_name=_meta(soup, P.HTML_SITE_META),
        published=_meta(soup, P.HTML_DATE_META) or _script_time(soup),
        source=_meta(soup, P.HTML_SOURCE_META),
        account=_account(soup),
    )


def _script_time(soup: BeautifulSoup) -> str:
    """Publication time a page only states in script (platform pages fill the visible
    date in with JavaScript), as "YYYY-MM-DD HH:MM" in China time."""
    for script in soup.find_all("script"):
        match = P.SCRIPT_TIMESTAMP.search(script.get_text())
        if match:
            stamp = datetime.fromtimestamp(int(match[1]), tz=_CHINA_TIME)
            return stamp.strftime("%Y-%m-%d %H:%M" if not stamp.second else "%Y-%m-%d %H:%M:%S")
    return ""


def _account(soup: BeautifulSoup) -> str:
    """The account name a platform page shows next to its byline."""
    for tag in soup.find_all(True):
        marks = [str(tag.get("id") or ""), *(tag.get("class") or [])]
        if any(P.HTML_ACCOUNT_HINT.search(m) for m in marks if m):
            name = squeeze(tag.get_text(" "))
            if name:
                return name
    return ""


def _is_hidden(tag: Tag) -> bool:
    """Hidden elements hold templates, menus and duplicate renderings; a hidden element with
    most of the page's text is an article that script reveals, and is kept (the caller)."""
    if tag.name in ("html", "body"):
        return False
    style = str(tag.get("style") or "")
    return tag.has_attr("hidden") or bool(P.HTML_HIDDEN_STYLE.search(style))


def _is_chrome_element(tag: Tag) -> bool:
    if tag.name in P.HTML_CHROME:
        return True
    attrs = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")])
    return bool(attrs) and bool(P.HTML_CHROME_HINT.search(attrs))


def _text_len(tag: Tag) -> int:
    return prose_chars(tag.get_text(""))


def _link_len(tag: Tag) -> int:
    return sum(prose_chars(a.get_text("")) for a in tag.find_all("a"))


def _has_block_child(tag: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name in P.HTML_BLOCK and c.name != "br" for c in tag)


def _score_blocks(body: Tag) -> dict[int, tuple[Tag, float]]:
    """Readability-style scores over prose units, keyed by element id.

    Each unit of prose (a <p>, a <pre>, a cell, a leaf <div>, or the loose text directly
    inside a block) scores by its commas and length; the score goes to its container and
    half to the container's parent. Link-heavy containers are discounted, and containers
    marked as chrome (comments, related lists, footers) never compete.
    """
    raw: dict[int, float] = {}
    tags: dict[int, Tag] = {}

    def credit(tag: Tag | None, amount: float) -> None:
        if isinstance(tag, Tag):
            raw[id(tag)] = raw.get(id(tag), 0.0) + amount
            tags[id(tag)] = tag

    for el in body.find_all(True):
        if el.name in ("p", "pre", "td", "blockquote") or (
            el.name in ("div", "section", "span", "font") and not _has_block_child(el)
        ):
            text = el.get_text("")
        else:
            text = "".join(str(c) for c in el.children if isinstance(c, NavigableString))
        n = prose_chars(text)
        if n < P.MIN_BODY_CHARS:
            continue
        unit = 1 + len(P.PROSE_PUNCT.findall(text)) + min(n / 100, 3)
        container = el if el.name in P.HTML_CANDIDATE else el.parent
        credit(container, unit)
        if container is not None:
            credit(container.parent, unit / 2)
    scored: dict[int, tuple[Tag, float]] = {}
    for key, tag in tags.items():
        if _is_chrome_element(tag) and tag.name != "body":
            continue
        total = _text_len(tag)
        density = 1 - (_link_len(tag) / total if total else 0)
        scored[key] = (tag, raw[key] * density)
    return scored


def main_blocks(body: Tag) -> list[Tag]:
    """The elements holding the article: the best-scoring block plus siblings that carry
    prose too (articles split by an ad or an image block continue in a sibling)."""
    scored = _score_blocks(body)
    if not scored:
        return []
    best, best_score = max(scored.values(), key=lambda item: item[1])
    if best_score <= 0:
        return []
    blocks = [best]
    parent = best.parent
    if parent is None or best.name == "body":
        return blocks
    for sibling in parent.find_all(True, recursive=False):
        if sibling is best or _is_chrome_element(sibling):
            continue
        score = scored.get(id(sibling), (sibling, 0.0))[1]
        text = sibling.get_text("")
        n = prose_chars(text)
        links = _link_len(sibling) / n if n else 1
        if score >= P.SIBLING_SHARE * best_score or (
            sibling.name == "p" and n >= P.SIBLING_P_CHARS and links < P.SIBLING_LINK_RATIO
        ):
            blocks.append(sibling)
    return blocks


@dataclass
class _Renderer:
    """Walks the DOM once, turning block structure into Lines."""

    main: list[Tag]
    lines: list[Line] = field(default_factory=list)
    parts: list[tuple[str, bool]] = field(default_factory=list)
    flags: tuple[bool, bool, int] = (False, False, 0)  # chrome, bullet, heading

    def flush(self) -> None:
        text = squeeze("".join(t for t, _ in self.parts))
        if text:
            linked = sum(prose_chars(t) for t, link in self.parts if link)
            total = prose_chars(text) or 1
            chrome, bullet, heading = self.flags
            self.lines.append(Line(text, bullet, min(linked / total, 1.0), chrome, heading))
        self.parts = []

    def walk(self, root: Tag) -> None:
        """Depth-first over the DOM with an explicit stack: real pages nest deeper than
        Python's recursion limit allows."""
        main_ids = {id(t) for t in self.main}
        ancestors = {id(p) for t in self.main for p in t.parents}
        # Entries: (node, (chrome, link, bullet, heading, inside_main)) or a block's end marker.
        stack: list[tuple[object, tuple[bool, bool, bool, int, bool]] | None] = [
            (child, (False, False, False, 0, id(root) in main_ids))
            for child in reversed(list(root.children))
        ]
        while stack:
            entry = stack.pop()
            if entry is None:
                self.flush()
                continue
            node, (chrome, link, bullet, heading, inside) = entry
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                if not self.parts:
                    self.flags = (chrome, bullet, heading)
                # A line break inside one text node is source wrapping (joined between
                # Chinese characters); whitespace between elements renders as a space.
                self.parts.append((_JOIN_NEWLINE.sub("", str(node)), link))
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name
            if name == "br":
                self.flush()
                continue
            inside = inside or id(node) in main_ids
            holds_main = id(node) in ancestors
            chrome = chrome or (_is_chrome_element(node) and not holds_main)
            if self.main and not inside and not holds_main:
                chrome = True
            ctx = (
                chrome,
                link or name == "a",
                bullet or name == "li",
                int(name[1]) if name in ("h1", "h2", "h3", "h4", "h5", "h6") else heading,
                inside,
            )
            if name in P.HTML_BLOCK:
                self.flush()
                stack.append(None)
            stack.extend((child, ctx) for child in reversed(list(node.children)))


def html_lines(text: str) -> tuple[list[Line], HtmlHints]:
    """Render an HTML page as Lines, with everything outside its main block as chrome."""
    with warnings.catch_warnings():
        # Pages that look like a URL or carry an XML prolog are still pages to us.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    hints = html_hints(soup)
    for tag in soup.find_all(P.HTML_DROP):
        tag.decompose()
    total = prose_chars(soup.get_text(""))
    for tag in soup.find_all(_is_hidden):
        if not tag.decomposed and prose_chars(tag.get_text("")) < P.MAX_HIDDEN_SHARE * total:
            tag.decompose()
    root = soup.body or soup
    if not isinstance(root, Tag):
        return [], hints
    renderer = _Renderer(main=main_blocks(root))
    renderer.walk(root)
    renderer.flush()
    return renderer.lines, hints
