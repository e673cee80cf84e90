"""metadata: dates, credits, titles and site names from the page's own furniture."""

from __future__ import annotations

import pytest

from indexer.extract.body import layout, select_body
from indexer.extract.metadata import parse_date
from indexer.extract.titles import infer_title, split_title_tag
from indexer.models import RawPage
from tests.unit.extract.pages import PROSE, page_metadata


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024/01/25 10:20", "2024-01-25T10:20"),
        ("2022-09-29 09:03:12 来源:某网", "2022-09-29T09:03:12"),
        ("发布日期:2023-12-05 22:45", "2023-12-05T22:45"),
        ("日期:2023-01-18 点击:次", "2023-01-18"),
        ("2023年12月5日", "2023-12-05"),
        ("发布时间:2023年12月5日 8时30分", "2023-12-05T08:30"),
        ("2023.6.1", "2023-06-01"),
        ("2023-02-30 或 2023-03-01", "2023-03-01"),
        ("12月5日", None),
        ("没有日期", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("title", "split"),
    [
        ("赤峰市出台若干措施_赤峰市科学技术局", ("赤峰市出台若干措施", "赤峰市科学技术局")),
        ("兴安盟召开科技创新大会--兴安盟行政公署", ("兴安盟召开科技创新大会", "兴安盟行政公署")),
        ("标题一二三 - 乌海市人民政府", ("标题一二三", "乌海市人民政府")),
        ("呼和浩特获批国家级孵化器 | 北疆新闻网", ("呼和浩特获批国家级孵化器", "北疆新闻网")),
        (
            "聚焦盟市两会 | 科技创新是焦点 “突围”工程成热词",
            ("聚焦盟市两会 | 科技创新是焦点 “突围”工程成热词", None),
        ),
        ("只有标题", ("只有标题", None)),
        # the site between the headline and a channel, or before it
        ("某地发布新规定 - 某某中文网 - 两岸三地", ("某地发布新规定", "某某中文网")),
        ("某地发布新规定_科技频道_某某网", ("某地发布新规定", "某某网")),
        ("某地发布新规定 | 某某日报 | 要闻", ("某地发布新规定", "某某日报")),
        ("某地发布新规定_要闻", ("某地发布新规定", "要闻")),
    ],
)
def test_split_title_tag(title: str, split: tuple[str, str | None]) -> None:
    assert split_title_tag(title) == split


