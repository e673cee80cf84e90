"""An HTML page's DOM, read with lxml: parsing, an element's text as a reader sees it, and
taking an element out while the text around it stays where it was.

Why lxml's own tree and not a wrapper over it: the page is parsed by libxml2 either way,
but walking a wrapper's tree costs a Python object per node and a Python call per step.
With lxml the walks that find an element's text run in C, and an HTML page is extracted
twice as fast (README, "Dependencies, and why these").

The text model, which html_page.py and html_meta.py share:
- an element's *strings* are its text nodes in document order: its text, and the text
  after each of its descendants (`tail`), never an element's own tail;
- a comment's or a processing instruction's content is not text, but the text after it is;
- what is inside `script`, `style` and `template` is not prose, nor is a ruby annotation
  (`rt`, `rp`: the pinyin printed over characters), wherever the element is asked about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

Element = etree._Element
# Text inside these is never the page's prose (see the module docstring).
NOT_PROSE = frozenset(("script", "style", "template", "rt", "rp"))
_NOT_PROSE = tuple(NOT_PROSE)


def parse(text: str) -> Element | None:
    """The page's root element (<html>), or None for a page with no markup at all.

    libxml2's recovering parser takes any text; pages that claim an encoding in an XML
    prolog are still parsed, because the text is given already decoded. A page nested
    deeper than MAX_DEPTH (no real page is; libxml2 would even cut a page off, with all
    that follows, past 2,048) is built again from the parser's events with what lies
    below MAX_DEPTH kept as text: every walk over the tree then costs its size."""
    parser = etree.HTMLParser(recover=True, remove_comments=False, remove_pis=False, huge_tree=True)
    try:
        parser.feed(text)
        root = parser.close()
    except (etree.XMLSyntaxError, etree.ParserError, ValueError):
        return None
    if root is None or not is_element(root):
        return None
    if text.count("<") > MAX_DEPTH and depth(root) > MAX_DEPTH:
        return _parse_capped(text)
    return root


# Elements deeper than this are read as text. Browsers stop nesting at about this depth
# too (they attach deeper elements higher up); lxml's walks over a tree cost its depth a
# step, so an unbounded depth would make them cost a page's size squared.
MAX_DEPTH = 512


def depth(root: Element) -> int:
    """How many elements deep the tree goes (the root alone: 1)."""
    deepest = level = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        level += 1 if event == "start" else -1
        deepest = max(deepest, level)
    return deepest


_NAME = re.compile(r"[A-Za-z_][\w.-]*\Z")
_NAME_JUNK = re.compile(r"[^\w.-]+")


def _name(tag: str) -> str:
    """A tag name lxml accepts (a page may use any: `wb:share-button`, `o:p`)."""
    if _NAME.match(tag):
        return tag
    return "x_" + _NAME_JUNK.sub("_", tag)


class _CappedTree:
    """Parser target building the tree no deeper than MAX_DEPTH: start and end tags
    below it are passed over, their text goes on in the element at the limit, in order.
    Text is gathered in lists and joined once per text node (many small pieces into one
    node must not cost their count squared)."""

    def __init__(self) -> None:
        self.root: Element | None = None
        self.stack: list[Element] = []
        self.below = 0  # open tags passed over below MAX_DEPTH
        self.node: tuple[Element, str] | None = None  # where text goes: (element, attr)
        self.pending: list[str] = []

    def _flush(self) -> None:
        if self.node is not None and self.pending:
            el, attr = self.node
            setattr(el, attr, (getattr(el, attr) or "") + "".join(self.pending))
        self.pending = []

    def _place(self, el: Element, attr: str) -> None:
        self._flush()
        self.node = (el, attr)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.below += 1
            return
        attrs = {k: v for k, v in attrib.items() if _NAME.match(k)}
        if not self.stack:
            if self.root is not None:  # a second root: pass it over, keep its text
                self.below += 1
                return
            el = self.root = etree.Element(_name(tag), attrs)
        else:
            el = etree.SubElement(self.stack[-1], _name(tag), attrs)
        self.stack.append(el)
        self._place(el, "text")

    def end(self, tag: str) -> None:
        if self.below:
            self.below -= 1
            return
        if self.stack:
            el = self.stack.pop()
            self._place(el, "tail")

    def data(self, text: str) -> None:
        if self.node is not None:
            self.pending.append(text)

    def comment(self, text: str) -> None:
        """A comment's place only (its content is not text, and may be what lxml refuses
        in a comment, such as `--`)."""
        if self.stack and not self.below:
            el = etree.Comment("")
            self.stack[-1].append(el)
            self._place(el, "tail")

    def close(self) -> Element | None:
        self._flush()
        return self.root


def _parse_capped(text: str) -> Element | None:
    """The tree of a page nested deeper than MAX_DEPTH (see parse)."""
    parser = etree.HTMLParser(recover=True, target=_CappedTree())
    try:
        parser.feed(text)
        root = parser.close()
    except (etree.XMLSyntaxError, etree.ParserError, ValueError):
        return None
    return root if root is not None and is_element(root) else None


def is_element(node: object) -> bool:
    """An element, not a comment, a processing instruction or an entity."""
    return isinstance(node, Element) and isinstance(node.tag, str)


def classes(el: Element) -> list[str]:
    """The element's class names."""
    return (el.get("class") or "").split()


