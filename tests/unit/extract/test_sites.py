"""sites: the serving portal's name from a copyright line a dump glues, and from a byline."""

from __future__ import annotations

import pytest

from indexer.extract.body import layout, select_body
from indexer.extract.metadata import extract
from indexer.extract.sites import clean_site
from indexer.models import RawPage

PROSE = "今年以来,自治区科技厅积极指导各盟市落实一体化发展规划,成效明显。"


def _meta(text: str):
    page = layout(RawPage(path="p.txt", text=text, kind="text", encoding="utf-8", file_hash=""))
    return extract(page, select_body(page))


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
    assert _meta(page).site == "某某大盘"


@pytest.mark.parametrize(
    ("byline", "site", "sources"),
    [
        ("甲网乙频道 ( 2012-06-04 09:20:26 )    稿件来源：丙日报", "甲网乙频道", ("丙日报",)),
        ("来源：丙日报 甲网收集 2009-11-01", "甲网", ("丙日报",)),
        ("来源：丙日报 2009-11-01", "丙日报", ("丙日报",)),  # nothing else names a portal
    ],
)
def test_the_portal_a_byline_names_as_its_own(byline: str, site: str, sources) -> None:
    meta = _meta(f"某地出台科技创新若干措施\n\n{byline}\n\n{PROSE}\n{PROSE}")
    assert (meta.site, meta.sources) == (site, sources)


def test_a_lead_in_over_more_text_is_not_an_account_name() -> None:
    """A column heading under the byline with more text before the body is the text's own."""
    page = (
        f"某地出台科技创新若干措施\n\n2019年9月26日 15:10 来源：甲网\n\n收盘播报\n\n"
        f"【甲网】三大股指集体回调 银行股逆市走强\n\n{PROSE}\n{PROSE}"
    )
    assert _meta(page).site != "收盘播报"


def test_an_account_name_right_over_the_body_is_the_site() -> None:
    page = f"某地出台科技创新若干措施\n\n作者: 2024/01/25 10:20 0收藏\n创新某地\n{PROSE}\n{PROSE}"
    assert _meta(page).site == "创新某地"
