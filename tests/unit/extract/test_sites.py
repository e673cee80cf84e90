"""sites: the serving portal's name from a copyright line a dump glues, and from a byline."""

from __future__ import annotations

import pytest

from indexer.extract.sites import clean_site, portal_of
from tests.unit.extract.pages import PROSE, page_metadata


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("明日大盘京ICP备16058363号-1", "明日大盘"),
        ("某某网粤ICP证030173号", "某某网"),
        ("某某网京公网安备11000002000001号", "某某网"),
        ("京ICP备16058363号-1", None),
    ],
)
def test_a_licence_number_glued_on_is_not_part_of_the_name(name: str, clean: str | None) -> None:
    assert clean_site(name) == clean


def test_a_copyright_line_with_a_glued_licence_names_the_site() -> None:
    page = (
        f"某地出台科技创新若干措施\n\n发布时间：2019-09-26 10:09:11\n\n{PROSE}\n{PROSE}\n\n"
        "© 2010 - 2016 某某大盘京ICP备16058363号-1"
    )
    assert page_metadata(page).site == "某某大盘"


@pytest.mark.parametrize(
    ("byline", "site", "sources"),
    [
        ("甲网乙频道 ( 2012-06-04 09:20:26 )    稿件来源：丙日报", "甲网乙频道", ("丙日报",)),
        ("来源：丙日报 甲网收集 2009-11-01", "甲网", ("丙日报",)),
        ("来源：丙日报 2009-11-01", "丙日报", ("丙日报",)),  # nothing else names a portal
    ],
)
def test_the_portal_a_byline_names_as_its_own(byline: str, site: str, sources) -> None:
    meta = page_metadata(f"某地出台科技创新若干措施\n\n{byline}\n\n{PROSE}\n{PROSE}")
    assert (meta.site, meta.sources) == (site, sources)


def test_a_lead_in_over_more_text_is_not_an_account_name() -> None:
    """A column heading under the byline with more text before the body is the text's own."""
    page = (
        f"某地出台科技创新若干措施\n\n2019年9月26日 15:10 来源：甲网\n\n收盘播报\n\n"
        f"【甲网】三大股指集体回调 银行股逆市走强\n\n{PROSE}\n{PROSE}"
    )
    assert page_metadata(page).site != "收盘播报"


def test_an_account_name_right_over_the_body_is_the_site() -> None:
    page = f"某地出台科技创新若干措施\n\n作者: 2024/01/25 10:20 0收藏\n创新某地\n{PROSE}\n{PROSE}"
    assert page_metadata(page).site == "创新某地"


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("中宏网", "中宏网"),
        ("京ICP备2023030128号-1", None),
        ("www.example.com", None),
        ("2016-2025", None),
        ("©", None),
        ("甲", None),
        ("(内蒙古日报社)", "内蒙古日报"),
        ("国内新闻", None),  # a channel named by its beat, not a portal
        ("财经频道", None),
        ("國內新聞", None),  # the same, in traditional script
        ("澎湃新闻", "澎湃新闻"),
        ("科技日报", "科技日报"),
    ],
)
def test_clean_site(name: str, clean: str | None) -> None:
    assert clean_site(name) == clean


@pytest.mark.parametrize(
    ("name", "portal"),
    [
        ("包头市人民政府办公室", "包头市人民政府"),
        ("兴安盟行政公署办公室", "兴安盟行政公署"),
        ("内蒙古自治区人民政府办公厅", "内蒙古自治区人民政府"),
        ("内蒙古自治区科学技术厅", "内蒙古自治区科学技术厅"),
        ("某某公司办公室", "某某公司办公室"),
    ],
)
def test_portal_of_office(name: str, portal: str) -> None:
    assert portal_of(name) == portal


@pytest.mark.parametrize(
    ("name", "site"),
    [
        ("网易公司", "网易"),
        ("新华网股份有限公司", "新华网"),
        ("财经网 - CAIJING.COM.CN", "财经网"),
        ("某某新闻-The Paper", "某某新闻"),  # the English name after the Chinese one
        ("某某日报 China Daily", "某某日报"),
        ("IT之家", "IT之家"),  # Latin letters first are the name itself
        ("快科技(某某旗下媒体)--科技改变未来", "快科技"),  # a note in brackets, a slogan
        ("某某网（某某日报社主办）", "某某网"),
        ("某某网（www.example.cn）", "某某网"),
        ("Logo - -某某网", "某某网"),  # a separator is no part of a name ("-某某网")
        ("办公室", None),  # an office inside the publisher, credited by its bare name
        ("科技处", None),
        ("党政办公室", None),
        ("东区办事处", "东区办事处"),  # a named office is a publisher of its own
        ("经济观察网 － 专业财经新闻网站", "经济观察网"),
        ("中国·浙江省发展和改革委员会", "浙江省发展和改革委员会"),
        ("本网站由南方新闻网", "南方新闻网"),
        ("中国载人航天工程官方网站主办方", "中国载人航天工程官方网站"),
        ("半月谈杂志社", "半月谈"),
        ("中国互联网新闻中心Copyright", "中国互联网新闻中心"),
        ("某某经济新闻报社", "某某经济新闻"),  # a paper named …新闻 is published by …新闻报社
        ("鳳凰新媒體", "鳳凰"),
        ("[logo01]人民网", "人民网"),
        ("复制必究", None),
        ("未经授权请勿转载", None),
        ("本站原创", None),
        ("cjn.cn", None),
    ],
)
def test_site_names_lose_company_forms_slogans_and_affixes(name: str, site: str | None) -> None:
    assert clean_site(name) == site


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("北京晨星科技有限公司", "北京晨星科技"),  # only a company: the brand before its legal form
        ("新华网股份有限公司", "新华网"),
        ("网易公司", "网易"),
        ("千龙网络有限公司", "千龙网"),  # a web company runs the site its brand names
        ("北京某某广告有限公司深圳分公司", "北京某某广告"),  # a branch office's credit
        ("某某网股份有限公司上海分公司", "某某网"),
    ],
)
def test_a_company_name_keeps_its_brand(name: str, clean: str) -> None:
    assert clean_site(name) == clean


