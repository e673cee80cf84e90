"""dump_columns: a dump of a two-column table layout is read back as one column, and a
table inside an article is left as it is."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract import patterns as P
from indexer.extract.dump_columns import cells, reflow, width
from tests.unit.extract.pages import page_metadata

# One paragraph wrapped at a cell's width over three rows (the first row's indent takes
# two characters of it), and a one-row paragraph.
_TEXT = (
    "某某市近日召开全市科技工作会议，总结过去一年科技创新工作成效，部署今年的重点任务和各项工作安排"
)
_MORE = "会议指出，要深入实施创新驱动发展战略，加快建设创新型城市，推动全市经济社会高质量发展"
WRAPPED = ["　　" + _TEXT[:40], (_TEXT[40:] + _MORE)[:42], "取得新成效。"]
SHORT_PARAGRAPH = "　　会议强调，各地各部门要进一步提高认识。"
SIDEBAR = [
    "栏目导航    某市召开全市科技工作会议",
    "      发布时间：2008-05-12 来源：市科技局",
    "  • 工作动态",
    f"  • 通知公告    {WRAPPED[0]}",
    f"  • 政策法规    {WRAPPED[1]}",
    f"      {WRAPPED[2]}",
    "  • 科技成果",
    f"  • 专题专栏    {SHORT_PARAGRAPH}",
    "友情链接",
]


def test_a_menu_beside_the_article_is_read_before_it_and_wrapped_paragraphs_are_joined() -> None:
    menu = ["栏目导航", "• 工作动态", "• 通知公告", "• 政策法规", "• 科技成果", "• 专题专栏"]
    assert reflow(SIDEBAR) == [
        *menu,
        "",
        "某市召开全市科技工作会议",
        "发布时间：2008-05-12 来源：市科技局",
        "".join(part.strip("　") for part in WRAPPED),
        SHORT_PARAGRAPH.strip("　"),
        "友情链接",  # a narrow cell after the article's last row stays where it is
    ]


def test_the_article_of_a_two_column_dump_is_its_body() -> None:
    meta = page_metadata("\n".join([*SIDEBAR, "", "版权所有：某某市科学技术局"]))
    assert (meta.title, meta.published, meta.sources) == (
        "某市召开全市科技工作会议",
        "2008-05-12",
        ("市科技局",),
    )


def test_a_column_of_images_between_menu_and_article_goes_with_the_menu() -> None:
    rows = [
        "  • 首页    某市召开全市科技工作会议",
        "  • 机构职能",
        f"      [img_18]    │ {WRAPPED[0]}",
        f"  • 校内制度    │ {WRAPPED[1]}",
        f"      │ {WRAPPED[2]}    │",
    ]
    out = reflow(rows)
    assert "[img_18]" in out[: out.index("")]
    assert "".join(part.strip("　") for part in WRAPPED) in out


@pytest.mark.parametrize(
    "rows",
    [
        # each row opens with its first cell; a long last cell wraps onto an indented row
        [
            "姓名    证件号码    列入原因",
            "张三    110101****0101001X 在机场安检中查出随身携带国家法律、法规规定的违禁品（",
            "      藏匿仿真枪）而被处以行政处罚",
            "李四    110101****0101002X 冒用他人乘机身份证件登机而被处以行政处罚，情节严重的依",
            "王五    110101****0101003X 在乘坐的航空器内吸烟而被处以行政处罚",
        ],
        # rows filled to the width read as wrapped, then one short line under the table
        [
            "张三    110101****0101001X 在机场安检中查出随身携带国家法律、法规规定的违禁品",
            "李四    110101****0101002X 冒用他人乘机身份证件登机而被处以行政处罚，情节严重的依",
            "王五    110101****0101003X 在乘坐的航空器内吸烟而被处以行政处罚并列入名单公示",
            "赵六    110101****0101004X 冒用他人乘机身份证件登机而被处以行政处罚",
            "附件：",
        ],
    ],
)
def test_a_table_inside_an_article_is_left_as_it_is(rows: list[str]) -> None:
    assert reflow(rows) == rows


def test_a_page_of_one_column_is_left_as_it_is() -> None:
    rows = [
        "首页 > 新闻",
        "某市召开全市科技工作会议        2008-05-12",
        *WRAPPED,
        "版权所有：某某网",
    ]
    assert reflow(rows) == rows


def test_cells_of_one_row() -> None:
    assert cells("  • 通知公告    正文在这里。") == ("• 通知公告", "正文在这里。")
    assert cells("      正文在这里。") == ("", "正文在这里。")
    assert cells("通知公告") == ("通知公告", "")
    assert cells("这一行很长很长很长很长很长很长很长很长，不是菜单    正文") is None
    assert width("ab中文") == 6


_HAN = st.text(alphabet=st.sampled_from("科技创新会议发展。，"), min_size=0, max_size=60)
_ROW = st.one_of(
    st.builds(lambda a, b: f"  • {a[:8]}    {b}", _HAN, _HAN),
    st.builds(lambda b: f"      {b}", _HAN),
    st.builds(lambda a: a[:10], _HAN),
    st.just(""),
    _HAN,
)


@given(st.lists(_ROW, max_size=40))
def test_reflow_keeps_every_character_of_the_page(rows: list[str]) -> None:
    def chars(lines: list[str]) -> Counter[str]:
        return Counter(ch for line in lines for ch in line if P.HAN.match(ch) or ch in "。，")

    assert chars(reflow(rows)) == chars(rows)


def test_reflow_of_many_short_rows_is_one_pass() -> None:
    # 20,000 narrow cells and no article: looked at once each (a quadratic walk would
    # scan the run again from every row).
    rows = ["  • 工作动态"] * 20_000
    assert reflow(rows) == rows


def test_a_list_beside_the_article_on_the_right_is_read_after_it() -> None:
    """Other stories listed in a narrow cell right of the article: the list closes rows
    after their last gap, stands alone on indented rows, and is read after the article."""
    rows = [
        "      某市召开全市科技工作会议    热点新闻",
        "      发布时间：2008-05-12 来源：市科技局",
        "      • 某县开展科技活动",
        f"{WRAPPED[0]}   • 某旗召开科技会议",
        f"{WRAPPED[1]}    • 某区科技成果展示",
        f"{WRAPPED[2]}",
        "      • 某市科技人才引进",
        f"{SHORT_PARAGRAPH}   • 某镇科技下乡",
        "",
        "版权所有：某某市科学技术局",
    ]
    assert reflow(rows) == [
        "某市召开全市科技工作会议",
        "发布时间：2008-05-12 来源：市科技局",
        "".join(part.strip("　") for part in WRAPPED),
        SHORT_PARAGRAPH.strip("　"),
        "",
        "热点新闻",
        "• 某县开展科技活动",
        "• 某旗召开科技会议",
        "• 某区科技成果展示",
        "• 某市科技人才引进",
        "• 某镇科技下乡",
        "",
        "版权所有：某某市科学技术局",
    ]


def test_dates_and_links_after_gaps_on_a_page_of_one_column_stay_where_they_are() -> None:
    rows = [
        "某市召开全市科技工作会议        2008-05-12",
        *WRAPPED,
        "上一篇：某县开展科技活动    下一篇：某旗召开科技会议",
        "      责任编辑：张三",
        "某区科技成果展示    2008-05-10",
    ]
    assert reflow(rows) == rows


@given(
    text=st.text(
        alphabet=st.sampled_from("科技创新会议发展城市企业研发，"), min_size=90, max_size=300
    ),
    cell=st.integers(25, 45),
    menu=st.lists(
        st.sampled_from(["工作动态", "通知公告", "政策法规", "科技成果"]), min_size=4, max_size=12
    ),
    data=st.data(),
)
def test_any_paragraph_wrapped_beside_a_menu_is_joined_again(
    text: str, cell: int, menu: list[str], data: st.DataObject
) -> None:
    """A paragraph wrapped at a cell of `cell` characters, menu words beside some of its
    rows (one beside a wrapped row's continuation) and two words alone after it (the menu
    runs on past the article): read back, the menu comes first and the paragraph is whole."""
    paragraph = text.rstrip("，") + "。"
    wrapped = [paragraph[i : i + cell] for i in range(0, len(paragraph), cell)]
    if len(wrapped) < 3 or wrapped[-2].endswith("，"):
        return  # too short to wrap twice, or a row that closes on a clause mark
    beside = data.draw(st.lists(st.booleans(), min_size=len(wrapped), max_size=len(wrapped)))
    # three rows with a word (a block's least), the first two a row and its continuation
    beside[0] = beside[1] = beside[2] = True
    words = iter(menu)
    rows = []
    for part, has_word in zip(wrapped, beside, strict=True):
        word = next(words, None) if has_word else None
        rows.append(f"  • {word}    {part}" if word else f"      {part}")
    rows += [f"  • {next(words, '友情链接')}", f"  • {next(words, '联系我们')}", ""]
    out = reflow(rows)
    assert paragraph in out
    assert out.index(paragraph) > max(i for i, line in enumerate(out) if line.startswith("• "))