@pytest.mark.parametrize(
    ("paragraphs", "title"),
    [
        (("连续上榜全国科技创新百强城市;", "第二段。"), "连续上榜全国科技创新百强城市"),
        ((PROSE,), "今年以来,自治区科技厅积极指导各盟市落实一体化发展规划"),
        (("3月20日,准格尔旗首批5座示范煤矿通过验收。",), "3月20日,准格尔旗首批5座示范煤矿通过验收"),
        (("短句。",), "短句"),
        (("一" * 50 + "。",), "一" * 30),
    ],
)
def test_infer_title(paragraphs: tuple[str, ...], title: str) -> None:
    assert infer_title(paragraphs) == title


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # heading above the byline; site from 版权所有 before the cue
        (
            f"• 首页\n标题在此处\n\n2024-01-02 来源:甲报\n{PROSE}\n下一篇:无\n"
            "某某网版权所有 京ICP备1号",
            ("标题在此处", False, "2024-01-02", ("甲报",), "某某网"),
        ),
        # 版权所有 outranks 主办单位, whatever the line order
        (
            f"标题在此处\n日期:2024-01-02\n{PROSE}\n主办单位:乙单位\n版权所有:甲单位",
            ("标题在此处", False, "2024-01-02", (), "甲单位"),
        ),
        # no branding: the account line under the byline, then the first source
        (
            f"标题在此处\n作者: 2024/01/25 10:20 0收藏\n创新内蒙古\n{PROSE}",
            ("标题在此处", False, "2024-01-25T10:20", (), "创新内蒙古"),
        ),
        (
            f"标题在此处\n来源:丙报 日期:2023-01-18\n{PROSE}",
            ("标题在此处", False, "2023-01-18", ("丙报",), "丙报"),
        ),
        # no title, no date: inferred title, null date; a date in the body is not used
        (
            f"连续上榜全国科技创新百强城市;\n2023年12月5日,{PROSE}\n运营机构:某管委会",
            ("连续上榜全国科技创新百强城市", True, None, (), "某管委会"),
        ),
        # credit line after the body
        (
            f"标题在此处\n2024-01-02\n{PROSE}\n(摘编自:甲报、乙报)\n• 最新资讯",
            ("标题在此处", False, "2024-01-02", ("甲报", "乙报"), "甲报"),
        ),
    ],
)
def test_extract_text(page: str, expected: tuple) -> None:
    meta = page_metadata(page)
    assert (meta.title, meta.title_inferred, meta.published, meta.sources, meta.site) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # <h1> confirmed by <title>; og:site_name; byline date
        (
            '<title>标题甲乙丙_某网</title><meta property="og:site_name" content="某某新闻网">'
            f"<h1>某网</h1><h1>标题甲乙丙</h1><p>发布时间:2024-05-06 来源:某报</p><p>{PROSE}</p>",
            ("标题甲乙丙", False, "2024-05-06", ("某报",), "某某新闻网"),
        ),
        # no heading: og:title; date only in a meta tag; site from the <title> suffix
        (
            '<title>标题甲乙丙 - 某某科技局</title><meta property="og:title" content="标题甲乙丙">'
            f'<meta name="publishdate" content="2023-10-09"><div><p>{PROSE}</p></div>',
            ("标题甲乙丙", False, "2023-10-09", (), "某某科技局"),
        ),
        # nothing but <title>
        (
            f"<title>只有标题标签_某网站</title><div><p>{PROSE}</p></div>",
            ("只有标题标签", False, None, (), "某网站"),
        ),
    ],
)
def test_extract_html(html: str, expected: tuple) -> None:
    meta = page_metadata(html, "html")
    assert (meta.title, meta.title_inferred, meta.published, meta.sources, meta.site) == expected


@pytest.mark.parametrize(
    ("page", "title"),
    [
        # an information table: the 标题 row names the headline
        (
            f"索引号:1115/2024-1\n标题:关于开展评价工作的通知\n发文字号:某发〔2024〕1号\n"
            f"发布日期:2024年03月18日\n关于开展评价工作的通知\n字体:[ 大 中 小 ]\n{PROSE}",
            "关于开展评价工作的通知",
        ),
        # a table without a 标题 row: rows are skipped, the headline under the byline is used
        (
            f"成文日期:2024年03月15日\n发文字号:某发〔2024〕1号\n发布日期:2024年03月18日\n"
            f"关于开展某项评价工作的通知\n{PROSE}",
            "关于开展某项评价工作的通知",
        ),
        # "人名:话题" headlines are headlines, not table rows
        (f"鄔軍軍:以科技創新驅動高質量發展\n來源:高新院 日期:2023-01-18\n{PROSE}", None),
    ],
)
def test_title_from_document_tables(page: str, title: str | None) -> None:
    expected = title or "鄔軍軍:以科技創新驅動高質量發展"
    assert (page_metadata(page).title, page_metadata(page).title_inferred) == (expected, False)


def test_logo_heading_is_not_the_title() -> None:
    html = (
        "<title>真正的文章标题在这里_某某科技厅网站</title><h1>某某科技厅网站</h1>"
        f"<h2>真正的文章标题在这里</h2><p>发布时间:2024-01-25T10:20:00+08:00</p><div><p>{PROSE}</p></div>"
    )
    meta = page_metadata(html, "html")
    assert (meta.title, meta.published, meta.site) == (
        "真正的文章标题在这里",
        "2024-01-25T10:20:00",
        "某某科技厅网站",
    )


def test_title_search_stops_at_menus() -> None:
    page = f"首页 | 机构设置 | 政务公开\n当前位置:首页 > 通知公告\n发布日期:2024-03-18\n{PROSE}"
    meta = page_metadata(page)
    assert (meta.title, meta.title_inferred) == (
        "今年以来,自治区科技厅积极指导各盟市落实一体化发展规划",
        True,
    )


