"""Where an article is: the Inner Mongolian leagues and cities it is about (`regions`).

A per-article fact computed after extraction, from the title and body alone, and stored
for the `region` facet. The names are data (data/regions.json: the 12 league-level and 103
county-level divisions of the Ministry of Civil Affairs' 2023 code list, with the short
forms people write); this module holds only the rule.

Finding names. Title and body are folded first (normalize.fold), so 鄂爾多斯 is 鄂尔多斯.
One alternation of every name, longest first, scans the text left to right: at each place
the longest name wins, so 阿拉善左旗 is the banner and not 阿拉善 plus 左旗, and a longer
word that only contains a name (包头鱼, 鄂尔多斯盆地, 海南区域: `not_places`) is consumed
whole and names nothing. County short forms that occur inside ordinary words are not in the
data (兴和 in 振兴和发展: only 兴和县 is). A two-character short form with a surname before
it and a person's cue after it (王赤峰说, 李通辽同志) is a person, not the city. A dateline
(新华社呼和浩特6月17日电) says where a report was filed, and a notice's salutation
(各盟市科技局，满洲里市科技局：) whom it is sent to: neither counts. A weak name (呼市;
阿盟, also the Arab League; 青山区, which Wuhan has too; 东胜, also a given name) counts only
where the article also names that league by a name that is not weak, or right after the
region's own name (内蒙古东胜外环的煤矿).

Deciding what the article is about (`Rule`; each part measured on the labelled passages in
tests/eval/regions_labels.json by `python -m tests.eval.regions`): a league counts when
  - it is named in the title, or
  - it is named in the lead (the first paragraph: news names its place there), or
  - one of its counties or areas is named anywhere (a county is named where the story
    happens, not in passing), or
  - a paragraph opens with it (通辽市将……: the paragraph's subject), or
  - it is named at least twice in the body.
A league named once inside a long body (经验已在呼和浩特等地推广) is a passing mention, and
a compound name (呼包鄂) in the lead names an initiative rather than each city, so it needs
the title or a second mention. So does a league named as an item of a list of places
(鞍山、唐山、包头、淄博等北方城市) in the lead or at a paragraph's opening: an enumeration,
not the subject (on held-out passages, lists were the rule's main false positive).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from indexer.normalize import fold

__all__ = [
    "RULE",
    "Gazetteer",
    "Mention",
    "Rule",
    "assign",
    "canonical",
    "gazetteer",
    "mentions",
]

LEAGUE, COUNTY, GROUP, NOT_PLACE = "league", "county", "group", "not_place"
BODY_REPEATS = 2  # body mentions that make a league the subject without title, lead or county

# A person's name is a surname and one or two characters; only a two-character short form
# (包头, 赤峰, 通辽) can be a given name. The cue after it must say a person acts.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷"
    "詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛"
    "靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费"
    "卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘"
    "池查麻苑迟邝"
)
PERSON_CUES = (
    "同志", "先生", "女士", "教授", "博士", "老师", "说", "表示", "介绍", "指出", "认为",
    "告诉", "称", "摄", "等人",
)  # fmt: skip
# A dateline: the place, the day, then 电 (电 alone could start 电力, so only before a
# bracket, a space or 记者).
DATELINE = re.compile(r"\s*(?:\d{1,2}月)?\d{1,2}日\s*电|电(?=[\s(（]|记者)")
# A list of places: whole items separated by 、, within one clause.
LIST_SEPARATOR = "、"
LIST_ITEMS = 3
CLAUSE_END = re.compile(r"[，,。；;：:！？!?\n]")
# The region's own name before a weak name says which place it is (内蒙古东胜, 内蒙古青山区).
REGION_NAMES = ("内蒙古", "内蒙古自治区")
# A notice's salutation: 各… up to the colon that closes it, as the whole paragraph.
SALUTATION = re.compile(r"各[^。；;\n]{0,120}[:：]$")


@dataclass(frozen=True)
class Name:
    """One name in the gazetteer: what it names and how much it can be trusted."""

    text: str  # folded
    leagues: tuple[str, ...]  # league codes it names (several for 呼包鄂)
    level: str  # LEAGUE, COUNTY (a county or an area), GROUP or NOT_PLACE
    weak: bool = False


@dataclass(frozen=True)
class Mention:
    name: Name
    start: int  # offset in the folded text
    listed: bool = False  # an item of a list of places (…、包头、淄博等): see `Rule.listed`
    anchored: bool = False  # right after the region's own name (内蒙古东胜): never weak


@dataclass(frozen=True)
class Gazetteer:
    leagues: dict[str, str]  # code -> official name, in code order
    names: dict[str, Name]  # folded text -> Name
    pattern: re.Pattern[str]

    @classmethod
    def from_data(cls, data: dict) -> Gazetteer:
        leagues: dict[str, str] = {}
        names: dict[str, Name] = {}

        def add(text: str, codes: tuple[str, ...], level: str, weak: bool = False) -> None:
            key = fold(text)
            if key in names and names[key].leagues != codes:
                raise ValueError(f"regions data: {text} names two different places")
            names[key] = Name(key, codes, level, weak)

        for league in data["leagues"]:
            code = (league["code"],)
            leagues[league["code"]] = league["name"]
            for text in [league["name"], *league["short"]]:
                add(text, code, LEAGUE)
            for text in league["weak"]:
                add(text, code, LEAGUE, weak=True)
            for county in league["counties"]:
                for text in [county["name"], *county["short"]]:
                    add(text, code, COUNTY, weak=county.get("weak", False))
                for text in county.get("weak_short", []):
                    add(text, code, COUNTY, weak=True)
        for area in data["areas"]:
            add(area["name"], (area["league"],), COUNTY)
        for group in data["groups"]:
            add(group["name"], tuple(group["leagues"]), GROUP)
        for text in data["not_places"]:
            add(text, (), NOT_PLACE)
        # Longest first: Python's alternation takes the first alternative that matches.
        ordered = sorted(names, key=lambda t: (-len(t), t))
        pattern = re.compile("|".join(map(re.escape, ordered)))
        return cls(dict(sorted(leagues.items())), names, pattern)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process."""
    text = resources.files("indexer.extract").joinpath("data/regions.json").read_text("utf-8")
    return Gazetteer.from_data(json.loads(text))


