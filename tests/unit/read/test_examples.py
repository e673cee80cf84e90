"""Landing-page examples: frequent title words, Han only, none inside another."""

from __future__ import annotations

import pytest

from indexer.read.examples import pick_examples


@pytest.mark.parametrize(
    ("words", "count", "expected"),
    [
        (["科技", "高质量", "高质", "质量", "创新", "发展"], 3, ["科技", "高质量", "创新"]),
        (["区", "r&d", "稀土", "稀土高新区", "2023"], 5, ["稀土"]),
        (["内蒙古", "蒙古", "内蒙古自治区", "人才"], 2, ["内蒙古", "人才"]),
        ([], 4, []),
    ],
)
def test_pick_examples_skips_short_foreign_and_overlapping_words(words, count, expected):
    assert pick_examples(words, count) == expected