def test_platform_page_names_the_account_and_script_time() -> None:
    html = (
        '<meta property="og:site_name" content="微信公众平台"><title>标题甲乙丙丁</title>'
        '<h1 id="activity-name">标题甲乙丙丁</h1>'
        '<div id="meta_content"><a id="js_name">某某科技</a><em id="publish_time"></em></div>'
        '<div id="js_content" style="visibility: hidden;">'
        f'<p>{PROSE}</p></div><script>var ct = "1712215800";</script>'
    )
    meta = page_metadata(html, "html")
    assert (meta.title, meta.published, meta.site) == (
        "标题甲乙丙丁",
        "2024-04-04T15:30",
        "某某科技",
    )


def test_platform_name_kept_when_no_account_is_shown() -> None:
    html = (
        f'<meta property="og:site_name" content="微信公众平台"><h1>标题甲乙丙丁</h1><p>{PROSE}</p>'
    )
    assert page_metadata(html, "html").site == "微信公众平台"


@pytest.mark.parametrize(
    ("page", "site"),
    [
        # the footer names the office, the header the portal it runs
        (
            f"某某旗人民政府 首页 新闻\n标题在此处\n日期:2024-01-02\n{PROSE}\n"
            "某某旗人民政府办公室主办",
            "某某旗人民政府",
        ),
        (
            f"某某市人民政府\n标题在此处\n日期:2024-01-02\n{PROSE}\n主办单位:某某市人民政府办公室",
            "某某市人民政府",
        ),
        # a header naming another portal does not override the footer
        (
            f"自治区人民政府网站\n标题在此处\n日期:2024-01-02\n{PROSE}\n主办单位:自治区科学技术厅",
            "自治区科学技术厅",
        ),
    ],
)
def test_site_prefers_header_portal_over_footer_office(page: str, site: str) -> None:
    assert page_metadata(page).site == site


def test_date_printed_under_the_body() -> None:
    meta = page_metadata(f"标题在此处\n\n{PROSE}\n\n发布时间:2024-02-03 08:00\n网站地图")
    assert meta.published == "2024-02-03T08:00"


def test_date_and_time_alone_right_under_the_body_is_the_date() -> None:
    # A gallery or a platform post prints its date under the caption, over the share bar.
    meta = page_metadata(f"标题在此处\n\n{PROSE}\n\n2019-09-08 11:42:03\n举报\n分享到")
    assert meta.published == "2019-09-08T11:42:03"


def test_date_and_time_under_the_articles_own_credit_is_the_date() -> None:
    meta = page_metadata(
        f"标题在此处\n\n{PROSE}\n\n（来源：某某日报）\n\n2019-09-08 11:42:03\n分享到"
    )
    assert meta.published == "2019-09-08T11:42:03"


@pytest.mark.parametrize(
    "after",
    [
        "相关推荐\n• 另一篇文章的标题\n2019-09-08 11:42:03",  # a list's date, past its heading
        "2019-09-08\n网站地图",  # a day alone may be a related item's or the footer's
    ],
)
def test_unlabelled_date_under_the_body_needs_to_be_first_and_timed(after: str) -> None:
    assert page_metadata(f"标题在此处\n\n{PROSE}\n\n{after}").published is None


def test_bare_date_far_under_the_body_is_not_the_date() -> None:
    meta = page_metadata(
        f"标题在此处\n\n{PROSE}\n上一篇:无\n下一篇:无\n• 一\n• 二\n更新时间:2024-02-03"
    )
    assert meta.published is None


def test_subtitle_under_the_headline_is_skipped() -> None:
    meta = page_metadata(f"标题在此处\n——记某某科技特派员\n日期:2024-01-02\n{PROSE}")
    assert meta.title == "标题在此处"


