"""HTML -> Lines: the page rendered from its DOM (block elements end lines, list items are
bullets, link text is measured) with everything outside its densest content block marked
chrome, as a readability-style score over prose units decides. The DOM is lxml's
(html_dom.py says why and what an element's text is)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from indexer.extract import html_dom as D
from indexer.extract import html_patterns as PH
from indexer.extract import patterns as P
from indexer.extract.html_dom import Element
from indexer.extract.html_meta import HtmlHints, html_hints
from indexer.extract.lines import Line, prose_chars, squeeze

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_JOIN_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")


def _is_hidden(tag: Element) -> bool:
    """Hidden elements hold templates, menus and duplicate renderings; a hidden element with
    most of the page's text is an article that script reveals, and is kept (the caller)."""
    if tag.tag in ("html", "body"):
        return False
    style = tag.get("style") or ""
    return "hidden" in tag.attrib or bool(PH.HTML_HIDDEN_STYLE.search(style))


def _is_chrome_element(tag: Element) -> bool:
    if tag.tag in PH.HTML_CHROME:
        return True
    attrs = " ".join([*D.classes(tag), tag.get("id") or ""])
    return bool(attrs) and bool(PH.HTML_CHROME_HINT.search(attrs))


def _has_block_child(tag: Element) -> bool:
    return any(c.tag in PH.HTML_BLOCK and c.tag != "br" for c in tag)


def _measure(page: Element) -> D.Measures:
    return D.measure(page, prose_chars, P.PROSE_PUNCT)


def _score_blocks(body: Element, sizes: D.Measures) -> dict[Element, float]:
    """Readability-style scores over prose units, by element.

    Each unit of prose (a <p>, a <pre>, a cell, a leaf <div>, or the loose text directly
    inside a block) scores by its commas and length; the score goes to its container and
    half to the container's parent. Link-heavy containers are discounted, and containers
    marked as chrome (comments, related lists, footers) never compete.
    """
    raw: dict[Element, float] = {}

    def credit(tag: Element | None, amount: float) -> None:
        if tag is not None:
            raw[tag] = raw.get(tag, 0.0) + amount

    for el in body.iterdescendants(etree.Element):
        name = el.tag
        if name in ("p", "pre", "td", "blockquote") or (
            name in ("div", "section", "span", "font") and not _has_block_child(el)
        ):
            n, marks = sizes.prose[el], sizes.marks[el]
        else:
            text = D.own_strings(el)
            n, marks = prose_chars(text), len(P.PROSE_PUNCT.findall(text))
        if n < P.MIN_BODY_CHARS:
            continue
        unit = 1 + marks + min(n / 100, 3)
        container = el if name in PH.HTML_CANDIDATE else el.getparent()
        credit(container, unit)
        if container is not None:
            credit(container.getparent(), unit / 2)
    scored: dict[Element, float] = {}
    for tag, amount in raw.items():
        if _is_chrome_element(tag) and tag.tag != "body":
            continue
        total = sizes.prose[tag]
        density = 1 - (sizes.linked[tag] / total if total else 0)
        scored[tag] = amount * density
    return scored


def main_blocks(body: Element, sizes: D.Measures | None = None) -> list[Element]:
    """The elements holding the article: the best-scoring block plus siblings that carry
    prose too (articles split by an ad or an image block continue in a sibling).
    `sizes` are the page's measures when the caller has them for the tree as it is."""
    # The whole page: a block's parent may be <body>'s, whose text holds the <head>'s.
    sizes = sizes if sizes is not None else _measure(body.getroottree().getroot())
    scored = _score_blocks(body, sizes)
    if not scored:
        return []
    best, best_score = max(scored.items(), key=lambda item: item[1])
    if best_score <= 0:
        return []
    blocks = [best]
    parent = best.getparent()
    if parent is None or best.tag == "body":
        return blocks
    for sibling in D.child_elements(parent):
        if sibling is best or _is_chrome_element(sibling):
            continue
        score = scored.get(sibling, 0.0)
        n = sizes.prose[sibling]
        links = sizes.linked[sibling] / n if n else 1
        if score >= PH.SIBLING_SHARE * best_score or (
            sibling.tag == "p" and n >= PH.SIBLING_P_CHARS and links < PH.SIBLING_LINK_RATIO
        ):
            blocks.append(sibling)
    return blocks


