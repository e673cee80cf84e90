"""Credit lines at a body's edges (credits.py): which lines credit an article's people, and
how far the walk from the body goes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract import patterns
from indexer.extract.body import NoArticleText, layout, select_body
from indexer.extract.credits import credits_above, credits_below, is_credit
from indexer.extract.lines import BYLINE, CONTENT, CREDIT, SHORT, Line, classify
from indexer.extract.pipeline import process_bytes
from indexer.models import Article, RawPage
from tests.unit.extract.pages import PROSE


def _page(text: str, kind: str = "text") -> RawPage:
    return RawPage(path="p.txt", text=text, kind=kind, encoding="utf-8", file_hash="")


def _credit(text: str, below: bool = False, **flags: bool) -> bool:
    line = Line(text, **flags)
    return is_credit(line, classify(line), below)


@pytest.mark.parametrize(
    "text",
    [
        "本报记者 王珂 北京报道",
        "□实习记者 向家莹 北京报道",
        "中国证券报记者 张勤峰",
        "每经记者 涂颖浩 每经编辑 毕陆名",
        "新华社北京3月21日电",
        "某某网（www.example.com）03月19日讯",  # a dispatch line says 讯 as often as 电
        "某某報台北3月21日電",
        "记者 赵瑞希 深圳报道",
        "制图：郭祥",
        "资料图：招聘会。 韩章云 摄",
        "图片来源：每经记者 摄",
        "（图片来源：全景视觉）",
        "(摄影:李微敖)",
    ],
)
def test_lines_that_credit_the_articles_people(text: str) -> None:
    assert _credit(text) and _credit(text, below=True)


@pytest.mark.parametrize(
    "text",
    [
        "细算中美经贸账（经济热点）",  # a headline copy
        "监管层重拳出击严查销售误导",  # a subtitle
        "要做“无法绕过的河流” 书生、记者、企业家的故事",  # a subtitle that says 记者
        "记者了解到，这类手机多项检测不合格。",  # a sentence
        "责编 王昊毅",  # the page's editor credit, colon or not
        "责编每经记者刘明涛",
        "编辑：甲",
        "田国宝经济观察报记者",  # the title line of a box about the writer
        "经济观察报地产部记者",
        "第一财经APP 林小昭",  # names, but no reporter's word
        "记者 王珂 " + "甲" * 40,  # too long for a credit line
        "3月19日讯息汇总",  # 讯 inside a word, not closing a dispatch line
    ],
)
def test_lines_that_do_not(text: str) -> None:
    assert not _credit(text) and not _credit(text, below=True)


def test_a_source_credit_is_taken_under_the_body_when_it_names_the_reporter() -> None:
    """Above the body a 来源 line is the byline block's, and a bare one under it is the
    outlet's credit: the sources field reads both."""
    text = "（来源：甲报 记者：乙）"
    assert classify(Line(text)) == CREDIT
    assert _credit(text, below=True) and not _credit(text)
    assert classify(Line("来源：甲报")) == CREDIT
    assert not _credit("来源：甲报", below=True)


@pytest.mark.parametrize("flags", [{"chrome": True}, {"outside": True}])
def test_chrome_and_html_outside_the_main_block_are_never_credits(flags: dict) -> None:
    assert not _credit("本报记者 王珂", **flags)


@pytest.mark.parametrize(
    ("page", "body"),
    [
        # the reporters' line and a picture credit between the byline and the text
        (
            f"标题一行\n2024-01-02 10:20\n本报记者 王珂\n\n图片来源：甲图库\n{PROSE}",
            ["本报记者 王珂", "图片来源：甲图库", PROSE],
        ),
        # an image file name between them is stepped over, not taken
        (
            f"标题一行\n2024-01-02 10:20\n每经记者 甲乙\nUpload_1528950056545.thumb_head\n{PROSE}",
            ["每经记者 甲乙", PROSE],
        ),
        # a headline copy ends the walk up: the reporter line over it stays out
        (
            f"标题一行\n2024-01-02 10:20\n记者 甲乙\n标题的另一种写法\n{PROSE}",
            [PROSE],
        ),
        # the reporters and a source credit under the last paragraph
        (
            f"标题一行\n2024-01-02 10:20\n{PROSE}\n\n记者 甲乙 北京报道\n（来源：甲报 记者：乙）",
            [PROSE, "记者 甲乙 北京报道", "（来源：甲报 记者：乙）"],
        ),
        # a wall under the body ends the walk down
        (f"标题一行\n2024-01-02 10:20\n{PROSE}\n责任编辑：丙\n记者 甲乙", [PROSE]),
    ],
)
def test_body_text_keeps_the_credit_lines_at_its_edges(page: str, body: list[str]) -> None:
    sel = select_body(layout(_page(page)))
    assert sel.text_around(sel.paragraphs) == body


def test_credit_lines_join_the_body_text_not_the_metadata() -> None:
    """The reporter's outlet on a credit line is not read as the article's source."""
    page = f"标题一行\n2024-01-02 10:20 来源：甲报\n乙报记者 丙丁\n{PROSE}".encode()
    article = process_bytes(page, "p.txt")
    assert isinstance(article, Article)
    assert article.body == f"乙报记者 丙丁\n{PROSE}"
    assert article.sources == ("甲报",)


def test_the_walk_takes_at_most_a_few_credits_per_edge() -> None:
    many = [Line(f"记者 甲{i}") for i in range(patterns.MAX_EDGE_CREDITS + 2)]
    lines = [*many, Line(PROSE), *many]
    kinds = [classify(x) for x in lines]
    start = len(many)
    assert credits_above(lines, kinds, start) == tuple(x.text for x in many[-3:])
    assert credits_below(lines, kinds, start + 1) == tuple(x.text for x in many[:3])


_POOL = [
    PROSE,
    "",
    "本报记者 王珂",
    "制图：郭祥",
    "（来源：甲报 记者：乙）",
    "标题的另一种写法",
    "2024-01-02 10:20",
    "责任编辑：丙",
    "分享到",
    "[img]",
]


@given(st.lists(st.sampled_from(_POOL), min_size=1, max_size=30))
def test_edge_credits_are_page_lines_outside_the_prose(texts: list[str]) -> None:
    """Whatever the page, the credits taken are credit lines of the page standing outside
    the selection (above its start, under its end), a few per edge."""
    page = layout(_page("\n".join(texts)))
    try:
        sel = select_body(page)
    except NoArticleText:
        return
    texts_above = [x.text for x in page.lines[: sel.start]]
    texts_below = [x.text for x in page.lines[sel.end :]]
    assert len(sel.lead) <= patterns.MAX_EDGE_CREDITS
    assert len(sel.tail) <= patterns.MAX_EDGE_CREDITS
    assert all(x in texts_above for x in sel.lead)
    assert all(x in texts_below for x in sel.tail)
    for text in (*sel.lead, *sel.tail):
        assert classify(Line(text)) in (SHORT, CONTENT, BYLINE, CREDIT)
