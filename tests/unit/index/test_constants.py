"""constants: the values writer, reader and web agree on. Held to what the others rely on:
the unknown bucket never collides with a real year or month, the request defaults are
among the values accepted, and importing the module loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys

from indexer.index.constants import MAX_PER_PAGE, SORTS, UNKNOWN
from indexer.models import SearchRequest
from tests.helpers import HANG_GUARD, ROOT


def test_unknown_is_no_year_or_month_a_page_can_give() -> None:
    assert UNKNOWN and not any(ch.isdigit() for ch in UNKNOWN)
    assert UNKNOWN == UNKNOWN.lower().strip()  # as the URL parameter spells it


def test_sorts_are_distinct_and_the_request_default_comes_first() -> None:
    assert len(set(SORTS)) == len(SORTS)
    assert SearchRequest().sort == SORTS[0] == "relevance"
    assert {"newest", "oldest"} <= set(SORTS)


def test_the_default_page_size_is_within_the_bound() -> None:
    assert isinstance(MAX_PER_PAGE, int)
    assert 0 < SearchRequest().per_page <= MAX_PER_PAGE


def test_importing_the_constants_loads_neither_whoosh_nor_jieba() -> None:
    """The reason it is a module apart from schema.py: the web layer's parameter parsing and
    a no-change update import it without paying for the analyzers."""
    code = (
        "import sys; import indexer.index.constants; "
        "print(sorted(m for m in ('whoosh', 'jieba', 'rjieba') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        timeout=HANG_GUARD, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == "[]"
