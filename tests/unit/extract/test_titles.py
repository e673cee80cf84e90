"""titles: a headline line as a text dump prints it, cleaned of what the layout put beside it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract.titles import title_text, unlabelled
from tests.unit.extract.pages import PROSE, page_metadata

HEADLINE = "某市出台科技创新若干措施"


@pytest.mark.parametrize(
    ("line", "title"),
    [
        (f"{HEADLINE}    [xin_1930609030941390123198]", HEADLINE),
        (f"[index_01] 学思践悟    {HEADLINE}", HEADLINE),
        (f"{HEADLINE}    河北：快乐备考", HEADLINE),
        ("[视频]某市出台科技创新若干措施", "[视频]某市出台科技创新若干措施"),
        ('60万"12306账号"外泄? 中铁总辟谣', '60万"12306账号"外泄? 中铁总辟谣'),
        (f"[index_57]    │ {HEADLINE}    │", HEADLINE),  # a boxed cell, drawn by w3m
        (f"│ {HEADLINE}", HEADLINE),
    ],
)
def test_title_text(line: str, title: str) -> None:
    assert title_text(line) == title


@given(
    name=st.from_regex(r"[A-Za-z0-9_]{1,20}", fullmatch=True),
    gap=st.integers(3, 8),
    before=st.booleans(),
)
def test_an_image_file_name_beside_a_headline_is_dropped(name: str, gap: int, before: bool) -> None:
    placeholder = f"[{name}]"
    line = (
        f"{placeholder}{' ' * gap}{HEADLINE}" if before else f"{HEADLINE}{' ' * gap}{placeholder}"
    )
    assert title_text(line) == HEADLINE


HEAD_LINES = ("自治区人民代表大会常务委员会", "关于批准某某条例的决定")
NOTE = "（2023年6月29日自治区第十四届人民代表大会常务委员会第五次会议通过）"


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_document_title_printed_over_lines_is_whole(kind: str) -> None:
    """Above an adoption note, a title centred over two lines is one headline, in a dump
    and in HTML without <title> alike; a logo in the page's header stays out of it."""
    if kind == "text":
        page = "\n".join([*HEAD_LINES, NOTE, PROSE])
    else:
        paragraphs = "".join(f"<p>{x}</p>" for x in [*HEAD_LINES, NOTE, PROSE])
        page = f"<html><body><header><p>某某网</p></header><div>{paragraphs}</div></body></html>"
    assert page_metadata(page, kind).title == "".join(HEAD_LINES)


@pytest.mark.parametrize(("upper", "lower"), [(1, 2), (2, 3), (1, 3)])
def test_a_heading_of_higher_rank_over_the_headline_found_is_the_headline(
    upper: int, lower: int
) -> None:
    """Without <title> or meta to agree with, the markup's own ranks say which of two
    stacked headings is the headline and which its subtitle."""
    html = (
        f"<html><body><h{upper}>自治区召开科技创新大会</h{upper}>"
        f"<h{lower}>会议部署全年十项重点工作任务</h{lower}>"
        "<div>时间:2024-03-08 来源:甲报</div>"
        f"<div><p>{PROSE}</p><p>{PROSE}再述。</p></div></body></html>"
    )
    assert page_metadata(html, "html").title == "自治区召开科技创新大会"


@pytest.mark.parametrize(
    ("upper", "lower"),
    [
        ("<h3>本站新闻栏目里的要闻</h3>", "<h2>自治区召开科技创新大会</h2>"),
        ("<h3>首页 - 新闻动态</h3>", "<h5>自治区召开科技创新大会</h5>"),  # a crumb, not a kicker
    ],
)
def test_a_lower_heading_or_a_crumb_over_the_headline_is_not_taken(upper: str, lower: str) -> None:
    html = (
        f"<html><body>{upper}{lower}"
        "<div>时间:2024-03-08 来源:甲报</div>"
        f"<div><p>{PROSE}</p><p>{PROSE}再述。</p></div></body></html>"
    )
    assert page_metadata(html, "html").title == "自治区召开科技创新大会"


@pytest.mark.parametrize(
    ("title", "bare"),
    [
        (f"原创 {HEADLINE}", HEADLINE),
        (f"獨家  {HEADLINE}", HEADLINE),
        (f"原创歌曲{HEADLINE}", f"原创歌曲{HEADLINE}"),  # glued on, it may be the headline's
        ("原创 短", "原创 短"),  # nothing left that is a headline
    ],
)
def test_unlabelled(title: str, bare: str) -> None:
    assert unlabelled(title) == bare


def test_a_platform_label_before_the_headline_is_not_part_of_it() -> None:
    html = (
        f"<h1><span>原创</span> <span>{HEADLINE}</span></h1><p>2024-01-02 10:00</p><p>{PROSE}</p>"
    )
    assert page_metadata(html, "html").title == HEADLINE


@pytest.mark.parametrize(
    ("upper", "lower", "title"),
    [
        # one headline broken inside a pair of marks is one headline
        ("关于印发《某某科技创新", "若干措施》的通知", "关于印发《某某科技创新若干措施》的通知"),
        ("某某市“科技兴市", "”行动取得新进展", "某某市“科技兴市”行动取得新进展"),
        # a kicker over the headline closes what it opens: not part of it
        ("聚焦全国两会", "某某代表团审议政府工作报告", "某某代表团审议政府工作报告"),
        ("“科技兴市”", "行动取得新进展", "行动取得新进展"),
    ],
)
def test_a_headline_broken_inside_a_pair_of_marks_is_whole(
    upper: str, lower: str, title: str
) -> None:
    page = f"首页 > 通知公告\n\n{upper}\n{lower}\n\n发布时间：2024-03-05 来源：某某局\n\n{PROSE}\n"
    assert page_metadata(page).title == title


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("某某市科技局2024年\n工作要点", "某某市科技局2024年工作要点"),
        (
            "某某市科技局关于印发科技创新\n若干措施的通知",
            "某某市科技局关于印发科技创新若干措施的通知",
        ),
        # a column's name over a short headline, a kicker, a complete title: apart
        ("通知公告\n关于放假的通知", "关于放假的通知"),
        ("聚焦全国两会\n代表委员建言科技创新", "代表委员建言科技创新"),
        ("某某市科技局工作通知\n关于放假的通知", "关于放假的通知"),
        ("某某市科学技术局\n关于放假的通知", "关于放假的通知"),  # the logo's name over it
    ],
)
def test_a_documents_title_broken_before_its_kind_is_one_title(head: str, title: str) -> None:
    assert (
        page_metadata(f"首页 > 政务公开\n{head}\n发布日期：2024-01-05\n{PROSE}\n{PROSE}").title
        == title
    )


def test_a_name_row_of_an_information_table_names_the_title() -> None:
    page = (
        "索引号：11150000MB1234567X/2024-00012\n名称：某某市关于进一步支持科技创新的若干措施\n"
        f"发布日期：2024年01月05日\n\n{PROSE}\n{PROSE}"
    )
    assert page_metadata(page).title == "某某市关于进一步支持科技创新的若干措施"
