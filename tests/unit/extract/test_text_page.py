"""Text dumps become Lines (text_page.py). Bullets and plain Markdown are pinned in
test_body.py; these pin the shapes around them: one Line per dump line, text-browser box
drawing, numbered bullets, heading levels and a link share that never passes 1."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract import patterns as P
from indexer.extract.lines import Line, trim
from indexer.extract.text_page import text_lines


def test_one_line_per_dump_line_blank_ones_kept() -> None:
    """Blank lines separate paragraphs; the body search needs them where they stood."""
    assert [x.text for x in text_lines("第一段。\n\n  \n第二段。")] == [
        "第一段。",
        "",
        "",
        "第二段。",
    ]


def test_box_drawing_around_a_quote_is_dropped() -> None:
    """A text browser draws boxed quotes and table cells; the frame is not the page's text."""
    assert text_lines("│ 会议指出，要加快创新。 │\n└──────┘") == [
        Line("会议指出，要加快创新。"),
        Line(""),
    ]


@pytest.mark.parametrize("raw", ["1. 第一项", "2、 第二项", "3) 第三项"])
def test_numbered_items_are_bullets(raw: str) -> None:
    """A numbered list is a list: its numbers are a flag, not words of the line."""
    (line,) = text_lines(raw)
    assert line.bullet
    assert line.text.endswith("项") and not line.text[0].isdigit()


def test_a_year_opening_a_line_is_no_bullet() -> None:
    """Only one or two digits number an item: "2024年…" is a sentence."""
    assert text_lines("2024年科技工作会议召开。") == [Line("2024年科技工作会议召开。")]


@pytest.mark.parametrize(("raw", "level"), [("# 一级", 1), ("### 三级", 3), ("###### 六级", 6)])
def test_heading_levels(raw: str, level: int) -> None:
    """The heading level feeds the title search, like <h1>..<h6> in HTML."""
    (line,) = text_lines(raw)
    assert (line.text, line.heading) == (raw.split()[1], level)


def test_a_hash_without_a_space_is_text() -> None:
    """ "#话题#" is a hashtag on a platform page, not a Markdown heading."""
    assert text_lines("#科技创新#") == [Line("#科技创新#")]


def test_a_heading_may_be_a_bullet_of_links() -> None:
    (line,) = text_lines("## - [通知公告](/tzgg)")
    assert (line.text, line.heading, line.bullet, line.link_ratio) == ("通知公告", 2, True, 1.0)


dump_text = st.text(
    alphabet=st.sampled_from("科技创新政策 \t\u3000[]()#*-•!:/.。，1\n"), max_size=80
)


@given(dump_text)
def test_never_raises_and_keeps_the_line_count(text: str) -> None:
    """Every dump goes through here: any text gives one Line per line, trimmed at both
    ends, with a link share between 0 and 1."""
    lines = text_lines(text)
    assert len(lines) == len(text.splitlines())
    for line in lines:
        assert line.text == line.text.strip()
        assert 0.0 <= line.link_ratio <= 1.0
        assert 0 <= line.heading <= 6


@given(st.text())
def test_any_text_is_read(text: str) -> None:
    assert len(text_lines(text)) == len(text.splitlines())


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="某甲乙网：，", min_size=1, max_size=6),  # no bullet or markup
            st.integers(1, 200).map(lambda n: " " * n),
            st.integers(1, 50).map(lambda n: "\u3000" * n),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_run_of_spaces_in_a_dump_line_is_cut_to_a_wide_gap(parts: list[str]) -> None:
    """Thousands of spaces in one line read as one wide gap: no later pattern retries
    along the run (that costs the square of its length), and a gap stays a gap."""
    raw = "".join(parts)
    (line,) = text_lines(raw)
    longest = max((len(m[0]) for m in re.finditer(r"\s+", line.text)), default=0)
    assert longest <= P.MAX_SPACE_RUN
    assert line.text.split() == raw.split()  # the words, in order, untouched


@given(st.text(alphabet=" \t\u3000\u200b\ufeff\u2500│a某", max_size=30))
def test_edges_are_stripped_as_the_pattern_did(text: str) -> None:
    assert trim(text) == re.sub(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$", "", text)


def test_the_whitespace_set_is_what_str_isspace_takes() -> None:
    assert set(P.WHITESPACE) == {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
