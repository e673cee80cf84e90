"""Extraction's data modules: each name is defined in one of them only, and every regex is
compiled once at import (a stage never builds one per page)."""

from __future__ import annotations

import re
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract import (
    document_patterns,
    dump_patterns,
    field_patterns,
    html_patterns,
    patterns,
)
from tests.unit.extract.pages import assert_matches_only

MODULES = (patterns, field_patterns, html_patterns, document_patterns, dump_patterns)


def _data(module: ModuleType) -> dict[str, object]:
    return {k: v for k, v in vars(module).items() if k.isupper() and not k.startswith("_")}


def test_no_name_is_defined_in_two_data_modules() -> None:
    seen: dict[str, str] = {}
    for module in MODULES:
        for name in _data(module):
            assert name not in seen, f"{name} in {seen.get(name)} and {module.__name__}"
            seen[name] = module.__name__


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rpartition(".")[2])
def test_data_modules_hold_only_data(module: ModuleType) -> None:
    kinds = (re.Pattern, str, int, float, tuple, frozenset)
    for name, value in _data(module).items():
        assert isinstance(value, kinds), f"{module.__name__}.{name} is {type(value).__name__}"
    assert not [k for k, v in vars(module).items() if callable(v) and not isinstance(v, type)
                and getattr(v, "__module__", "") == module.__name__]  # fmt: skip


def test_thresholds_are_positive_and_shares_are_fractions() -> None:
    for module in MODULES:
        for name, value in _data(module).items():
            if isinstance(value, int | float) and not name.startswith("WEIGHT_"):
                assert value > 0, name
            if name.endswith(("_SHARE", "_RATIO")):
                assert 0 < value < 1, name


def test_an_image_file_name_is_one_token_of_letters_and_many_digits() -> None:
    assert_matches_only(
        patterns.IMAGE,
        ["003ednc20190925", "W020190918123", "img_20190925_01.png"],
        ["iPhone11", "2019年9月25日", "A股20190925行情", "GB/T 20190925", "5G"],
    )


def test_a_link_row_is_three_or_more_short_words_between_separators() -> None:
    assert_matches_only(
        patterns.LINK_ROW,
        ["网站首页  |  政务公开  |  办事指南", "首页｜新闻｜政策｜互动", "科技 │ 教育 │ 文化"],
        [
            "棱镜|数据业大整顿：爬虫与现金贷共生共荣",  # a headline with a kicker
            "聚焦盟市两会 | 科技创新是焦点 | 突围工程成热词正当时",  # long parts
            "地区 | 2023 | 2024",  # a table row of figures
            "首页 | 新闻",  # two words: a crumb or a kicker, not a row
            "撰文| 某某某摄影|某某某",  # the staff credited under an article
        ],
    )


def test_a_toolbar_opens_with_the_font_size_switch() -> None:
    assert_matches_only(
        patterns.FONT_SIZE_BAR,
        [
            "【字号大中小】 打印 留言 论坛 网摘 纠错 E-mail推荐: [    ] [提交]",
            "字体：大 中 小",
            "[字号 大 中 小]",
        ],
        ["字号大的报纸更受老年读者欢迎。", "大中小学校", "字体设计大赛"],
    )


def test_an_account_card_is_its_id_or_its_blurb() -> None:
    assert_matches_only(
        patterns.ACCOUNT_CARD,
        ["微信号 abcdef", "功能介绍聚焦科技创新领域", "微信号：kjnmg"],
        ["请添加微信号码咨询。", "微信号", "本文介绍了某某功能"],
    )


def test_the_day_alone_is_a_relative_date_and_a_day_in_a_sentence_is_not() -> None:
    assert_matches_only(
        patterns.RELATIVE_DATE, ["昨天", " 前天 ", "昨天 10:20"], ["昨天下午", "他昨天说"]
    )


@given(
    words=st.lists(
        st.text(
            alphabet=st.sampled_from("首页新闻政务公开办事指南互动交流科技"), min_size=2, max_size=6
        ),
        min_size=3,
        max_size=8,
    ),
    sep=st.sampled_from([" | ", "|", "｜", " │ ", "  |  "]),
)
def test_any_row_of_short_words_between_separators_is_a_link_row(
    words: list[str], sep: str
) -> None:
    assert patterns.LINK_ROW.match(sep.join(words))
