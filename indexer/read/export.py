"""Every story a search matches, as CSV or JSON Lines: shared by `/api/export` and
`python -m indexer search --export`.

Rows come from `Searcher.stories`, one hit at a time from one generation, so memory stays
at one row (plus the ranked ids) whatever the number of matches; each column is defined
once, in `export_row`.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from indexer.models import Hit

FORMATS = ("csv", "jsonl")
COLUMNS = ("id", "title", "published", "sources", "site", "path", "copies", "snippet")
BOM = "\ufeff"  # Excel on a Chinese Windows reads CSV as GBK unless it starts with one
SOURCE_SEPARATOR = "、"  # CSV cells are flat: sources joined as a reader writes them
_TAGS = re.compile(r"<[^>]*>")


def snippet_text(snippet_html: str) -> str:
    """The engine's snippet (escaped text plus <mark>) as plain text."""
    return html.unescape(_TAGS.sub("", snippet_html))


def export_row(hit: Hit) -> dict[str, Any]:
    """The exported facts of one story, keyed as the API names them."""
    return {
        "id": hit.id,
        "title": hit.title,
        "published": hit.published,
        "sources": list(hit.sources),
        "site": hit.site,
        "path": hit.path,
        "copies": len(hit.also_at),
        "snippet": snippet_text(hit.snippet_html),
    }


def csv_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """CSV text in chunks: a BOM and header first, CRLF line ends, one chunk per story."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield BOM + _drain(buffer)
    for hit in hits:
        row = export_row(hit)
        row["sources"] = SOURCE_SEPARATOR.join(row["sources"])
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
        yield _drain(buffer)


def jsonl_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """One JSON object per story and line."""
    for hit in hits:
        yield json.dumps(export_row(hit), ensure_ascii=False) + "\n"


def export_lines(fmt: str, hits: Iterable[Hit]) -> Iterator[str]:
    """The chunks of `hits` in format `fmt` (one of FORMATS)."""
    return csv_lines(hits) if fmt == "csv" else jsonl_lines(hits)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
