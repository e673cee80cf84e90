"""dedup: a run of paragraphs a page renders more than once is kept once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.dedup import collapse_repeats, drop_title_echo, paragraph_key

A = "增强创新发展能力,布局建设国家级创新平台。"
B = "创新驱动是调结构、转功能、提质量的重要支撑。"
C = "更加灵活的科技创新体制机制,更具吸引力的创新生态。"


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        ([A, B, C], [A, B, C]),
        ([A, B, C, A, B, C], [A, B, C]),
        ([A, B, "长辈版", A, B], [A, B, "长辈版"]),
        ([A, B, C, A, B, C, A, B, C], [A, B, C]),
        ([A, B, A], [A, B]),  # a single long paragraph repeated is a copy too
        (["一、", A, "一、", B], ["一、", A, "一、", B]),  # short lone repeats stay
        ([A, B, "Ａ，Ｂ", C, A.replace(",", ","), B], [A, B, "Ａ，Ｂ", C]),
        (
            ["增强創新發展能力,布局建設國家級創新平台。", A],
            ["增强創新發展能力,布局建設國家級創新平台。"],
        ),
        ([A, "", B], [A, B]),
    ],
)
def test_collapse_repeats(paragraphs: list[str], expected: list[str]) -> None:
    assert collapse_repeats(paragraphs) == expected


def test_paragraph_key_ignores_width_script_and_spacing() -> None:
    assert paragraph_key("科技 創新，R&D") == paragraph_key("科技创新,Ｒ＆Ｄ") == "科技创新,r&d"


def test_drop_title_echo() -> None:
    assert drop_title_echo(["標題 甲", A, "标题甲"], "标题甲") == [A]


_PARAGRAPH = st.text(alphabet="科技创新发展内蒙古稀土,。", min_size=20, max_size=40)


@given(st.lists(_PARAGRAPH, min_size=1, max_size=8, unique_by=paragraph_key), st.integers(2, 4))
def test_body_repeated_k_times_collapses_to_one_copy(body: list[str], k: int) -> None:
    assert collapse_repeats(body * k) == body


@given(st.lists(st.sampled_from([A, B, C, "一、", "小标题"]), max_size=12))
def test_collapse_is_idempotent_and_only_removes(paragraphs: list[str]) -> None:
    once = collapse_repeats(paragraphs)
    assert collapse_repeats(once) == once
    it = iter(paragraphs)
    assert all(p in it for p in once)  # an order-preserving subsequence