@pytest.mark.parametrize(
    ("footer", "site"),
    [
        ("Copyright © 2005-2024 北京晨星科技有限公司 版权所有", "北京晨星科技"),
        ("Copyright © 2011-2024 TechNode All Rights Reserved.", "TechNode"),
        ("© 2024 ZAKER", "ZAKER"),
        ("Copyright © 2000 - 2024 EXAMPLE.COM All Rights Reserved", "市应急局"),  # a domain
    ],
)
def test_a_copyright_line_naming_only_a_company_or_a_latin_brand(footer: str, site: str) -> None:
    byline = "2024-03-05 10:20 来源：市应急局"
    page = f"某市召开安全生产工作会议部署下一阶段重点\n{byline}\n{PROSE}\n{PROSE}\n{footer}"
    assert page_metadata(page).site == site


def test_a_latin_title_suffix_names_the_site_when_nothing_else_does() -> None:
    html = (
        "<html><head><title>某市召开安全生产工作会议部署下一阶段重点 - ZAKER</title></head><body>"
        "<h1>某市召开安全生产工作会议部署下一阶段重点</h1><p>2024-03-05 10:20 来源：市应急局</p>"
        f"<p>{PROSE}</p><p>{PROSE}</p></body></html>"
    )
    meta = page_metadata(html, kind="html")
    assert (meta.site, meta.title) == ("ZAKER", "某市召开安全生产工作会议部署下一阶段重点")


def test_a_chinese_name_outranks_a_latin_one() -> None:
    page = (
        f"某市召开安全生产工作会议部署下一阶段重点\n2024-03-05 10:20\n{PROSE}\n{PROSE}\n"
        "版权所有：某某日报社 Copyright © 2024 MOUBAO All Rights Reserved"
    )
    assert page_metadata(page).site == "某某日报"


@pytest.mark.parametrize(
    ("title_tag", "site"),
    [
        ("某某市科学技术局", "某某市科学技术局"),  # an old portal's <title>: its name alone
        ("某某网", "某某网"),
        ("某市召开安全生产工作会议", "市应急局"),  # the headline: the credit names the site
        ("某市召开科技创新大会", "市应急局"),  # a meeting's name is no site's
    ],
)
def test_a_title_tag_of_the_sites_name_alone_names_the_site(title_tag: str, site: str) -> None:
    html = (
        f"<html><head><title>{title_tag}</title></head><body>"
        "<div>某市召开安全生产工作会议</div><p>2024-03-05 10:20 来源：市应急局</p>"
        f"<p>{PROSE}</p><p>{PROSE}</p></body></html>"
    )
    assert page_metadata(html, kind="html").site == site


@pytest.mark.parametrize(
    ("first", "site"),
    [
        ("某某市科学技术局", "某某市科学技术局"),
        ("某某旗人民政府", "某某旗人民政府"),
        ("某某科技信息网", "某某科技信息网"),
        # a section, a menu word or a long line is no logo
        ("新闻中心", None),
        ("工作动态", None),
        ("首页", None),
        ("某某市科学技术局关于开展科技活动周的安排", None),
    ],
)
def test_a_dumps_first_line_that_is_a_portals_name_names_the_site(
    first: str, site: str | None
) -> None:
    page = (
        f"{first}\n当前位置：首页 > 工作动态\n某市召开科技工作会议\n[2008-05-12]\n{PROSE}\n{PROSE}"
    )
    assert page_metadata(page).site == site


def test_a_footer_outranks_the_first_line() -> None:
    head = "某某科技信息网\n某市召开科技工作会议\n2008-05-12"
    page = f"{head}\n{PROSE}\n{PROSE}\n版权所有：某某市科学技术局"
    assert page_metadata(page).site == "某某市科学技术局"


def test_the_headline_on_the_first_line_is_no_site() -> None:
    page = f"某某市科学技术局\n2008-05-12\n{PROSE}\n{PROSE}"
    assert page_metadata(page).site is None