# A context: (chrome, link, bullet, heading, inside_main, outside_main).
_Context = tuple[bool, bool, bool, int, bool, bool]


def _pieces(el: Element, ctx: _Context) -> list[tuple[str | Element, _Context]]:
    """What the renderer meets inside an element, in order: its text, each child element
    and the text after it. A comment or a processing instruction is passed over, the
    text after it is not."""
    out: list[tuple[str | Element, _Context]] = []
    if el.text:
        out.append((el.text, ctx))
    for child in el:
        if isinstance(child.tag, str):
            out.append((child, ctx))
        if child.tail:
            out.append((child.tail, ctx))
    return out


@dataclass
class _Renderer:
    """Walks the DOM once, turning block structure into Lines."""

    main: list[Element]
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

    def walk(self, root: Element) -> None:
        """Depth-first over the DOM with an explicit stack: real pages nest deeper than
        Python's recursion limit allows."""
        main = set(self.main)
        ancestors: set[Element] = set()
        for block in self.main:  # siblings share their ancestors: each is added once
            for up in block.iterancestors():
                if up in ancestors:
                    break
                ancestors.add(up)
        # Entries: (text or element, its context) or a block's end marker.
        stack: list[tuple[str | Element, _Context] | None] = list(
            reversed(_pieces(root, (False, False, False, 0, root in main, False)))
        )
        while stack:
            entry = stack.pop()
            if entry is None:
                self.flush()
                continue
            node, (chrome, link, bullet, heading, inside, outside) = entry
            if isinstance(node, str):
                if not self.parts:
                    self.flags = (chrome, bullet, heading, outside)
                # A line break inside one text node is source wrapping (joined between
                # Chinese characters); whitespace between elements renders as a space.
                self.parts.append((_JOIN_NEWLINE.sub("", node), link))
                continue
            name = node.tag
            if name == "br":
                self.flush()
                continue
            inside = inside or node in main
            holds_main = node in ancestors
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
            stack.extend(reversed(_pieces(node, ctx)))


def _hidden_to_drop(page: Element, sizes: D.Measures) -> list[Element]:
    """The hidden elements to take out: each that holds less than MAX_HIDDEN_SHARE of the
    page's prose and is not inside one already taken (its text is gone with it). Taking
    one out changes no other's decision: the only later elements whose text it held are
    inside it."""
    limit = PH.MAX_HIDDEN_SHARE * sizes.prose[page]
    out: list[Element] = []
    walk = etree.iterwalk(page, events=("start",))
    for _, tag in walk:
        if _is_hidden(tag) and sizes.prose[tag] < limit:  # "start": elements only
            out.append(tag)
            walk.skip_subtree()
    return out


def html_lines(text: str) -> tuple[list[Line], HtmlHints]:
    """Render an HTML page as Lines, with everything outside its main block as chrome."""
    # lxml stops at the first </html>: pages that close early and carry on (templates
    # pasted together, content after a footer include) would lose their article.
    page = D.parse(PH.PAGE_END_TAG.sub("", text))
    if page is None:
        return [], HtmlHints()
    hints = html_hints(page)
    for tag in list(page.iter(*PH.HTML_DROP)):
        D.remove(tag)
    sizes = _measure(page)
    hidden = _hidden_to_drop(page, sizes)
    for tag in hidden:
        D.remove(tag)
    root = next(page.iter("body"), page)
    # Measures stay true only while nothing was taken out.
    renderer = _Renderer(main=main_blocks(root, None if hidden else sizes))
    renderer.walk(root)
    renderer.flush()
    return renderer.lines, hints
