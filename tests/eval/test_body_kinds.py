"""The kinds table of body losses (body_kinds.py), on tiny inline pages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.eval.body_kinds import Loss, PageLosses, kinds_table, lost_chars, macro_f1, page_losses
from tests.eval.body_kinds import bigrams as grams

A = "今年以来，全区科技创新工作稳步推进，成效明显。"
B = "下一步，将继续加大研发投入，推动成果转化。"
C = "另一篇报道的段落，不属于这篇文章的内容。"
NOTICE = "未经授权不得转载。"


def test_a_gold_line_below_our_body_is_a_miss_of_its_line_kind() -> None:
    lines = ["标题", A, B, NOTICE]
    kinds = ["short", "content", "content", "stop"]
    losses, partial = page_losses(f"{A}\n{B}\n{NOTICE}", f"{A}\n{B}", lines, kinds)
    assert [(x.side, x.kind) for x in losses] == [("miss", "below stop")]
    assert losses[0].chars == len(NOTICE) and not partial


def test_a_body_line_above_the_gold_is_an_extra() -> None:
    lines = [C, A, B]
    kinds = ["content", "content", "content"]
    losses, _ = page_losses(f"{A}\n{B}", f"{C}\n{A}\n{B}", lines, kinds)
    assert [(x.side, x.kind) for x in losses] == [("extra", "above content")]


def test_a_gold_holding_a_small_part_of_our_body_is_counted_apart() -> None:
    lines = [A, B, C]
    kinds = ["content"] * 3
    losses, partial = page_losses(B, f"{A}\n{B}\n{C}", lines, kinds)
    assert partial
    assert {x.kind for x in losses} == {"gold labels a part only"}


def test_a_gold_line_on_no_line_of_the_page_says_so() -> None:
    losses, _ = page_losses(f"{A}\n{C}", A, [A], ["content"])
    assert [(x.side, x.kind) for x in losses] == [("miss", "off the page's lines")]


def test_lost_chars_counts_what_the_other_side_lacks() -> None:
    assert lost_chars(A, grams(A)) == 0
    assert lost_chars(A, grams("")) == len(A)


def test_fixing_the_only_kind_of_loss_makes_a_page_whole() -> None:
    page = PageLosses("p", "html", 100, 120, (Loss("extra", "below content", 20, "x"),))
    assert macro_f1([page]) < 100
    assert macro_f1([page], ("extra", "below content")) == 100
    assert macro_f1([page], ("miss", "below content")) == macro_f1([page])


def test_the_table_has_a_row_per_kind_and_the_base_figure() -> None:
    page = PageLosses(
        "p", "html", 100, 100, (Loss("miss", "above dateline", 5, "x"), Loss("extra", "k", 5, "y"))
    )
    rows = kinds_table([page], examples=1)
    assert rows[-1].startswith("macro F1 by character counts: 95.00")
    assert sum("above dateline" in r for r in rows) == 1 and any("p: x" in r for r in rows)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁戊己庚辛，。", min_size=3, max_size=30), max_size=8))
def test_a_body_equal_to_its_gold_loses_nothing(paragraphs: list[str]) -> None:
    text = "\n".join(paragraphs)
    losses, partial = page_losses(text, text, paragraphs, ["content"] * len(paragraphs))
    assert losses == [] and not partial
