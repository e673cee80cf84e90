"""titles: a headline line as a text dump prints it, cleaned of what the layout put beside it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract.titles import title_text

HEADLINE = "某市出台科技创新若干措施"


@pytest.mark.parametrize(
    ("line", "title"),
    [
        (f"{HEADLINE}    [xin_1930609030941390123198]", HEADLINE),
        (f"[index_01] 学思践悟    {HEADLINE}", HEADLINE),
        (f"{HEADLINE}    河北：快乐备考", HEADLINE),
        ("[视频]某市出台科技创新若干措施", "[视频]某市出台科技创新若干措施"),
        ('60万"12306账号"外泄? 中铁总辟谣', '60万"12306账号"外泄? 中铁总辟谣'),
    ],
)
def test_title_text(line: str, title: str) -> None:
    assert title_text(line) == title


@given(
    name=st.from_regex(r"[A-Za-z0-9_]{1,20}", fullmatch=True),
    gap=st.integers(3, 8),
    before=st.booleans(),
)
def test_an_image_file_name_beside_a_headline_is_dropped(name: str, gap: int, before: bool) -> None:
    placeholder = f"[{name}]"
    line = (
        f"{placeholder}{' ' * gap}{HEADLINE}" if before else f"{HEADLINE}{' ' * gap}{placeholder}"
    )
    assert title_text(line) == HEADLINE
