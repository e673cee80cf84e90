"""A text dump of a two-column table layout, read back as one column.

A text browser prints a table's cells side by side: a page whose menu sits in a narrow
left cell and whose article fills the wide cell beside it comes out with a menu word at
the start of many rows ("• 通知公告    　　某某市近日召开…"), and the article's paragraphs
wrapped at the cell's width, each wrapped line on a row of its own, sometimes with the
next menu word before it ("• 政策法规    展战略，加快建设…"). Read as it is, the body is cut
at every wrap and holds the menu between its sentences.

`reflow` finds such a block and gives its rows back as a renderer would lay the cells
out: the narrow column's cells first, then the wide column's text with each wrapped
paragraph joined again. A block is reflowed only when its cells do not line up: a
narrow cell stands alone on a row, and one stands beside the second row of a paragraph
wrapped at the wide cell's width (a row filled to the widest row's width, not closing a
sentence, continued on the next row). A table inside an article (a name, then its
sentence, wrapped or not) starts each of its rows with the first cell, and is left as
it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.extract import dump_patterns as D
from indexer.extract import patterns as P

Cells = tuple[str, str]  # (the narrow cell, the wide cell) of one row; either may be ""


@dataclass(frozen=True, slots=True)
class _Row:
    side: str
    main: str
    indented: bool = False  # the wide cell opens with a paragraph's indent
    blank: bool = False


def width(text: str) -> int:
    """Display width: a wide (CJK) character takes two columns, as a text browser lays it."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def side_cell(text: str) -> bool:
    """Whether text reads as a narrow cell's: a menu word, an image's name, no sentence."""
    return len(text) <= D.MAX_SIDE_CELL_CHARS and not P.SENTENCE_END.search(text)


def cells(raw: str) -> Cells | None:
    """The two cells of one dump row, or None for a row that is not two cells.

    A row indented as far as a dump indents (the narrow cell is empty) is the wide cell
    alone; a short row with no gap is the narrow cell alone; otherwise the row is split at
    its first wide gap, a narrow cell before it and the wide cell after."""
    row = _row(raw)
    return (row.side, row.main) if row else None


def _row(raw: str) -> _Row | None:
    text = raw.rstrip()
    lead = len(text) - len(text.lstrip(" "))
    if lead >= D.SIDE_CELL_INDENT:
        # A cell of images between the two ("      [img_18]    │ 正文…"): a third column
        # whose cells are image names, read with the narrow cells.
        image = D.IMAGE_CELL.match(text)
        if image:
            rest = _main_only(text[image.end() :])
            return _Row(image["image"], rest.main, rest.indented)
        return _main_only(text)
    bullet = P.BULLET.match(text)
    body = text[bullet.end() :] if bullet else text
    mark = bullet[0].strip() + " " if bullet else ""  # a list item stays one
    gap = D.CELL_GAP.search(body)
    if gap is None:
        alone = body.strip(P.BOX_EDGE_CHARS)
        return _Row(mark + alone, "") if side_cell(alone) else None
    side = body[: gap.start()].strip(P.BOX_EDGE_CHARS)
    if not side_cell(side):
        return None
    main = _main_only(body[gap.end() :])
    return _Row(mark + side if side else "", main.main, main.indented)


def _main_only(text: str) -> _Row:
    """A wide cell: its text without a box's edges, and whether it opens indented."""
    opened = text.lstrip(" " + P.BOX_EDGE_CHARS.replace("\u3000", ""))
    return _Row("", opened.strip(P.BOX_EDGE_CHARS), opened.startswith("\u3000"))


def reflow(raws: Sequence[str]) -> list[str]:
    """The dump's rows with every two-column block read as one column (see the module).

    A block is looked for only from a row that may hold two cells (`_first_cell`), so a
    dump without such rows costs a few string operations a row."""
    if not _may_hold_columns(raws):
        return list(raws)
    out: list[str] = []
    i = 0
    while i < len(raws):
        if not _first_cell(raws[i]):
            out.append(raws[i])
            i += 1
            continue
        end, scanned, rows = _block(raws, i)
        if end > i and _two_columns(rows):
            out += _one_column(rows)
            i = end
        else:
            # Rows looked at and not reflowed stay as they are; none is looked at again,
            # so a page of many short rows costs one pass.
            out += raws[i : max(scanned, i + 1)]
            i = max(scanned, i + 1)
    return out


