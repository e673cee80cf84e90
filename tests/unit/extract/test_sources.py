"""sources: what a credit cue names, in the shapes text dumps and old portals print."""

from __future__ import annotations

import pytest

from indexer.extract.sources import parse_sources, uncued_outlet
from tests.unit.extract.pages import PROSE, page_metadata


@pytest.mark.parametrize(
    ("line", "sources"),
    [
        # a table layout's next column, past the dump's column gap, is not credited
        (
            "新华网河北频道 ( 2012-06-04 09:20:26 )    稿件来源：河北日报    河北：快乐备考",
            ("河北日报",),
        ),
        ("来源：甲日报   乙网 热点", ("甲日报",)),
        ("来源：甲日报 乙网", ("甲日报", "乙网")),  # one space still separates outlets
        # who gathered the text is not who wrote it
        ("来源：新浪科技 酷勤网收集 2009-11-01", ("新浪科技",)),
        ("来源：甲日报 张三整理", ("甲日报",)),
    ],
)
def test_parse_sources(line: str, sources: tuple[str, ...]) -> None:
    assert parse_sources(line) == sources


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("来源:内蒙古日报 发布日期:2023-12-05 22:45", ("内蒙古日报",)),
        ("2022-09-29 09:03:12 来源:内蒙古自治区科学技术厅网站", ("内蒙古自治区科学技术厅网站",)),
        ("來源:高新院 achie.org 日期:2023-01-18", ("高新院",)),
        (
            "(摘编自:青城融媒、包头日报、鄂尔多斯日报)",
            ("青城融媒", "包头日报", "鄂尔多斯日报"),
        ),
        ("稿源:巴彦淖尔日报 编辑:陈静", ("巴彦淖尔日报",)),
        ("转自 新华社,人民日报", ("新华社", "人民日报")),
        ("来源: 呼和浩特日报 记者:赵亮", ("呼和浩特日报",)),
        ("信息来源:http://www.nmg.gov.cn", ()),
        ("来源:内蒙古日报(记者 张三)", ("内蒙古日报",)),
        ("发布时间:2024-01-01", ()),
        (
            "来源: 内蒙古日报 转自: 内蒙古自治区科学技术厅官网",
            ("内蒙古日报", "内蒙古自治区科学技术厅官网"),
        ),
        ("来源:新华社 稿源:新华社", ("新华社",)),
    ],
)
def test_parse_sources_of_bylines_and_credit_lines(text: str, sources: tuple[str, ...]) -> None:
    assert parse_sources(text) == sources


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("2019-09-26 10:56:28 证券时报网", "证券时报网"),
        ("中国网 2019-11-25 10:37:31", "中国网"),
        ("原创：39健康网2024-04-23 12:27:25", "39健康网"),
        ("TNW中文站2016年10月14日07:17", "TNW中文站"),
        ("张三 2024-01-02", None),  # a person, not an outlet
        ("2024-01-02 阅读 35", None),
        ("2024-01-02", None),
    ],
)
def test_outlet_named_on_a_byline_without_a_cue(line: str, outlet: str | None) -> None:
    assert uncued_outlet(line) == outlet


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("2020-02-29 18:34:31　来源: 新华社举报", ("新华社",)),
        ("来源：光明网-《光明日报》2024-05-20 03:15", ("光明网-《光明日报》",)),
        ("2009年11月09日00:00  来源：人民网-《人民日报》", ("人民网-《人民日报》",)),
        ("来源：东方网选稿：曾炟", ("东方网",)),
        ("来源： [64c77908a3] 中国日报网", ("中国日报网",)),
        ("本文来源于国家统计局　2024-05-11 09:36:26", ("国家统计局",)),
        ("来源于：东区办事处", ("东区办事处",)),
    ],
)
def test_credited_names_are_cut_clean(text: str, names: tuple[str, ...]) -> None:
    assert parse_sources(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("图片来源：视觉中国", ()),
        ("来源：人民网 原创稿", ("人民网",)),
        ("来源：本站原创", ("本站原创",)),
        ("来源：原创", ("原创",)),  # alone, the label is all the page says
        ("来源：网络", ()),  # found on the web: names nobody
        ("信息来源于网络", ()),
        ("来源：不详", ()),
        ("来源：网络日报", ("网络日报",)),  # an outlet whose name starts so is one
    ],
)
def test_photo_credits_and_credit_labels_are_not_outlets(text: str, names: tuple) -> None:
    assert parse_sources(text) == names


@pytest.mark.parametrize(
    ("line", "sources"),
    [
        ("2024-03-05 供稿：经济管理学院", ("经济管理学院",)),
        ("供稿单位：经济管理学院 发布时间：2024-03-05", ("经济管理学院",)),
        ("发布机构：市应急管理局 发布日期：2024-03-05", ("市应急管理局",)),
        ("来源单位：市应急管理局 发布日期：2024-03-05", ("市应急管理局",)),
        ("2024-03-05 信息提供：市应急管理局", ("市应急管理局",)),
        ("信息提供单位：市应急管理局 发布日期：2024-03-05", ("市应急管理局",)),
        ("撰稿单位：市应急管理局", ("市应急管理局",)),
        ("出处：市应急管理局 时间：2024-03-05", ("市应急管理局",)),
        ("2008年05月12日 来自：市应急管理局", ("市应急管理局",)),
        ("来源/新华社 2024-03-05", ("新华社",)),  # a slash for the colon
        ("信息来源：市应急管理局 信息提供日期：2024-03-05", ("市应急管理局",)),  # any date label
        ("来源：某某商报时间：2019-09-23 14:34:05", ("某某商报",)),  # glued: the bare label
        (
            "[ 作者：张三 | 转贴自：市应急管理局 | 点击数：123 | 更新时间：2008-5-12 ]",
            ("市应急管理局",),
        ),
        # a table layout's cells: the label, a space, the value
        ("发布日期 2024-03-05 来源 市应急管理局", ("市应急管理局",)),
        ("数据来源 2024", ()),  # no outlet after the label
    ],
)
def test_the_other_labels_a_credit_goes_by(line: str, sources: tuple[str, ...]) -> None:
    assert parse_sources(line) == sources


TITLE = "某市召开安全生产工作会议部署下一阶段重点"


def test_a_credit_whose_value_stands_on_the_next_line() -> None:
    page = f"{TITLE}\n发布时间：2024-03-05 10:20 来源：\n市应急管理局\n{PROSE}\n{PROSE}"
    assert page_metadata(page).sources == ("市应急管理局",)


@pytest.mark.parametrize(
    ("opening", "sources"),
    [
        ("新华社北京3月5日电 ", ("新华社",)),
        ("新华社北京3月5日电（记者张三）", ("新华社",)),
        ("中新网3月5日电 ", ("中新网",)),
        ("本报北京3月5日电 ", ()),  # "本报" names no outlet
        ("3月5日电 ", ()),
    ],
)
def test_an_agency_dateline_opening_the_body_credits_the_agency(opening: str, sources) -> None:
    page = f"{TITLE}\n2024-03-05 10:20\n{opening}{PROSE}\n{PROSE}"
    assert page_metadata(page).sources == sources


def test_a_credit_cue_outranks_the_agency_dateline() -> None:
    page = f"{TITLE}\n2024-03-05 10:20 来源：人民网\n新华社北京3月5日电 {PROSE}\n{PROSE}"
    assert page_metadata(page).sources == ("人民网",)
