"""Text dumps -> Lines: a dump is split on newlines, its bullets and Markdown marks become
flags (bullet, heading, link share), not text."""

from __future__ import annotations

from indexer.extract import patterns as P
from indexer.extract.dump_columns import reflow
from indexer.extract.lines import Line, prose_chars, trim


def text_lines(text: str) -> list[Line]:
    """Split a text dump into lines; a leading bullet becomes a flag, not text.

    Only the ends of a line are trimmed: spacing inside it is the page's own (HTML, where
    source whitespace means nothing, is squeezed instead). A two-column table layout is
    read back as one column first (dump_columns.py).
    """
    return [_text_line(raw) for raw in reflow(text.splitlines())]


def _text_line(raw: str) -> Line:
    """One dump line: bullet and heading markers become flags, Markdown links their text
    (measured as link text), Markdown images and bare URLs nothing."""
    raw = raw.strip(P.BOX_EDGE_CHARS)  # a text browser draws boxed quotes and tables
    raw = P.LONG_SPACE_RUN.sub(lambda run: run[0][: P.MAX_SPACE_RUN], raw)
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