def _first_cell(raw: str) -> bool:
    """Whether a row may open with a narrow cell before a gap: the quick test, a superset
    of the rows `_row` splits into two cells."""
    text = raw.lstrip(" ")
    gap = text.find(D.GAP_TEXT)
    return gap > 0 and len(text[:gap].strip()) <= D.MAX_FIRST_CELL_CHARS


def _may_hold_columns(raws: Sequence[str]) -> bool:
    """A quick test that rules most dumps out, with a few string operations a row: a block
    needs MIN_TWO_CELL_ROWS rows with a short first cell before a gap, and one of them
    right under a row long enough to be a wrapped paragraph's."""
    two_cells = 0
    beside = False
    long_above = False
    for raw in raws:
        first = _first_cell(raw)
        two_cells += first
        beside = beside or (first and long_above)
        long_above = len(raw.strip()) >= D.MIN_WRAP_WIDTH // 2
    return two_cells >= D.MIN_TWO_CELL_ROWS and beside


def _block(raws: Sequence[str], start: int) -> tuple[int, int, list[_Row]]:
    """The rows from `start` that are all two-cell rows or blank, up to the last row with
    a wide cell (so a block never ends on a narrow cell that may belong to what follows):
    where the block ends, where the scan stopped, and the block's rows (none when no row
    has both cells)."""
    rows: list[_Row] = []
    full = False
    last_main = -1
    i = start
    while i < len(raws):
        if not raws[i].strip():
            rows.append(_Row("", "", blank=True))
        else:
            found = _row(raws[i])
            if found is None:
                break
            rows.append(found)
            full = full or bool(found.side and found.main)
            if found.main:
                last_main = len(rows)
        i += 1
    if not full:
        return start, i, []
    return start + last_main, i, rows[:last_main]


def _two_columns(rows: Sequence[_Row]) -> bool:
    """The signs of two columns laid out apart (see the module): enough rows with two
    cells, a narrow cell with nothing beside it, and a narrow cell beside the second row
    of a paragraph wrapped at the wide cell's width. A table's first cell starts its
    row's text and never stands alone; a menu's word stands beside whatever row of the
    article the layout puts it on, and the menu runs longer or shorter than the article."""
    full = sum(1 for r in rows if r.side and r.main)
    lone = any(r.side and not r.main for r in rows)
    wrapped = _wrapped(rows, _widest(rows))
    beside = any(runs_on and rows[i + 1].side for i, runs_on in enumerate(wrapped))
    return full >= D.MIN_TWO_CELL_ROWS and lone and beside


def _widest(rows: Sequence[_Row]) -> int:
    return max((width(r.main) for r in rows), default=0)


def _wrapped(rows: Sequence[_Row], widest: int) -> list[bool]:
    """For each row, whether its wide cell runs on into the next row's: filled to within
    WRAP_SLACK columns of the widest, not closing a sentence, and the next row's wide cell
    neither blank nor indented as a paragraph's first line is."""
    out = []
    for row, nxt in zip(rows, [*rows[1:], None], strict=True):
        out.append(
            nxt is not None
            and bool(row.main)
            and bool(nxt.main)
            and width(row.main) >= max(widest - D.WRAP_SLACK, D.MIN_WRAP_WIDTH)
            and not D.PARAGRAPH_END.search(row.main)
            and not nxt.indented
        )
    return out


def _one_column(rows: Sequence[_Row]) -> list[str]:
    """The narrow cells, one a line, then the wide cells with wrapped paragraphs joined."""
    out = [r.side for r in rows if r.side]
    out.append("")
    joined = ""
    for row, runs_on in zip(rows, _wrapped(rows, _widest(rows)), strict=True):
        if not row.main:
            if joined:
                out.append(joined)
                joined = ""
            if row.blank:
                out.append("")
            continue
        joined += row.main
        if not runs_on:
            out.append(joined)
            joined = ""
    if joined:
        out.append(joined)
    return out
