"""sources: what a credit cue names, in the shapes text dumps and old portals print."""

from __future__ import annotations

import pytest

from indexer.extract.sources import parse_sources


@pytest.mark.parametrize(
    ("line", "sources"),
    [
        # a table layout's next column, past the dump's column gap, is not credited
        (
            "新华网河北频道 ( 2012-06-04 09:20:26 )    稿件来源：河北日报    河北：快乐备考",
            ("河北日报",),
        ),
        ("来源：甲日报   乙网 热点", ("甲日报",)),
        ("来源：甲日报 乙网", ("甲日报", "乙网")),  # one space still separates outlets
        # who gathered the text is not who wrote it
        ("来源：新浪科技 酷勤网收集 2009-11-01", ("新浪科技",)),
        ("来源：甲日报 张三整理", ("甲日报",)),
    ],
)
def test_parse_sources(line: str, sources: tuple[str, ...]) -> None:
    assert parse_sources(line) == sources
