"""heads: the headline over a dated byline block, and the body found under it.

Each page below is written in a shape real portals use (a share bar between byline and
text, a sidebar or comment stream with more prose than a short article, a byline spread
over list items), never copied from one page.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.body import layout, run_sums, select_body
from indexer.extract.heads import find_heads, good_title
from indexer.extract.lines import (
    BYLINE,
    CREDIT,
    DATELINE,
    IMAGE,
    WIDGET,
    Line,
    arabic_dates,
    classify,
)
from indexer.extract.metadata import extract
from indexer.models import RawPage
from tests.unit.extract.pages import PROSE

SIDEBAR = "网友热议:这条新闻说得很好,我们要多多关注科技创新,也希望更多地方学习借鉴。"


def _layout(text: str, kind: str = "text"):
    return layout(RawPage(path="p.txt", text=text, kind=kind, encoding="utf-8", file_hash=""))


def _meta(text: str, kind: str = "text"):
    page = _layout(text, kind)
    return extract(page, select_body(page))


@pytest.mark.parametrize(
    ("text", "bullet", "kind"),
    [
        ("[W020190918]", False, IMAGE),  # an image's file name as a text browser prints it
        ("[qq] [zon] [wec]", False, IMAGE),
        ("[    ] [SUBMIT]", False, IMAGE),
        ("T + -", False, WIDGET),  # font-size widget
        ("关注", False, WIDGET),  # an account's follow button
        ("+关注", False, WIDGET),
        ("0:00", False, WIDGET),
        ("时间：2019-09-18 06:23 来源：山西日报", True, DATELINE),  # byline as a list item
        ("2023-12-01 14:43", True, DATELINE),
        ("来源：新华社", True, CREDIT),
        ("作者：", True, BYLINE),
        ("本报记者王乐文方敏", False, BYLINE),
        ("田国宝2018-04-04 23:25 [xd-smg] [ic]", False, DATELINE),
        ("2024 05/09 22:27:02", False, DATELINE),
        ("【摘要】在草原上,有这样一群人……", False, WIDGET),
    ],
)
def test_byline_and_noise_kinds(text: str, bullet: bool, kind: str) -> None:
    assert classify(Line(text=text, bullet=bullet)) == kind


def test_a_news_list_item_with_a_bare_date_is_not_a_head() -> None:
    kinds = [classify(Line(text=t, bullet=True)) for t in ("某某新闻标题一二三", "2024-01-02")]
    page = [Line("某某新闻标题一二三", bullet=True), Line("2024-01-02", bullet=True)]
    (head,) = find_heads(page, kinds)
    assert head.title is None  # a bulleted item is not a headline


@pytest.mark.parametrize(
    ("text", "ok"),
    [("自治区出台科技创新若干措施", True), ("[svg]", False), ("wx", False), ("句子。", False)],
)
def test_good_title(text: str, ok: bool) -> None:
    assert good_title(text) is ok


def test_body_is_the_text_under_the_head_not_the_longer_sidebar() -> None:
    page = "\n".join(
        [
            "网站首页",
            "自治区出台科技创新若干措施",
            "2024-03-08 09:30 来源:内蒙古日报",
            "分享到:",
            "评论",
            PROSE,
            "责任编辑:张三",
            "热门评论",
            *(SIDEBAR for _ in range(6)),
        ]
    )
    sel = select_body(_layout(page))
    assert list(sel.paragraphs) == [PROSE]
    meta = _meta(page)
    assert (meta.title, meta.published, meta.sources) == (
        "自治区出台科技创新若干措施",
        "2024-03-08T09:30",
        ("内蒙古日报",),
    )


def test_a_one_sentence_flash_under_a_head_is_an_article() -> None:
    flash = "记者从自治区科技厅获悉,首批科技特派员已全部到岗。"
    page = f"首批科技特派员全部到岗\n2024-03-08 来源:正北方网\n{flash}\n上一篇:无\n"
    sel = select_body(_layout(page))
    assert list(sel.paragraphs) == [flash]


def test_byline_spread_over_list_items() -> None:
    page = "\n".join(
        [
            "科普网 > 时政新闻 >",
            "自治区召开科技创新大会",
            "  • 来源：新华社",
            "  • 作者：",
            "  • 2023-12-01 14:43",
            "大会强调",
            PROSE,
        ]
    )
    meta = _meta(page)
    assert (meta.title, meta.published, meta.sources) == (
        "自治区召开科技创新大会",
        "2023-12-01T14:43",
        ("新华社",),
    )


def test_a_titled_head_beats_an_untitled_one() -> None:
    page = "\n".join(
        ["热点", "2024-01-01", SIDEBAR, SIDEBAR, "正文标题在这里", "2024-03-08 来源:甲报", PROSE]
    )
    sel = select_body(_layout(page))
    assert list(sel.paragraphs) == [PROSE]


def test_html_head_outside_the_scored_block_still_anchors_the_body() -> None:
    comments = "".join(f"<p>{SIDEBAR}{i}</p>" for i in range(8))
    html = (
        "<html><head><title>栏目_某某网</title></head><body>"
        "<div class='main'><h1>自治区出台科技创新若干措施</h1>"
        "<div>发布时间:2024-03-08 来源:内蒙古日报</div>"
        f"<div class='txt'><p>{PROSE}</p></div></div>"
        f"<div class='box'>{comments}</div></body></html>"
    )
    meta = _meta(html, "html")
    assert meta.title == "自治区出台科技创新若干措施"
    assert meta.published == "2024-03-08"
    page = _layout(html, "html")
    assert list(select_body(page).paragraphs) == [PROSE]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-50, max_value=50), max_size=40))
def test_run_sums_are_the_best_run_from_each_line(weights: list[int]) -> None:
    best, ends = run_sums(weights)
    for i in range(len(weights)):
        sums = [sum(weights[i:j]) for j in range(i + 1, len(weights) + 1)]
        assert best[i] == max(sums)
        assert sum(weights[i : ends[i]]) == best[i]


def test_content_after_a_premature_closing_html_tag_is_read() -> None:
    html = (
        "<html><body><div class='top'>网站首页</div></body></html>\n"
        f"<div class='content'><p>{PROSE}</p><p>{PROSE}再述。</p></div></body></html>"
    )
    assert list(select_body(_layout(html, "html")).paragraphs) == [PROSE, f"{PROSE}再述。"]


def test_a_document_title_over_lines_and_its_adoption_note() -> None:
    page = "\n".join(
        [
            "首页 > 公报",
            "",
            "自治区人民代表大会常务委员会",
            "关于促进科技成果转化的决定",
            "（2023年6月29日自治区第十四届人民代表大会常务委员会第五次会议通过）",
            "",
            PROSE,
        ]
    )
    meta = _meta(page)
    assert meta.title == "自治区人民代表大会常务委员会关于促进科技成果转化的决定"
    assert meta.published == "2023-06-29"


def test_a_kicker_over_a_headline_is_not_joined_to_it() -> None:
    page = f"科技兴蒙\n自治区召开科技创新大会\n2024-03-08 来源:甲报\n{PROSE}"
    assert _meta(page).title == "自治区召开科技创新大会"


def test_a_boxed_quote_in_a_dump_is_prose_not_a_byline() -> None:
    boxed = "│据了解，2010年7月30日发布的管理办法，作为基础性制度，于2014年4月进行了修订。│"
    page = f"标题在此处\n2024-01-02 来源:某报\n{PROSE}\n┌──────┐\n{boxed}\n└──────┘\n{PROSE}再述。"
    paragraphs = select_body(_layout(page)).paragraphs
    assert paragraphs[-1] == f"{PROSE}再述。"
    assert boxed.strip("│") in paragraphs


def test_json_ld_and_time_element_date_and_name_an_html_page() -> None:
    ld = (
        '{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",'
        '"headline":"自治区出台科技创新若干措施","datePublished":"2024-03-08T09:30:00+08:00",'
        '"publisher":{"@type":"Organization","name":"某某新闻网"}}]}'
    )
    html = (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
        f"<div><p>{PROSE}</p><p>{PROSE}再述。</p></div></body></html>"
    )
    meta = _meta(html, "html")
    assert (meta.title, meta.published, meta.site) == (
        "自治区出台科技创新若干措施",
        "2024-03-08T09:30:00",
        "某某新闻网",
    )
    timed = f"<html><body><time datetime='2024-05-01'>五月一日</time><p>{PROSE}</p></body></html>"
    assert _meta(timed, "html").published == "2024-05-01"


def test_broken_json_ld_is_ignored() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle",</script>'
        f"<meta name='ArticleTitle' content='自治区出台科技创新若干措施'></head>"
        f"<body><p>{PROSE}</p></body></html>"
    )
    assert _meta(html, "html").title == "自治区出台科技创新若干措施"


@pytest.mark.parametrize(
    ("text", "is_byline"),
    [
        ("发布时间：2012年3月5日 星期一 来源：某某日报", True),
        ("2024年3月5日 星期二", False),  # a header's calendar
        ("今天是2024年3月5日", False),
    ],
)
def test_weekday_beside_a_date(text: str, is_byline: bool) -> None:
    assert (classify(Line(text=text)) == DATELINE) is is_byline


@pytest.mark.parametrize(
    ("text", "arabic"),
    [
        ("二〇〇九年十一月九日", "2009年11月9日"),
        ("二〇二三年五月二十日", "2023年5月20日"),
        ("发布日期：二〇二三年十月三十一日", "发布日期：2023年10月31日"),
        ("十一月九日", "十一月九日"),  # no year: not a full date
    ],
)
def test_dates_in_chinese_numerals(text: str, arabic: str) -> None:
    assert arabic_dates(text) == arabic


def test_a_byline_in_chinese_numerals_dates_the_page() -> None:
    meta = _meta(f"关于开展科技创新工作的通知\n发布日期：二〇二三年十月三十一日\n{PROSE}")
    assert meta.published == "2023-10-31"


def test_a_sign_off_date_in_chinese_numerals_inside_a_text_does_not_cut_it() -> None:
    page = f"标题在此处\n2024-01-02 来源:某报\n{PROSE}\n二〇一八年六月十二日\n{PROSE}再述。"
    assert select_body(_layout(page)).paragraphs[-1] == f"{PROSE}再述。"


def test_a_question_headline_after_the_body_is_a_link_not_its_last_sentence() -> None:
    page = f"标题在此处\n2024-01-02 来源:某报\n{PROSE}\n{PROSE}再述。\n[img01]\n能否“计件反腐”?\n"
    assert select_body(_layout(page)).paragraphs[-1] == f"{PROSE}再述。"


@pytest.mark.parametrize("name", ["某某号", "IT之家", "体育教科书"])
def test_an_author_name_over_the_byline_is_not_the_headline(name: str) -> None:
    """Platform pages print headline, avatar, author name, then a year-less byline."""
    page = (
        "首页\n\n某地举行科技成果对接会签约项目二十个\n\n[687eb08492]\n\n"
        f"{name}\n\n发布时间：10-0812:00\n\n{PROSE}\n{PROSE}"
    )
    meta = _meta(page)
    assert meta.title == "某地举行科技成果对接会签约项目二十个"
    assert meta.published is None  # a dump keeps no year for it


def test_a_short_headline_over_the_byline_stays_the_headline() -> None:
    page = f"首页\n\n专题报道\n\n科技周开幕\n\n发布时间：2024-05-20 09:00\n\n{PROSE}\n{PROSE}"
    assert _meta(page).title == "科技周开幕"


_HEADLINE = "跨境电商打造新的空中贸易通道"


@pytest.mark.parametrize(
    "credit",
    [
        "记者 甲乙 丙丁 北京报道",
        "新华社北京3月5日电",
        "甲乙丙 丁戊",
        "欧阳甲 张 乙",
        "甲乙 丙丁 戊己 庚辛",
    ],
)
def test_the_reporters_line_between_headline_and_byline_is_not_the_title(credit: str) -> None:
    page = f"{_HEADLINE}\n\n{credit}\n\n2018年06月12日08:24  来源：某某报\n{PROSE}\n{PROSE}再述。"
    assert _meta(page).title == _HEADLINE


@given(
    names=st.lists(
        st.text(alphabet="王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", min_size=1, max_size=4),
        min_size=2,
        max_size=5,
    )
)
def test_a_line_of_names_over_the_byline_is_never_the_title(names: list[str]) -> None:
    page = f"{_HEADLINE}\n{' '.join(names)}\n2018-06-12 来源：某某报\n{PROSE}\n{PROSE}再述。"
    assert _meta(page).title == _HEADLINE
