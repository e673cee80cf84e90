"""field_patterns: the cues and shapes titles.py, sources.py and sites.py read, each held
to the examples its comment documents, apart from the finders that use them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract import field_patterns as PF
from tests.unit.extract.pages import assert_matches_only


def _group(pattern: re.Pattern[str], text: str, name: str | int = 0) -> str | None:
    m = pattern.search(text)
    return m.group(name) if m else None


def test_bounds_are_ordered() -> None:
    assert 0 < PF.MIN_INFERRED_TITLE_CHARS < PF.MAX_INFERRED_TITLE_CHARS
    assert PF.MAX_NAME_OVER_BYLINE_CHARS < PF.MIN_BELOW_TITLE_CHARS
    assert PF.MAX_ACCOUNT_CHARS <= PF.MAX_SITE_CHARS
    assert 0 < PF.HEADER_LINES < PF.TRAILING_CREDIT_LINES


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("来源:内蒙古日报", "内蒙古日报"),
        ("(摘编自:青城融媒、包头日报)", "青城融媒、包头日报)"),
        ("转自 新华社", "新华社"),
        ("來源：內蒙古日報", "內蒙古日報"),
        ("本文来源于包头日报", "包头日报"),
    ],
)
def test_source_cue_ends_where_the_credited_name_starts(line: str, rest: str) -> None:
    m = PF.SOURCE_CUE.search(line)
    assert m is not None and line[m.end() :] == rest


def test_source_cue_needs_a_cue_word() -> None:
    assert PF.SOURCE_CUE.search("内蒙古日报记者报道") is None


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("内蒙古日报 作者：张三", "内蒙古日报"),
        ("新华社 发布时间", "新华社"),
        ("包头日报", "包头日报"),
    ],
)
def test_field_label_ends_a_source_value(value: str, name: str) -> None:
    m = PF.FIELD_LABEL.search(value)
    assert (value[: m.start()] if m else value) == name


@pytest.mark.parametrize(
    ("pattern", "hits", "misses"),
    [
        (PF.COMPILER_CREDIT, ["酷勤网收集", "某某整理", "某某搜集整理"], ["整理文件的办法"]),
        (PF.TRAILING_WIDGET_WORDS, ["新华社举报", "人民网分享收藏"], ["举报电话12345"]),
        (PF.OUTLET_END, ["人民网", "内蒙古日报", "新华社", "科技局", "市政府"], ["张三", "李四光"]),
        (PF.CREDIT_LABEL_WORD, ["原创", "原创稿", "独家", "综合"], ["原创作品", "新华社"]),
        (PF.PICTURE_CREDIT, ["新华社 图片", "摄影"], ["图片新闻标题"]),
        (
            PF.DOMAIN,
            ["www.example.com", "https://news.example.cn/a/b", "example.com.cn"],
            ["新闻网"],
        ),
        (PF.SELF_REFERENCE, ["本报记者", "本网讯", "本台消息"], ["内蒙古日报记者"]),
        (PF.FILE_PLACEHOLDER, ["[xin_1930609]", "[W020190918]"], ["[图片]", "[1 2]"]),
        (PF.COLUMN_GAP, ["标题   右栏", "标题\u3000\u3000\u3000右栏"], ["两  个空格"]),
        (PF.SITE_JUNK, ["©", "(c)", "Copyright", "2000-2024", "reserved"], ["新华网"]),
        (
            PF.NOT_A_SITE,
            ["本站原创", "首页", "当前位置", "非本网站内容某某概不负责", "与本网无关"],
            ["新华网", "某某中文网", "责任田新闻网"],
        ),
        (PF.PORTAL_END, ["人民网", "包头日报", "市政府", "政务门户"], ["科技创新"]),
    ],
)
def test_shapes_match_their_examples_and_only_them(
    pattern: re.Pattern[str], hits: list[str], misses: list[str]
) -> None:
    assert_matches_only(pattern, hits, misses)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("版权所有：内蒙古新闻网", "内蒙古新闻网"),
        ("版权所有 © 2003-2024 北方新报", "北方新报"),
        ("中宏网版权所有", "中宏网"),
        ("39健康网 - 专业的健康平台 Copyright © 2000-2024", "39健康网"),
        ("主办单位：包头市人民政府办公室", "包头市人民政府办公室"),
        ("运营单位：某某传媒", "某某传媒"),
        ("Copyright © 2024 人民网", "人民网"),
    ],
)
def test_some_site_cue_names_the_site(line: str, name: str) -> None:
    names = [m["name"] for cue in PF.SITE_CUES if (m := cue.search(line))]
    assert names and names[0] == name


def test_every_site_cue_has_a_name_group() -> None:
    assert all("name" in cue.groupindex for cue in PF.SITE_CUES)


@pytest.mark.parametrize(
    ("pattern", "text", "group", "want"),
    [
        (PF.OFFICE_OF, "包头市人民政府办公室", "portal", "包头市人民政府"),
        (PF.OFFICE_OF, "内蒙古自治区人民政府办公厅", "portal", "内蒙古自治区人民政府"),
        (PF.TITLE_FIELD, "标题：关于印发某办法的通知", "title", "关于印发某办法的通知"),
        (PF.REPORTER_OF, "经济观察报记者 田国宝 3月下旬", "outlet", "经济观察报"),
        (PF.ACCOUNT_BYLINE, "原创 科技内蒙古 2024-02-20 18:32", "name", "科技内蒙古"),
        (PF.BYLINE_PORTAL, "新华网河北频道 ( ", "name", "新华网河北频道"),
        (PF.GATHERED_BY, "酷勤网收集", "name", "酷勤网"),
        (PF.PORTAL_DESCRIPTOR, "长江互动传媒网", "stem", "长江"),
        (PF.CRUMB_ROOT, "新华网 > 时政 > 正文", "name", "新华网"),
        (PF.CRUMB_ROOT, "人民网>>经济·科技", "name", "人民网"),
        (PF.CRUMB_ROOT, "当前位置：北疆网 > 新闻", "name", "北疆网"),
    ],
)
def test_named_groups_hold_the_documented_part(
    pattern: re.Pattern[str], text: str, group: str, want: str
) -> None:
    assert _group(pattern, text, group) == want


@pytest.mark.parametrize(
    ("pattern", "text", "left"),
    [
        (PF.LICENCE_TAIL, "明日大盘京ICP备12345号", "明日大盘"),
        (PF.LICENCE_TAIL, "某某网 蒙公网安备 150号", "某某网 "),
        (PF.SITE_COMPANY, "网易公司", "网易"),
        (PF.SITE_COMPANY, "新华网股份有限公司", "新华网"),
        (PF.SITE_COMPANY, "凤凰新媒体", "凤凰"),
        (PF.SITE_COMPANY, "人民日报社", "人民日报"),
        (PF.TITLE_DOMAIN_TAIL, "某新闻_新闻中心_长江网_cjn.cn", "某新闻_新闻中心_长江网"),
        (PF.SITE_AFFIXES, "欢迎访问包头新闻网", "包头新闻网"),
        (PF.SITE_AFFIXES, "包头新闻网版权所有", "包头新闻网"),
    ],
)
def test_removing_a_shape_leaves_the_name(pattern: re.Pattern[str], text: str, left: str) -> None:
    assert pattern.sub("", text) == left


def test_company_form_is_not_removed_from_a_bare_word() -> None:
    assert PF.SITE_COMPANY.sub("", "公司") == "公司"  # (?<=\S): a brand must come first


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("新闻标题 - 包头新闻网", ["新闻标题", "包头新闻网"]),
        ("新闻标题_包头新闻网", ["新闻标题", "包头新闻网"]),
        ("科技|包头新闻网", ["科技", "包头新闻网"]),
        ("鄂尔多斯-新闻网", ["鄂尔多斯", "新闻网"]),
    ],
)
def test_site_part_split(text: str, parts: list[str]) -> None:
    assert PF.SITE_PART_SPLIT.split(text) == parts


def test_title_separators_are_distinct_and_those_needing_a_site_word_are_among_them() -> None:
    assert len(set(PF.TITLE_SUFFIX_SEPS)) == len(PF.TITLE_SUFFIX_SEPS)
    assert PF.TITLE_SEPS_NEEDING_SITE_WORD <= {sep.strip() for sep in PF.TITLE_SUFFIX_SEPS}


def test_clause_end_cuts_after_the_first_clause() -> None:
    assert PF.CLAUSE_END.split("自治区召开会议，部署工作。", maxsplit=1)[0] == "自治区召开会议"


def test_source_split_and_trim() -> None:
    assert PF.SOURCE_SPLIT.split("青城融媒、包头日报 / 新华社") == [
        "青城融媒",
        "包头日报",
        "新华社",
    ]
    assert "（包头日报）".strip(PF.SOURCE_TRIM) == "包头日报"


def test_platform_sites_are_compared_folded() -> None:
    assert all(name == name.lower() and name.strip() == name for name in PF.PLATFORM_SITES)


_UNBOUNDED = (
    re.compile(r"(?P<name>[^\s:：©|,，]{2,}?)\s*(?:版权所有|版權所有)"),
    re.compile(r"(?P<name>[^\s:：©|,，]{2,}?)(?:主办|主辦)(?:单位)?(?=\s|$)"),
)


@given(
    st.text(alphabet="某甲乙丙网局 ,|", max_size=40),
    st.sampled_from(["版权所有", "主办", "主办单位"]),
    st.text(alphabet="某 ", max_size=5),
)
def test_a_name_before_its_cue_reads_as_without_the_bound(
    before: str, cue: str, after: str
) -> None:
    """The bound on a name printed before its cue changes nothing a page's own name could
    be: it only stops a long run without the cue from being tried from every character."""
    text = before + cue + after
    bounded = (PF.SITE_CUES[1], PF.SITE_CUES[6])
    for new, old in zip(bounded, _UNBOUNDED, strict=True):
        assert [m["name"] for m in new.finditer(text)] == [m["name"] for m in old.finditer(text)]