def _is_dateline(folded: str, end: int) -> bool:
    """新华社呼和浩特6月17日电: where a report was filed from, not what it is about."""
    return DATELINE.match(folded, end) is not None


def _is_person(folded: str, start: int, end: int) -> bool:
    """王赤峰说: a two-character name between a surname and a person's cue."""
    if end - start != 2 or start == 0 or folded[start - 1] not in SURNAMES:
        return False
    return folded.startswith(PERSON_CUES, end)


def _is_listed(folded: str, start: int, end: int) -> bool:
    """鞍山、抚顺、唐山、包头、淄博等: the name opens or closes an item (a 、 right before
    or after it) of a list of LIST_ITEMS or more items within one clause: an enumeration
    rather than what the passage is about. A name that only begins an item without
    closing it (通辽云计算、蓝宝石) qualifies something else and is not listed."""
    if not (start and folded[start - 1] == LIST_SEPARATOR) and not folded.startswith(
        LIST_SEPARATOR, end
    ):
        return False
    lo = start
    while lo and not CLAUSE_END.match(folded, lo - 1):
        lo -= 1
    hi = end
    while hi < len(folded) and not CLAUSE_END.match(folded, hi):
        hi += 1
    return folded.count(LIST_SEPARATOR, lo, hi) + 1 >= LIST_ITEMS


