"""Export of every matching story: one row per hit, page by page, as CSV or JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from indexer.models import AlsoAt, Hit
from indexer.read import export
from indexer.read.export import BOM, COLUMNS, export_lines, export_row


def _hit(i: int, **kw) -> Hit:
    base = Hit(id=f"a{i}", path=f"a{i}.txt", title=f"标题{i}", title_inferred=False,
               snippet_html="<mark>稀土</mark> &amp; 产业", published="2023-03-05",
               sources=("新华社", "内蒙古日报"), site="站甲", score=1.0)  # fmt: skip
    return replace(base, **kw)


def test_a_row_holds_the_columns_with_the_snippet_as_plain_text_and_the_copies_counted() -> None:
    row = export_row(_hit(1, also_at=(AlsoAt("b", None, None, "b.txt"),)))
    assert tuple(row) == COLUMNS
    assert row["snippet"] == "稀土 & 产业" and row["copies"] == 1
    assert row["sources"] == ["新华社", "内蒙古日报"]


def test_csv_starts_with_a_bom_and_header_ends_lines_with_crlf_and_flattens_sources() -> None:
    text = "".join(export_lines("csv", [_hit(1, site=None)]))
    assert text.startswith(BOM) and text.count("\r\n") == 2
    rows = list(csv.reader(io.StringIO(text[len(BOM) :])))
    assert rows[0] == list(COLUMNS)
    assert rows[1][COLUMNS.index("sources")] == export.SOURCE_SEPARATOR.join(
        ["新华社", "内蒙古日报"]
    )
    assert rows[1][COLUMNS.index("site")] == ""  # None is an empty cell, not "None"


def test_jsonl_is_one_object_per_line() -> None:
    lines = list(export_lines("jsonl", [_hit(1), _hit(2)]))
    assert [json.loads(line)["id"] for line in lines] == ["a1", "a2"]
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
