"""regions: the gazetteer's counts, the ambiguity rules, and the labelled P/R floor."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.regions import assign, canonical, gazetteer, mentions
from indexer.normalize import fold
from tests.eval.regions import counts, evaluate

DATA = json.loads(
    resources.files("indexer.extract").joinpath("data/regions.json").read_text("utf-8")
)

# Per league, the number of county-level divisions in the 2023 code list.
COUNTIES = {
    "呼和浩特市": 9,
    "包头市": 9,
    "乌海市": 3,
    "赤峰市": 12,
    "通辽市": 8,
    "鄂尔多斯市": 9,
    "呼伦贝尔市": 14,
    "巴彦淖尔市": 7,
    "乌兰察布市": 11,
    "兴安盟": 6,
    "锡林郭勒盟": 12,
    "阿拉善盟": 3,
}


def test_gazetteer_holds_the_twelve_leagues_and_their_103_counties() -> None:
    leagues = DATA["leagues"]
    assert {lg["name"]: len(lg["counties"]) for lg in leagues} == COUNTIES
    assert sum(COUNTIES.values()) == 103
    kinds = Counter(c["kind"] for lg in leagues for c in lg["counties"])
    assert kinds == {"市辖区": 23, "县级市": 11, "县": 17, "旗": 49, "自治旗": 3}
    assert Counter(lg["kind"] for lg in leagues) == {"地级市": 9, "盟": 3}


def test_codes_are_unique_and_counties_sit_under_their_league() -> None:
    codes = [lg["code"] for lg in DATA["leagues"]]
    codes += [c["code"] for lg in DATA["leagues"] for c in lg["counties"]]
    assert len(codes) == len(set(codes)) == 115
    for league in DATA["leagues"]:
        for county in league["counties"]:
            assert county["code"][:4] == league["code"][:4], county


def test_the_data_cites_its_source() -> None:
    assert "民政部" in DATA["source"] and "2023" in DATA["source"]


def test_every_name_of_areas_and_groups_names_a_known_league() -> None:
    known = {lg["code"] for lg in DATA["leagues"]}
    assert all(a["league"] in known for a in DATA["areas"])
    assert all(set(g["leagues"]) <= known for g in DATA["groups"])


@pytest.mark.parametrize(
    ("title", "body", "want"),
    [
        # Named in the title, or in the lead; traditional script folds.
        ("包头市建成稀土新材料中试基地", "基地日前建成投用。", ("包头市",)),
        ("鄂爾多斯市啟動科技副總選聘", "近日啟動。", ("鄂尔多斯市",)),
        ("", "近日,赤峰市印发若干措施。", ("赤峰市",)),
        # A county names its league, once is enough; the longest name wins.
        ("", "会议指出。\n全球单厂规模最大的烯烃项目在乌审旗投产。", ("鄂尔多斯市",)),
        ("", "阿拉善左旗依托肉苁蓉资源优势开展攻关。", ("阿拉善盟",)),
        ("", "乌海湖畔建成科技馆。", ("乌海市",)),
        # A passing mention deep in the body is not the subject; two mentions are.
        ("", "会议召开。\n经验已在呼和浩特等地推广。", ()),
        ("", "会议召开。\n经验在呼和浩特推广。\n呼和浩特将继续推进。", ("呼和浩特市",)),
        # A paragraph that opens with the league is about it.
        ("", "会议召开。\n通辽市将大力实施科技突围工程。", ("通辽市",)),
        # Compound names: in the title each city counts, once in the lead they do not.
        (
            "呼包鄂乌一体化发展中的科技力量",
            "今年以来。",
            ("呼和浩特市", "包头市", "鄂尔多斯市", "乌兰察布市"),
        ),
        ("", "支持以稀土高新区为核心区引领建设呼包鄂国家自主创新示范区。", ("包头市",)),
    ],
)
def test_assign(title: str, body: str, want: tuple[str, ...]) -> None:
    assert assign(title, body) == want


@pytest.mark.parametrize(
    "body",
    [
        "菜市场里的包头鱼卖得很好。",  # a fish
        "她戴着一条包头巾。",  # a headscarf
        "鄂尔多斯盆地的天然气储量丰富。",  # the basin spans five provinces
        "推动乡村振兴和发展新型农业。",  # 兴和 inside 振兴和发展; only 兴和县 is the county
        "记者王赤峰说,今年的项目进展顺利。",  # a person's name
        "李通辽同志主持会议。",
        "张乌海表示将继续努力。",
        "阿盟秘书长会见中方代表。",  # the Arab League
        "武汉市青山区举办科技活动周。",  # Wuhan's 青山区
        "海南区域协调发展取得新进展。",  # 海南 + 区域
        "新华社呼和浩特6月17日电 记者从自治区科技厅获悉,全区技术合同成交额增长。",
        "人民网呼和浩特3月5日电(记者张丽)自治区组织实施重大科技项目。",
        "各盟市科技局,满洲里市、二连浩特市科技局,各有关单位:",  # a notice's addressees
        "巴林与中国签署科技合作协议。",  # Bahrain; only 巴林左旗/巴林右旗 are banners
        "多伦多大学代表团来访。",
    ],
)
def test_names_that_are_not_the_place_do_not_count(body: str) -> None:
    assert assign("", body) == ()


def test_a_place_name_not_after_a_surname_still_counts() -> None:
    assert assign("", "他在赤峰说,项目进展顺利。") == ("赤峰市",)


def test_weak_names_count_once_the_league_is_named_strongly() -> None:
    assert assign("", "呼市科技局召开会议。") == ()
    assert assign("呼和浩特市科技创新大会召开", "呼市科技局召开会议。") == ("呼和浩特市",)
    assert assign("", "包头市青山区建成孵化器。") == ("包头市",)
    assert assign("", "阿拉善盟与阿盟各旗开展培训。") == ("阿拉善盟",)


@pytest.mark.parametrize(
    "body",
    [
        # An enumeration of cities across the country: the league is one item of a list.
        "当时城区人口过百万的北方城市有鞍山、唐山、包头、淄博等。",
        "项目覆盖太原、赤峰、大同三地。",
    ],
)
def test_a_league_listed_among_other_places_is_a_passing_mention(body: str) -> None:
    assert assign("", body) == ()


def test_a_listed_league_still_counts_for_its_title_or_a_second_mention() -> None:
    assert assign("包头市稀土产业再上台阶", "北方城市有鞍山、包头、淄博等。") == ("包头市",)
    body = "北方城市有鞍山、包头、淄博等。\n包头市将继续推进稀土产业。"
    assert assign("", body) == ("包头市",)


def test_a_name_that_only_begins_an_item_is_not_a_list_of_places() -> None:
    # 通辽 qualifies the first item of a list of industries, not a list of places.
    assert assign("", "对通辽云计算、蓝宝石、多晶硅等企业来说都很熟悉。") == ("通辽市",)


def test_a_weak_name_right_after_the_regions_own_name_counts() -> None:
    assert assign("", "内蒙古东胜外环的煤矿全部停产。") == ("鄂尔多斯市",)
    assert assign("", "东胜集团发布年报。") == ()  # 东胜 alone is also a company's name
    assert assign("", "内蒙古青山区建成孵化器。") == ("包头市",)
    assert assign("", "鄂尔多斯市东胜区建成孵化器。") == ("鄂尔多斯市",)


def test_mentions_report_offsets_in_the_folded_text() -> None:
    text = fold("在包頭市和錫林郭勒盟")
    found = [(m.name.text, m.start) for m in mentions(text)]
    assert found == [("包头市", 1), ("锡林郭勒盟", 5)]


_S2T = opencc.OpenCC("s2t")
_NAMES = sorted(n.text for n in gazetteer().names.values() if n.level != "not_place" and not n.weak)
_FILLER = ["近日,", "召开会议。", "推进科技创新", "\n", "企业", "项目建设"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_NAMES + _FILLER), max_size=12), st.sampled_from(_NAMES))
def test_traditional_spellings_fold_to_the_same_regions(parts: list[str], name: str) -> None:
    simplified = "".join(parts)
    traditional = "".join(_S2T.convert(p) for p in parts)
    assert assign(name, traditional) == assign(_S2T.convert(name), simplified)
    assert set(assign(name, simplified)) <= set(gazetteer().leagues.values())


def test_labelled_passages_hold_precision_and_recall() -> None:
    """Floors for the rule on regions_labels.json (python -m tests.eval.regions prints them)."""
    assert counts() == {"paragraphs": 53, "articles": 47}
    scores = evaluate()
    paragraphs, articles = scores["paragraphs"], scores["articles"]
    assert paragraphs.precision >= 0.95 and paragraphs.recall >= 0.9, paragraphs.misses
    assert articles.precision >= 0.95 and articles.recall >= 0.95, articles.misses


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("包头", "包头市"),
        ("包頭市", "包头市"),
        ("锡盟", "锡林郭勒盟"),
        ("呼市", "呼市"),
        ("某地", "某地"),
    ],
)
def test_a_typed_region_filter_finds_the_official_name(typed: str, stored: str) -> None:
    """Weak names stay as typed: 呼市 alone is not trusted to mean the city."""
    assert canonical(typed) == stored