def mentions(folded: str, gaz: Gazetteer | None = None) -> list[Mention]:
    """Every place named in already folded text, in order; not-places and people dropped.

    One left-to-right scan of one alternation: linear in the text times the longest name.
    """
    gaz = gaz or gazetteer()
    found: list[Mention] = []
    for m in gaz.pattern.finditer(folded):
        name = gaz.names[m.group()]
        if (
            name.level == NOT_PLACE
            or _is_person(folded, m.start(), m.end())
            or _is_dateline(folded, m.end())
        ):
            continue
        found.append(
            Mention(
                name,
                m.start(),
                listed=_is_listed(folded, m.start(), m.end()),
                anchored=folded.endswith(REGION_NAMES, 0, m.start()),
            )
        )
    return found


def _strong_leagues(groups: list[list[Mention]]) -> set[str]:
    return {
        code
        for found in groups
        for m in found
        if m.anchored or not m.name.weak
        for code in m.name.leagues
    }


@dataclass(frozen=True)
class Rule:
    """Which mentions make an article about a league (the module docstring says why).

    The fields exist so tests/eval/regions.py can measure each part of the rule against
    the labelled passages; the index always uses RULE.
    """

    title: bool = True  # any mention in the title
    lead: bool = True  # a league or county named in the first paragraph
    group_in_lead: bool = False  # 呼包鄂 in the lead names each city (else it needs repeats)
    county: bool = True  # a county or area named anywhere
    opening: bool = True  # a league named as the first words of any paragraph
    repeats: int = BODY_REPEATS  # this many body mentions of one league (0: never)
    listed: bool = True  # a league named as a list item makes no lead or opening count


RULE = Rule()


def _paragraphs(body: str) -> list[str]:
    """Body paragraphs, without a notice's salutation (各盟市科技局，满洲里市科技局：):
    the offices a notice is sent to are its readers, not what it is about."""
    return [p for p in body.split("\n") if not SALUTATION.match(p.strip())]


def assign(
    title: str, body: str, gaz: Gazetteer | None = None, rule: Rule = RULE
) -> tuple[str, ...]:
    """The official names of the leagues an article is about, in code order (module doc)."""
    gaz = gaz or gazetteer()
    paragraphs = _paragraphs(body) or [""]
    in_title = mentions(fold(title), gaz)
    in_lead = mentions(fold(paragraphs[0]), gaz)
    rest = fold("\n".join(paragraphs[1:]))
    in_rest = mentions(rest, gaz)
    strong = _strong_leagues([in_title, in_lead, in_rest])

    def kept(found: list[Mention]) -> list[Mention]:
        return [m for m in found if m.anchored or not m.name.weak or set(m.name.leagues) <= strong]

    def subject(m: Mention) -> bool:  # a lead or opening mention that names a subject
        return m.name.level != GROUP and not (rule.listed and m.listed and m.name.level == LEAGUE)

    in_title, in_lead, in_rest = kept(in_title), kept(in_lead), kept(in_rest)
    chosen: set[str] = set()
    if rule.title:
        chosen |= {code for m in in_title for code in m.name.leagues}
    if rule.lead:
        chosen |= {
            code
            for m in in_lead
            if subject(m) or (rule.group_in_lead and m.name.level == GROUP)
            for code in m.name.leagues
        }
    if rule.county:
        chosen |= {
            code for m in in_lead + in_rest if m.name.level == COUNTY for code in m.name.leagues
        }
    if rule.opening:
        chosen |= {
            code
            for m in in_rest
            if subject(m) and (m.start == 0 or rest[m.start - 1] == "\n")
            for code in m.name.leagues
        }
    if rule.repeats:
        repeats = Counter(code for m in in_lead + in_rest for code in m.name.leagues)
        chosen |= {code for code, n in repeats.items() if n >= rule.repeats}
    return tuple(gaz.leagues[code] for code in gaz.leagues if code in chosen)


def canonical(value: str, gaz: Gazetteer | None = None) -> str:
    """A league as someone types it (a filter parameter) in the form the index stores:
    包头, 包頭市 and 包头市 are 包头市; anything else is left as it is."""
    gaz = gaz or gazetteer()
    name = gaz.names.get(fold(value.strip()))
    if name is None or name.level != LEAGUE or name.weak:
        return value
    return gaz.leagues[name.leagues[0]]
