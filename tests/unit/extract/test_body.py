"""Lines, their kinds, and the densest prose run that becomes the body (lines, text_page,
html_page, body); the same over HTML pages in test_body_html.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract import patterns
from indexer.extract.body import NoArticleText, densest_run, layout, select_body
from indexer.extract.lines import (
    BARE,
    BLANK,
    CONTENT,
    CREDIT,
    DATELINE,
    FIELD,
    IMAGE,
    LABEL,
    LIST,
    MENU,
    SHORT,
    STOP,
    WIDGET,
    Line,
    classify,
    is_dateline,
)
from indexer.extract.text_page import text_lines
from indexer.models import RawPage
from indexer.normalize import strip_pinyin_notes
from tests.unit.extract.pages import PROSE, body_paragraphs

DATED_SENTENCE = "根据甲公司2018年4月20日发布的公告，经营已无法进行。那么，何时能够恢复？"


def _page(text: str, kind: str = "text") -> RawPage:
    return RawPage(path="p.txt", text=text, kind=kind, encoding="utf-8", file_hash="")


@pytest.mark.parametrize(
    ("text", "bullet", "kind"),
    [
        ("", False, BLANK),
        ("上一篇:没有了", False, STOP),
        ("下一篇: 奖励风采 | 落实“藏粮于地”战略", False, STOP),
        ("编辑:魏源", False, STOP),
        ("【责任编辑:张丽】", False, STOP),
        ("审核:蔡旭东", False, STOP),
        ("【纠错】 【责任编辑:刘洋】", False, STOP),
        ("阅读下一篇:", False, STOP),
        ("蒙ICP备2021001220号-1 蒙公网安备15010502002335号", False, STOP),
        ("中宏网版权所有 京ICP备2023030128号-1", False, STOP),
        ("主办单位:内蒙古自治区科学技术厅 承办单位:内蒙古自治区科学技术厅", False, STOP),
        ("运营机构:鄂尔多斯国家级文化和科技融合示范基地管委会", False, STOP),
        ("地址:内蒙古呼和浩特市赛罕区丰州南路78号", False, STOP),
        ("Email:ordoswh123@163.com 服务电话:0477-8394929", False, STOP),
        ("增值电信业务经营许可证:蒙B2-20090015", False, STOP),
        ("相关推荐", False, STOP),
        ("网友评论", False, STOP),
        ("最新资讯", True, STOP),
        ("扫一扫下载APP,体验更多功能!", False, STOP),
        ("2022-09-29 09:03:12 来源:内蒙古自治区科学技术厅网站", False, DATELINE),
        ("作者: 2024/01/25 10:20 0收藏", False, DATELINE),
        ("来源:内蒙古日报 发布日期:2023-12-05 22:45", False, DATELINE),
        ("2023年12月5日", False, DATELINE),
        ("今天是2024年3月9日 星期六", False, SHORT),
        ("发展和改革委员会", True, LIST),
        ("中宏网首页 >", True, LIST),
        ("当前位置: 首页 > 科技动态 > 工作动态 > 科技厅工作", False, MENU),
        ("字体:[ 大 | 中 | 小 ]", False, WIDGET),
        ("分享到:", False, WIDGET),
        ("打印本页", False, WIDGET),
        ("用微信扫描二维码", False, WIDGET),
        ("长辈版 微信 微信 无障碍", False, WIDGET),
        ("图片", False, IMAGE),
        ("1.jpg", False, IMAGE),
        ("微信图片_20220929090916.jpg", False, IMAGE),
        ("003ednc20190925", False, IMAGE),  # an image's file name printed as its alt text
        ("为你推荐", False, STOP),
        ("此前报道：某地出台科技创新新规", False, WIDGET),  # one related link under its label
        ("延伸阅读：", False, STOP),  # a related box's heading
        ("相关报道：某地出台新规。细则全文如下。", False, CONTENT),  # sentences: no link
        ("点击进入专题：", False, WIDGET),
        ("专注科技报道。扫描下方二维码关注官方微信(或微信中搜：abc2012)。", False, WIDGET),
        ("您的浏览器暂时无法播放此视频.", False, WIDGET),
        ("(摘编自:青城融媒、包头日报)", False, CREDIT),
        ("来源:内蒙古日报", False, CREDIT),
        ("本文转自:科技日报", False, CREDIT),
        ("原标题:聚焦五大任务 推动高质量发展", False, FIELD),
        ("附件:", False, LABEL),
        ("发文字号:内科发〔2024〕21号", False, FIELD),
        ("索引号:11150000011513437X/2024-00015", False, FIELD),
        ("转盘式挤奶机。", False, CONTENT),
        ("《意见》原文:", False, CONTENT),
        (PROSE, False, CONTENT),
        (PROSE * 2, True, CONTENT),
        ("呼和浩特市", False, SHORT),
        (
            " ".join("北京 天津 河北 山西 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建".split() * 2),
            False,
            BARE,
        ),
    ],
)
def test_classify(text: str, bullet: bool, kind: str) -> None:
    assert classify(Line(text=text, bullet=bullet)) == kind


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (Line("网站首页 科技新闻", link_ratio=1.0), MENU),
        (Line(PROSE, chrome=True), CONTENT),
        (Line("发布时间:2024-03-08 09:30", chrome=True), DATELINE),
    ],
)
def test_classify_uses_page_structure(line: Line, kind: str) -> None:
    assert classify(line) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日期:2023-01-18", True),
        ("2024/01/25 10:20", True),
        ("2023年12月5日,自治区召开科技创新大会,部署下一阶段重点工作。", False),
        ("科技赋能 助力市级科技园区高质量发展 2024-09-10", False),
        ("本站于2024-01-01改版。", False),
        # a sentence with a byline cue and a date, closed by a question, is prose
        (DATED_SENTENCE, False),
        ("发布时间：2018年4月20日，来源：甲报", True),
        ("Copyright 2016-2025", False),
        ("申报时间:2024年5月10日", False),
        ("2024年5月10日至6月10日", False),
        ("发布日期：2008－05－12", True),  # old pages' full-width marks and digits
        ("日期：２００８－０５－１２　１０：２０", True),
        ("2024年5月10日－6月10日", False),  # a full-width hyphen after a day: a range
        ("2024.5.10－2024.6.10", False),  # before a year: a range
        ("时间：2008-05-12 星期一", True),  # a weekday under a byline cue
        ("2008年5月12日 星期一", False),  # a header's calendar
        ("某某局  2008-05-12  【打印本页】【关闭窗口】", True),  # widgets in brackets
        ("没有日期的一行", False),
    ],
)
def test_is_dateline(text: str, expected: bool) -> None:
    assert is_dateline(text) is expected


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ([], (0, 0, 0)),
        ([-5, -1], (0, 0, 0)),
        ([-8, 50, -8, 60, -30], (1, 4, 102)),
        ([40, -100_000, 40], (0, 1, 40)),  # ties: the earlier run wins
        ([10, -100_000, 30, -5, 30], (2, 5, 55)),
        ([0, 0, 10, 0], (2, 3, 10)),
    ],
)
def test_densest_run(weights: list[int], expected: tuple[int, int, int]) -> None:
    assert densest_run(weights) == expected


def test_text_lines_flag_bullets_and_trim_line_ends() -> None:
    lines = text_lines("  • 首页\n- 新聞\n\u3000\u3000正文 一段\n——推进落实")
    assert [(x.text, x.bullet) for x in lines] == [
        ("首页", True),
        ("新聞", True),
        ("正文 一段", False),
        ("——推进落实", False),
    ]


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("## 标题一行", Line("标题一行", heading=2)),
        ("* [首页](http://www.example.gov.cn/)", Line("首页", bullet=True, link_ratio=1.0)),
        ("[首页](/) | [新闻](/news)", Line("首页 | 新闻", link_ratio=0.8)),
        ("![](http://img.example.cn/a.jpg)", Line("")),
        ("http://www.example.gov.cn/art/2024/1/5/art_1.html", Line("")),
        ("这是**重点**内容,[详见](/a)。", Line("这是重点内容,详见。", link_ratio=0.2)),
        ("字体:[ 大 | 中 | 小 ]", Line("字体:[ 大 | 中 | 小 ]")),
    ],
)
def test_text_lines_read_markdown_left_by_converters(raw: str, line: Line) -> None:
    assert text_lines(raw) == [line]


@pytest.mark.parametrize(
    ("page", "body"),
    [
        # menu above, byline as the wall, footer below
        (f"• 首页\n• 新闻\n标题一行\n发布日期:2024-01-02\n{PROSE}\n上一篇:无\n{PROSE}", [PROSE]),
        # subheadings between prose stay; image placeholders and credits go
        (
            f"{PROSE}\n\n图片\n\n小标题\n{PROSE}\n(摘编自:甲报、乙报)\n• 最新资讯\n• 一条",
            [PROSE, "小标题", PROSE],
        ),
        # a short unpunctuated line after the byline (an account name) is not body
        (f"标题\n作者: 2024/01/25 10:20\n\n创新内蒙古\n\n{PROSE}", [PROSE]),
        # widgets and a bare attachment label around the body are dropped
        (f"来源:甲 发布日期:2023-12-05\n字体:[ 大 | 中 | 小 ]\n打印本页\n{PROSE}\n附件:", [PROSE]),
        # a sentence quoting a dated announcement goes on the body; it is no byline wall
        (
            f"标题\n发布日期:2024-01-02\n{PROSE}\n{DATED_SENTENCE}\n{PROSE}",
            [PROSE, DATED_SENTENCE, PROSE],
        ),
        # a note in brackets closing the article is its own; an editor's credit is not
        (
            f"标题\n发布日期:2024-01-02\n{PROSE}\n\n（作者系某大学研究员）\n(编辑：甲)\n（乙）",
            [PROSE, "（作者系某大学研究员）"],
        ),
        (
            f"{PROSE}\n(记者 甲乙)\n（原标题 某某事）\n（第三条注）",
            [PROSE, "(记者 甲乙)", "（原标题 某某事）"],
        ),
        # a bracketed line after another line is not the article's closing note
        (f"{PROSE}\n相关专题\n（甲乙丙）", [PROSE]),
        # pinyin notes are gone before anything else looks at the text
        (
            "高新區(qū)新聞:經(jīng)濟(jì)開發(fā)區(qū)發(fā)展成效明顯,研究與試驗發展(R&D)經費增長。",
            ["高新區新聞:經濟開發區發展成效明顯,研究與試驗發展(R&D)經費增長。"],
        ),
    ],
)
def test_select_body_text(page: str, body: list[str]) -> None:
    assert body_paragraphs(page) == body


def test_select_body_reports_byline_index() -> None:
    sel = select_body(layout(_page(f"标题\n\n2024-01-02 来源:甲报\n\n{PROSE}")))
    assert (sel.start, sel.end, sel.dateline) == (4, 5, 2)


@pytest.mark.parametrize(
    "page",
    ["", "• 首页\n• 新闻\n上一篇:没有了", "短行\n另一短行", "编辑:甲\n审核:乙"],
)
def test_select_body_refuses_pages_without_prose(page: str) -> None:
    with pytest.raises(NoArticleText):
        select_body(layout(_page(page)))


FLASH_CHROME = (
    "首页 | 新闻 | 财经\n{title}\n2024-03-05 10:20 来源：新华社\n{text}\n相关新闻\n版权所有：某某网"
)


@pytest.mark.parametrize("text", ["美联储宣布维持利率不变。", "【快讯】美联储宣布维持利率不变。"])
def test_a_one_sentence_flash_under_a_dated_headline_is_its_body(text: str) -> None:
    page = layout(_page(FLASH_CHROME.format(title="美联储议息会议结果公布", text=text)))
    assert select_body(page).paragraphs == (text,)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("美联储议息会议结果公布", "美联储宣布维持利率不变"),  # no closed sentence: a caption
        ("美联储议息会议结果公布", "利率不变。"),  # shorter than any flash
    ],
)
def test_short_text_that_is_no_flash_is_refused(title: str, text: str) -> None:
    with pytest.raises(NoArticleText):
        select_body(layout(_page(FLASH_CHROME.format(title=title, text=text))))


def test_a_related_link_inside_the_text_is_dropped_and_the_text_goes_on() -> None:
    page = (
        f"某某局召开科技工作会议\n2024-03-05 来源：新华网\n{PROSE}\n"
        f"延伸阅读：某地出台科技创新新规\n{PROSE}\n{PROSE}\n此前报道：某地出台新规\n"
    )
    assert select_body(layout(_page(page))).paragraphs == (PROSE,) * 3


LIST_PAGE = (
    "首页 | 新闻 | 财经\n• 某地出台新规，企业迎来利好\n\n{teaser}\n\n{teaser}\n"
    "• 另一条新闻的标题\n版权所有：某某网"
)


def test_a_news_lists_teasers_under_no_head_are_no_article() -> None:
    """A list page's only prose is a teaser headline or two: no byline, no full stop."""
    with pytest.raises(NoArticleText):
        select_body(layout(_page(LIST_PAGE.format(teaser="被误解的某演员，不止一张“初恋脸”"))))


