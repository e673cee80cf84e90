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
narrow cell stands alone on a row, and one stands beside a paragraph wrapped at the wide
cell's width (a row filled to the widest row's width, not closing a sentence, continued
on the next row). A table inside an article (a name, then its sentence, wrapped or not)
starts each of its rows with the first cell, and is left as it is.

The narrow column may stand on the right too (a list of other stories beside the
article: "…创新驱动发   • 某旗召开科技会议"): then the wide cell opens the row and the
narrow one closes it after the row's last gap, a narrow cell alone on a row is indented,
and the article is read first, then the list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
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
    cols: int = 0  # the wide cell's display width as printed, its indent included


# What a block scan gives: where the block ends, where the scan stopped, the block's rows,
# and whether a narrow cell stood alone past the block's end.
_Block = tuple[int, int, list[_Row], bool]


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
            return _main_only(text[image.end() :], image["image"])
        return _main_only(text)
    bullet = P.BULLET.match(text)
    body = text[bullet.end() :] if bullet else text
    mark = bullet[0].strip() + " " if bullet else ""  # a list item stays one
    gap = D.CELL_GAP.search(body)
    if gap is None:
        alone = _side_text(text.strip(P.BOX_EDGE_CHARS))
        return _Row(alone, "") if alone is not None else None
    side = body[: gap.start()].strip(P.BOX_EDGE_CHARS)
    if not side_cell(side):
        return None
    return _main_only(body[gap.end() :], mark + side if side else "")


def _main_only(text: str, side: str = "") -> _Row:
    """A wide cell (beside `side`): its text without a box's edges, whether it opens
    indented, and its width as printed."""
    opened = text.lstrip(" " + _EDGES_BUT_INDENT).rstrip(P.BOX_EDGE_CHARS)
    main = opened.strip(P.BOX_EDGE_CHARS)
    return _Row(side, main, opened.startswith("\u3000"), cols=width(opened) if main else 0)


_EDGES_BUT_INDENT = P.BOX_EDGE_CHARS.replace("\u3000", "")


def _right_row(raw: str) -> _Row:
    """One dump row of a layout whose narrow column is on the right: the wide cell, then
    the narrow one after the row's last gap; a short row indented as far as a dump
    indents is the narrow cell alone; any other row is the wide cell alone."""
    text = raw.rstrip().rstrip(P.BOX_EDGE_CHARS)
    at = text.rfind(D.GAP_TEXT)
    lead = len(text) - len(text.lstrip(" "))
    if at > lead:
        side = _side_text(text[at:].strip(P.BOX_EDGE_CHARS))
        if side is not None:
            start = len(text[:at].rstrip(" "))
            return _main_only(text[:start], side)
    if lead >= D.SIDE_CELL_INDENT:
        side = _side_text(text.strip(P.BOX_EDGE_CHARS))
        if side is not None:
            return _Row(side, "")
    return _main_only(text)


def _side_text(text: str) -> str | None:
    """A narrow cell's text, a list item's mark kept, or None when it reads as more."""
    bullet = P.BULLET.match(text)
    body = text[bullet.end() :] if bullet else text
    if not body or not side_cell(body):
        return None
    return bullet[0].strip() + " " + body if bullet else body


def reflow(raws: Sequence[str]) -> list[str]:
    """The dump's rows with every two-column block read as one column (see the module):
    a narrow column on the left, then one on the right.

    A block is looked for only from a row that may hold two cells (`_first_cell`,
    `_last_cell`), so a dump without such rows costs a few string operations a row."""
    return _reflow(_reflow(raws, _LEFT), _RIGHT)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the narrow column stands, as the steps of `_reflow` need it told."""

    maybe_two_cells: Callable[[str], bool]  # the quick test of one row
    block: Callable[[Sequence[str], int], _Block]
    side_on_own_row: bool  # a narrow cell on a wrapped row's own row is a sign too
    side_first: bool  # the narrow column is read before the wide one


def _reflow(raws: Sequence[str], layout: _Layout) -> list[str]:
    maybe = [layout.maybe_two_cells(raw) for raw in raws]
    if not _may_hold_columns(raws, maybe):
        return list(raws)
    out: list[str] = []
    i = 0
    while i < len(raws):
        if not maybe[i]:
            out.append(raws[i])
            i += 1
            continue
        end, scanned, rows, lone_after = layout.block(raws, i)
        wrapped = _wrapped(rows, _widest(rows)) if end > i else []
        if end > i and _two_columns(rows, wrapped, layout.side_on_own_row, lone_after):
            out += _one_column(rows, wrapped, layout.side_first)
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


def _last_cell(raw: str) -> bool:
    """Whether a row may close with a narrow cell after a gap: the quick test, a superset
    of the rows `_right_row` splits into two cells."""
    text = raw.rstrip()
    at = text.rfind(D.GAP_TEXT)
    return at > 0 and bool(text[:at].strip()) and len(text[at:].strip()) <= D.MAX_FIRST_CELL_CHARS


def _may_hold_columns(raws: Sequence[str], maybe: Sequence[bool]) -> bool:
    """A quick test that rules most dumps out, from each row's quick test (`maybe`): a
    block needs MIN_TWO_CELL_ROWS rows that may hold two cells, and one of them on or right
    under a row long enough to be a wrapped paragraph's."""
    two_cells = 0
    beside = False
    long_above = False
    for raw, first in zip(raws, maybe, strict=True):
        two_cells += first
        long_here = len(raw.strip()) >= D.MIN_WRAP_WIDTH // 2
        beside = beside or (first and (long_above or long_here))
        long_above = long_here
    return two_cells >= D.MIN_TWO_CELL_ROWS and beside