def child_elements(el: Element) -> list[Element]:
    """The element's children that are elements."""
    return [c for c in el if isinstance(c.tag, str)]


def strings(el: Element) -> Iterator[str]:
    """The element's text nodes in document order (the module docstring's text model)."""
    if el.tag in NOT_PROSE or any(a.tag in NOT_PROSE for a in el.iterancestors()):
        return
    if next(el.iter(*_NOT_PROSE), None) is None:
        yield from el.itertext()
        return
    hidden = 0
    for event, node in etree.iterwalk(el, events=("start", "end", "comment", "pi")):
        if event == "start":
            if node.tag in NOT_PROSE:
                hidden += 1
            elif not hidden and node.text:
                yield node.text
            continue
        if event == "end" and node.tag in NOT_PROSE:
            hidden -= 1
        if node is not el and not hidden and node.tail:
            yield node.tail


def text_of(el: Element, separator: str = "") -> str:
    """The element's text: its strings joined by `separator`."""
    return separator.join(strings(el))


def own_strings(el: Element) -> str:
    """The text directly inside an element, not inside its child elements."""
    return "".join([el.text or "", *(child.tail or "" for child in el)])


def remove(el: Element) -> None:
    """Take an element and what it holds out of the tree; the text after it stays, as a
    text node of its own (an empty comment carries it), so the strings on either side
    are not run together."""
    parent = el.getparent()
    if parent is None:
        return
    keeper = etree.Comment("")
    keeper.tail = el.tail
    parent.replace(el, keeper)


@dataclass(frozen=True)
class Measures:
    """Every element's prose measured in one pass from the leaves up, so that no element's
    text is assembled again for each of its ancestors (a page nested thousands deep costs
    its size, not its size times its depth). `prose` counts what `prose_count` counts in
    the element's text (the module's text model), `marks` the matches of `marks_pattern`
    in it, `linked` the prose of the links inside it (a link inside a link counts twice,
    as measuring each link's text does)."""

    prose: dict[Element, int]
    marks: dict[Element, int]
    linked: dict[Element, int]


def measure(
    root: Element, prose_count: Callable[[str], int], marks_pattern: re.Pattern[str]
) -> Measures:
    """Measures of every element under and including root (see Measures)."""
    inside: set[Element] = set()
    for outer in root.iter(*_NOT_PROSE):
        if outer not in inside:
            inside.update(outer.iterdescendants())
    prose: dict[Element, int] = {}
    marks: dict[Element, int] = {}
    linked: dict[Element, int] = {}
    for el in reversed(list(root.iter(etree.Element))):
        own = [el.text or ""]
        n = m = links = 0
        for child in el:
            own.append(child.tail or "")
            if isinstance(child.tag, str):
                n += prose[child]
                m += marks[child]
                links += linked[child] + (prose[child] if child.tag == "a" else 0)
        if el.tag in NOT_PROSE or el in inside:
            prose[el] = marks[el] = 0
        else:
            text = "".join(own)
            prose[el] = n + prose_count(text)
            marks[el] = m + len(marks_pattern.findall(text))
        linked[el] = links
    return Measures(prose, marks, linked)