@pytest.mark.parametrize(
    ("footer", "site"),
    [
        ("Copyright © 2024 内蒙古日报社 All Rights Reserved", "内蒙古日报"),
        ("Copyright © 2000-2024 XINHUANET.com All Rights Reserved.", "甲报"),
        ("版权所有 © 2005-2024 正北方网", "正北方网"),
        ("正北方网 版权所有 蒙ICP备05001234号", "正北方网"),
    ],
)
def test_site_from_copyright_lines(footer: str, site: str) -> None:
    assert page_metadata(f"标题在此处\n来源:甲报 日期:2024-01-02\n{PROSE}\n{footer}").site == site


def test_site_from_a_breadcrumb_root_when_the_footer_names_a_company() -> None:
    page = f"甲乙网 > 科技 > 正文\n标题在此处\n2024-01-02 来源:某报\n{PROSE}\n甲乙公司版权所有"
    assert page_metadata(page).site == "甲乙网"


def test_a_brand_without_its_suffix_takes_the_name_the_page_uses() -> None:
    page = f"甲乙网首页\n标题在此处\n2024-01-02 来源:某报\n{PROSE}\nCopyright © 2024 甲乙公司"
    assert page_metadata(page).site == "甲乙网"


@pytest.mark.parametrize(
    "notice",
    [
        "如需转载请与《某某日报》报社联系。",
        "某某网（www.example.com）原创内容，未经授权不得转载，违者必究。",
        "【免责声明】本文仅代表作者本人观点，与本网无关。",
        "特别提醒：如果我们使用了您的图片，请作者与本站联系索取稿酬。",
        "声明：本网力求信息真实、准确，文章提及内容仅供参考。",
    ],
)
def test_notices_under_an_article_end_it(notice: str) -> None:
    page = f"标题在此处\n2024-01-02 来源:某报\n{PROSE}\n{notice}\n{PROSE}再一段"
    page_layout = layout(RawPage(path="p", text=page, kind="text", encoding="utf-8", file_hash=""))
    assert list(select_body(page_layout).paragraphs) == [PROSE]


@pytest.mark.parametrize(
    ("opening", "outlet"),
    [
        ("经济观察报记者田国宝 3月下旬,北京市发布了通知,内容如下。", ("经济观察报",)),
        ("经济观察报 记者 田国宝 3月下旬,北京市发布了通知,内容如下。", ("经济观察报",)),
        ("本报记者 张三 3月下旬,北京市发布了通知,内容如下。", ()),  # "本报" names no one
    ],
)
def test_outlet_of_the_reporter_a_body_opens_with(opening: str, outlet: tuple) -> None:
    page = f"标题在此处\n2024-01-02\n（图片来源：某图库）\n{opening}\n{PROSE}"
    assert page_metadata(page).sources == outlet


def test_credit_inside_a_line_under_the_body() -> None:
    page = f"标题在此处\n{PROSE}\n标签：\n版权声明来源：甲乙报时间：2019-09-23 14:34:05 作者："
    assert page_metadata(page).sources == ("甲乙报",)


def test_html_headline_named_by_title_over_a_subtitle_heading() -> None:
    html = (
        "<html><head><title>自治区召开科技创新大会_某某网</title></head><body>"
        "<div>自治区召开科技创新大会</div><h2>会议部署全年重点工作</h2>"
        "<div>时间:2024-03-08 来源:甲报</div>"
        f"<div><p>{PROSE}</p><p>{PROSE}再述。</p></div></body></html>"
    )
    assert page_metadata(html, "html").title == "自治区召开科技创新大会"


def test_site_from_a_copyright_line_spaced_after_its_cue_and_a_traditional_brand() -> None:
    footer = "版权所有 甲乙研究院附属医院 Copyright © 2018"
    page = f"标题在此处\n2024-01-02 来源:某报\n{PROSE}\n{footer}"
    assert page_metadata(page).site == "甲乙研究院附属医院"
    page = f"甲乙網首頁\n标题在此处\n2024-01-02 来源:某报\n{PROSE}\nCopyright © 2024 甲乙新媒體"
    assert page_metadata(page).site == "甲乙網"


def test_a_credit_with_a_slash_names_no_portal_of_its_own() -> None:
    meta = page_metadata(f"标题在此处\n来源/某某社 2024-03-05\n{PROSE}")
    assert (meta.sources, meta.site) == (("某某社",), "某某社")