def test_a_short_note_of_one_sentence_under_no_head_is_still_its_body() -> None:
    note = "据有关人士透露，此次磋商是积极的、建设性的、富有成果的。"
    assert select_body(layout(_page(f"{note}"))).paragraphs == (note,)


# --- properties -------------------------------------------------------------------------

_LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "• 首页",
            "  • 政务公开",
            "当前位置: 首页 > 新闻",
            "字体:[ 大 | 中 | 小 ]",
            "上一篇:没有了",
            "编辑:某某",
            "图片",
            "1.jpg",
            "发布日期:2024-01-02 来源:某报",
            "小标题",
            PROSE,
            "高新區(qū)發(fā)展,成效明顯。",
        ]
    ),
    st.text(alphabet="科技创新发展内蒙古,。、;:() abc12", min_size=1, max_size=60),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=30))
def test_cleaning_never_adds_text(lines: list[str]) -> None:
    page = "\n".join(lines)
    source = patterns.STRAY_PINYIN_NOTE.sub("", strip_pinyin_notes(page))
    try:
        body = body_paragraphs(page)
    except NoArticleText:
        return
    assert body
    for paragraph in body:
        assert paragraph in source


@pytest.mark.parametrize(
    ("page", "body"),
    [
        # unbulleted headline lists around a body do not join it
        (
            f"热点新闻\n我旗举办大赛,20个项目晋级决赛\n标题\n发布时间:2024-03-21\n{PROSE}\n"
            "某市现场会在我旗召开,推广先进经验\n我旗3家企业入选名单",
            [PROSE],
        ),
        # but a short unclosed line between prose lines is a subheading and stays
        (f"{PROSE}\n一、加强组织领导\n{PROSE}", [PROSE, "一、加强组织领导", PROSE]),
        # hard-wrapped prose breaks after commas and stays whole
        (
            f"标题\n2024-04-02\n记者获悉,今年将围绕“生态优先、\n{PROSE}",
            ["记者获悉,今年将围绕“生态优先、", PROSE],
        ),
    ],
)
def test_headline_lines_never_start_or_end_a_body(page: str, body: list[str]) -> None:
    assert body_paragraphs(page) == body


@pytest.mark.parametrize(
    ("tail", "body_end"),
    [
        # issuer, bare date and publication note belong to the document
        ("内蒙古自治区科学技术厅\n2024年3月15日\n(此件公开发布)\n网站地图", "(此件公开发布)"),
        ("某某局\n\n2024-03-15\n上一篇:无", "2024-03-15"),
        # a bare date straight after the prose is not a sign-off
        ("2024-03-15\n某某局", PROSE),
        # nor is a date after a long line or a menu
        ("• 首页\n2024-03-15", PROSE),
    ],
)
def test_signoff_extends_body(tail: str, body_end: str) -> None:
    assert body_paragraphs(f"标题\n发布日期:2024-03-18\n{PROSE}\n{tail}")[-1] == body_end


def test_icon_font_glyphs_are_no_text() -> None:
    """A share or play button drawn with an icon font is a private-use character."""
    assert body_paragraphs(f"\ue621 {PROSE}\n\n{PROSE}\ue60b\n") == [PROSE, PROSE]
