"""dedup: a run of paragraphs a page renders more than once is kept once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract.budget import Budget, BudgetExceeded
from indexer.extract.repeats import collapse_repeats, drop_title_echo, paragraph_key

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


def _reference(paragraphs: list[str], min_chars: int) -> list[str]:
    """The plain definition: at each position compare against every earlier copy."""
    keys = [paragraph_key(p) for p in paragraphs]
    kept: list[str] = []
    j = 0
    while j < len(keys):
        run = 0
        for i in range(j):
            length = 0
            while (
                j + length < len(keys) and i + length < j and keys[i + length] == keys[j + length]
            ):
                length += 1
            run = max(run, length)
        if run and sum(len(k) for k in keys[j : j + run]) >= min_chars:
            j += run
            continue
        if keys[j]:
            kept.append(paragraphs[j])
        j += 1
    return kept


@given(
    st.lists(st.sampled_from(["甲", "乙乙", "丙丙丙", "", "甲 ", "丁丁丁丁丁"]), max_size=30),
    st.integers(1, 12),
)
def test_collapse_matches_the_plain_definition(paragraphs: list[str], min_chars: int) -> None:
    assert collapse_repeats(paragraphs, min_chars) == _reference(paragraphs, min_chars)


@pytest.mark.parametrize("n", [1_000, 20_000])
def test_work_is_linear_in_the_number_of_lines(n: int) -> None:
    """20,000 equal lines cost 22 s when each line was compared with every earlier copy;
    the work charged must stay a small multiple of the line count."""
    budget = Budget()
    line = "稀土创新科技发展。"  # 9 characters: two copies stay under MIN_REPEAT_CHARS
    assert collapse_repeats([line] * n, budget=budget) == [line] * 3 == _reference([line] * 9, 20)
    assert budget.spent <= 3 * n


def test_an_exhausted_step_budget_stops_collapsing() -> None:
    with pytest.raises(BudgetExceeded, match="more than 500 steps"):
        collapse_repeats([A, B, C] * 1_000, budget=Budget(steps=500))
