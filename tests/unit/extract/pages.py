"""What the extraction unit tests share: a prose paragraph long enough to be a body, and the
body and the metadata of a page given as text."""

from __future__ import annotations

import re

from indexer.extract.body import Layout, layout, select_body
from indexer.extract.metadata import Metadata, extract
from indexer.models import RawPage

PROSE = "今年以来,自治区科技厅积极指导各盟市落实一体化发展规划,成效明显。"


def page_layout(text: str, kind: str = "text") -> Layout:
    """`text` laid out as classified lines, read as a page of `kind` ("text" or "html")."""
    return layout(RawPage(path="p.txt", text=text, kind=kind, encoding="utf-8", file_hash=""))


def body_paragraphs(text: str, kind: str = "text") -> list[str]:
    """The body `select_body` finds in `text` read as a page of `kind`."""
    return list(select_body(page_layout(text, kind)).paragraphs)


def page_metadata(text: str, kind: str = "text") -> Metadata:
    """Title, date, sources and site of `text` read as a page of `kind` ("text" or "html")."""
    page = page_layout(text, kind)
    return extract(page, select_body(page))


def assert_matches_only(pattern: re.Pattern[str], hits: list[str], misses: list[str]) -> None:
    """A data module's pattern finds every example it documents and none of its near misses."""
    assert [h for h in hits if not pattern.search(h)] == []
    assert [m for m in misses if pattern.search(m)] == []