def _block(raws: Sequence[str], start: int) -> _Block:
    """The rows from `start` that are all two-cell rows or blank, up to the last row with
    a wide cell (so a block never ends on a narrow cell that may belong to what follows):
    where the block ends, where the scan stopped, the block's rows (none when no row has
    both cells), and whether a narrow cell stood alone in the rows scanned past its end."""
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
        return start, i, [], False
    lone_after = _menu_runs_on(rows[last_main:])
    return start + last_main, i, rows[:last_main], lone_after


def _menu_runs_on(rows: Sequence[_Row]) -> bool:
    """Whether narrow cells stand alone in the rows past a block's end, MIN_LONE_AFTER of
    them or more: a menu longer than the article beside it. One short line under a table
    is not that."""
    return sum(1 for r in rows if r.side and not r.main) >= D.MIN_LONE_AFTER


def _two_columns(
    rows: Sequence[_Row], wrapped: Sequence[bool], side_on_own_row: bool, lone_after: bool
) -> bool:
    """The signs of two columns laid out apart (see the module): enough rows with two
    cells, a narrow cell with nothing beside it (in the block or right after it: the menu
    runs on past the article), and a narrow cell beside a paragraph
    wrapped at the wide cell's width (`wrapped`, `_wrapped` of the rows; on its next
    row, on its own row too when the narrow column is on the right). A table's first cell
    starts its row's text and never stands alone; a menu's word stands beside whatever row
    of the article the layout puts it on, and the menu runs longer or shorter than it."""
    full = sum(1 for r in rows if r.side and r.main)
    lone = lone_after or any(r.side and not r.main for r in rows)
    beside = any(
        runs_on and (rows[i + 1].side or (side_on_own_row and rows[i].side))
        for i, runs_on in enumerate(wrapped)
    )
    return full >= D.MIN_TWO_CELL_ROWS and lone and beside


def _widest(rows: Sequence[_Row]) -> int:
    return max((r.cols for r in rows), default=0)


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
            and row.cols >= max(widest - D.WRAP_SLACK, D.MIN_WRAP_WIDTH)
            and not D.PARAGRAPH_END.search(row.main)
            and not nxt.indented
        )
    return out


def _one_column(rows: Sequence[_Row], wrapped: Sequence[bool], side_first: bool) -> list[str]:
    """The narrow cells, one a line, and the wide cells with wrapped paragraphs joined:
    the narrow column first when it stood on the left, last when on the right."""
    sides = [r.side for r in rows if r.side]
    out = [*sides, ""] if side_first else []
    out += _joined(rows, wrapped)
    return out if side_first else [*out, "", *sides]


def _joined(rows: Sequence[_Row], wrapped: Sequence[bool]) -> list[str]:
    out: list[str] = []
    joined = ""
    for row, runs_on in zip(rows, wrapped, strict=True):
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


def _right_block(raws: Sequence[str], start: int) -> _Block:
    """The rows from `start` while a narrow cell keeps appearing (no more than
    MAX_SIDELESS_ROWS rows without one), up to the last row with two cells and the rows
    its wrapped paragraph runs on into: where the block ends, where the scan stopped, the
    block's rows, and whether the menu runs on past it."""
    rows: list[_Row] = []
    last_full = sideless = 0
    i = start
    while i < len(raws) and sideless < D.MAX_SIDELESS_ROWS:
        row = _right_row(raws[i]) if raws[i].strip() else _Row("", "", blank=True)
        rows.append(row)
        sideless = 0 if row.side else sideless + 1
        if row.side and row.main:
            last_full = len(rows)
        i += 1
    lone_after = _menu_runs_on(rows[last_full:])
    rows = rows[:last_full]
    end = start + last_full
    widest = _widest(rows)
    # The paragraph wrapped on the block's last row runs on past it.
    while rows and end < len(raws) and (nxt := _run_on(rows[-1], raws[end], widest)):
        rows.append(nxt)
        end += 1
    return end, i, rows, lone_after


def _run_on(row: _Row, raw: str, widest: int) -> _Row | None:
    """The next dump row `raw` as a wide cell when the wide cell of `row` runs on into it."""
    nxt = _main_only(raw) if raw.strip() else None
    return nxt if nxt is not None and _wrapped([row, nxt], widest)[0] else None


_LEFT = _Layout(_first_cell, _block, side_on_own_row=False, side_first=True)
_RIGHT = _Layout(_last_cell, _right_block, side_on_own_row=True, side_first=False)
