"""HTML -> Lines: the page rendered from its DOM (block elements end lines, list items are
bullets, link text is measured) with everything outside its densest content block marked
chrome, as a readability-style score over prose units decides."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from bs4 import (
    BeautifulSoup,
    Comment,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)

from indexer.extract import html_patterns as PH
from indexer.extract import patterns as P
from indexer.extract.html_meta import HtmlHints, html_hints
from indexer.extract.lines import Line, prose_chars, squeeze

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_JOIN_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")


def _is_hidden(tag: Tag) -> bool:
    """Hidden elements hold templates, menus and duplicate renderings; a hidden element with
    most of the page's text is an article that script reveals, and is kept (the caller)."""
    if tag.name in ("html", "body"):
        return False
    style = str(tag.get("style") or "")
    return tag.has_attr("hidden") or bool(PH.HTML_HIDDEN_STYLE.search(style))


def _is_chrome_element(tag: Tag) -> bool:
    if tag.name in PH.HTML_CHROME:
        return True
    attrs = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")])
    return bool(attrs) and bool(PH.HTML_CHROME_HINT.search(attrs))


def _text_len(tag: Tag) -> int:
    return prose_chars(tag.get_text(""))


def _link_len(tag: Tag) -> int:
    return sum(prose_chars(a.get_text("")) for a in tag.find_all("a"))


def _has_block_child(tag: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name in PH.HTML_BLOCK and c.name != "br" for c in tag)


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
        container = el if el.name in PH.HTML_CANDIDATE else el.parent
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
        if score >= PH.SIBLING_SHARE * best_score or (
            sibling.name == "p" and n >= PH.SIBLING_P_CHARS and links < PH.SIBLING_LINK_RATIO
        ):
            blocks.append(sibling)
    return blocks


@dataclass
class _Renderer:
    """Walks the DOM once, turning block structure into Lines."""

    main: list[Tag]
    lines: list[Line] = field(default_factory=list)
    parts: list[tuple[str, bool]] = field(default_factory=list)
    # chrome, bullet, heading, outside
    flags: tuple[bool, bool, int, bool] = (False, False, 0, False)

    def flush(self) -> None:
        text = squeeze("".join(t for t, _ in self.parts))
        if text:
            linked = sum(prose_chars(t) for t, link in self.parts if link)
            total = prose_chars(text) or 1
            chrome, bullet, heading, outside = self.flags
            ratio = min(linked / total, 1.0)
            self.lines.append(Line(text, bullet, ratio, chrome, heading, outside))
        self.parts = []

    def walk(self, root: Tag) -> None:
        """Depth-first over the DOM with an explicit stack: real pages nest deeper than
        Python's recursion limit allows."""
        main_ids = {id(t) for t in self.main}
        ancestors = {id(p) for t in self.main for p in t.parents}
        # Entries: (node, (chrome, link, bullet, heading, inside_main, outside_main)) or a
        # block's end marker.
        stack: list[tuple[object, tuple[bool, bool, bool, int, bool, bool]] | None] = [
            (child, (False, False, False, 0, id(root) in main_ids, False))
            for child in reversed(list(root.children))
        ]
        while stack:
            entry = stack.pop()
            if entry is None:
                self.flush()
                continue
            node, (chrome, link, bullet, heading, inside, outside) = entry
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                if not self.parts:
                    self.flags = (chrome, bullet, heading, outside)
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
            outside = bool(self.main) and not inside and not holds_main
            ctx = (
                chrome,
                link or name == "a",
                bullet or name == "li",
                int(name[1]) if name in ("h1", "h2", "h3", "h4", "h5", "h6") else heading,
                inside,
                outside,
            )
            if name in PH.HTML_BLOCK:
                self.flush()
                stack.append(None)
            stack.extend((child, ctx) for child in reversed(list(node.children)))


def html_lines(text: str) -> tuple[list[Line], HtmlHints]:
    """Render an HTML page as Lines, with everything outside its main block as chrome."""
    with warnings.catch_warnings():
        # Pages that look like a URL or carry an XML prolog are still pages to us.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        # lxml stops at the first </html>: pages that close early and carry on (templates
        # pasted together, content after a footer include) would lose their article.
        soup = BeautifulSoup(PH.PAGE_END_TAG.sub("", text), "lxml")
    hints = html_hints(soup)
    for tag in soup.find_all(PH.HTML_DROP):
        tag.decompose()
    total = prose_chars(soup.get_text(""))
    for tag in soup.find_all(_is_hidden):
        if not tag.decomposed and prose_chars(tag.get_text("")) < PH.MAX_HIDDEN_SHARE * total:
            tag.decompose()
    root = soup.body or soup
    if not isinstance(root, Tag):
        return [], hints
    renderer = _Renderer(main=main_blocks(root))
    renderer.walk(root)
    renderer.flush()
    return renderer.lines, hints
