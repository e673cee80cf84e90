"""dump_patterns: the shapes of a two-column dump's rows match their examples and only them."""

from __future__ import annotations

from indexer.extract import dump_patterns as D
from tests.unit.extract.pages import assert_matches_only


def test_a_gap_between_cells_is_three_spaces_or_more() -> None:
    assert_matches_only(
        D.CELL_GAP,
        ["通知公告    正文", "甲   乙"],
        ["标题 正文", "甲  乙", "甲\u3000\u3000\u3000乙"],
    )


def test_an_image_cell_is_one_placeholder_before_a_gap() -> None:
    assert_matches_only(
        D.IMAGE_CELL,
        ["      [index_18]    │ 正文", "[img]    正文"],
        ["[index_18] 正文", "正文    [img]", "[index_18]    "],
    )


def test_a_paragraph_ends_on_a_closing_mark() -> None:
    assert_matches_only(
        D.PARAGRAPH_END,
        ["会议结束。", "他说：“好。”", "（完）", "会议要求："],
        ["会议指出，", "要深入实施创新驱动发", "第一条"],
    )


def test_the_wrap_slack_is_narrower_than_the_narrowest_wrap() -> None:
    assert 0 < D.WRAP_SLACK < D.MIN_WRAP_WIDTH
    assert D.SIDE_CELL_INDENT > 2  # a bullet's own indent is not an empty cell
