"""Credit lines at a body's edges: who reported, shot or drew the article.

A news article names its people on short lines of their own, right above its first
paragraph ("本报记者 王珂 北京报道", "新华社北京3月21日电", a picture's "资料图：… 韩章云 摄")
or right under its last one ("记者 孙韶华 北京报道", "制图：郭祥", "（来源：甲报 记者：乙）").
The prose run (body.py) stops before them, since they are short and unpunctuated, but they
are the article's own text: a reader searches a reporter by name, and a picture's credit is
printed with the article. They stay out of the paragraphs metadata reads (a reporter's
outlet is not the credited source), and join the body text.

Only credit-shaped lines are taken, the nearest first: a headline copy, a subtitle, an
account name or a menu word above the body, and anything past a wall, page chrome or HTML
outside the main block, end the walk. A 来源 line is taken only under the body and only
when it names the reporter too: the sources field holds the outlet, and above the body the
line belongs to the byline block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from indexer.extract import patterns as P
from indexer.extract.lines import (
    BARE,
    BLANK,
    BYLINE,
    CONTENT,
    CREDIT,
    IMAGE,
    SHORT,
    Line,
    has_han,
    is_reporters_line,
)

# Kinds a credit line may have: what classify makes of a short line naming people.
_CREDIT_KINDS = frozenset({SHORT, CONTENT, BYLINE, BARE})


def is_credit(line: Line, kind: str, below: bool = False) -> bool:
    """Whether a line credits the article's people: its reporters or dispatch line (short,
    no sentence), its pictures' captions and photographers, and under the body a 来源
    credit that names the reporter."""
    text = line.text
    if line.chrome or line.outside or not has_han(text, P.MIN_TITLE_HAN):
        return False
    if P.AUTHOR_BOX.match(text) or P.EDITOR_FIRST.match(text):
        # the title line of a box about the writer, or the page's editor credit
        return False
    if kind == CREDIT:
        # under the body, a 来源 credit that also names the reporter ("（来源：甲报 记者：乙）");
        # a bare one stays out, as above it: the sources field holds it
        return below and bool(P.REPORTER_CREDIT.search(text))
    if kind not in _CREDIT_KINDS:
        return False
    if P.CAPTION_CREDIT.search(text) or P.PHOTO_CREDIT_LINE.match(text):
        return len(text) <= P.MAX_PICTURE_CREDIT_CHARS
    return is_reporters_line(text)


def _passed_over(line: Line, kind: str) -> bool:
    """A line the walk steps over without taking: blank, an image placeholder or file name
    (between a reporter's line and the first paragraph a page may put its picture)."""
    return kind in (BLANK, IMAGE) or (not line.chrome and not has_han(line.text))


def _walk(page_lines: Sequence[Line], kinds: Sequence[str], order: Iterable[int], below: bool):
    taken: list[int] = []
    for seen, i in enumerate(order):
        if seen >= P.MAX_EDGE_CREDIT_SCAN or len(taken) >= P.MAX_EDGE_CREDITS:
            break
        line, kind = page_lines[i], kinds[i]
        if is_credit(line, kind, below):
            taken.append(i)
        elif not _passed_over(line, kind):
            break
    return taken


def credits_above(lines: Sequence[Line], kinds: Sequence[str], start: int) -> tuple[str, ...]:
    """The credit lines right above a body that starts at line `start`, in page order."""
    taken = _walk(lines, kinds, range(start - 1, -1, -1), below=False)
    return tuple(lines[i].text for i in reversed(taken))


def credits_below(lines: Sequence[Line], kinds: Sequence[str], end: int) -> tuple[str, ...]:
    """The credit lines right under a body that ends before line `end`, in page order."""
    taken = _walk(lines, kinds, range(end, len(lines)), below=True)
    return tuple(lines[i].text for i in taken)
