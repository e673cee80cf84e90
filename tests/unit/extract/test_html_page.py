"""HTML pages become Lines (html_page.py). Chrome marking, bullets, link shares and
source wrapping are pinned in test_body.py; these pin the rest of the rendering: hidden
elements, pages that close early, heading levels, the densest block and its continuing
siblings, and pages deeper than Python's recursion limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract import html_dom
from indexer.extract.html_page import html_lines, main_blocks
from tests.unit.extract.pages import PROSE

OTHER = "会议强调,要进一步完善科技成果转化机制,推动创新链产业链深度融合,取得实效。"


def _texts(html: str) -> list[str]:
    return [x.text for x in html_lines(html)[0]]


@pytest.mark.parametrize(
    "hidden",
    ["<div hidden>隐藏的菜单</div>", '<div style="color:red; DISPLAY : none">隐藏的菜单</div>'],
)
def test_small_hidden_elements_are_dropped(hidden: str) -> None:
    """Hidden elements hold templates and duplicate menus, not what a reader sees."""
    assert "隐藏的菜单" not in _texts(f"<body>{hidden}<p>{PROSE}</p></body>")


def test_a_hidden_element_holding_most_of_the_page_is_kept() -> None:
    """An article that script reveals is hidden in the markup: dropping it loses the page."""
    assert PROSE in _texts(f'<body><div style="display:none"><p>{PROSE}</p></div><p>短</p></body>')


def test_text_after_an_early_closing_tag_is_kept() -> None:
    """Pages pasted together from templates close </html> before their article."""
    assert PROSE in _texts(f"<html><body><p>页头</p></body></html><div><p>{PROSE}</p></div>")


def test_comments_and_scripts_are_not_text() -> None:
    texts = _texts(f"<body><!-- 注释文字 --><p>{PROSE}</p><style>p {{ color: red }}</style></body>")
    assert texts == [PROSE]


def test_heading_levels_are_flagged() -> None:
    """The title search weighs a line by its heading level."""
    lines, _ = html_lines(f"<body><h2>科技<b>新闻</b></h2><h4>小标题</h4><p>{PROSE}</p></body>")
    assert [(x.text, x.heading) for x in lines] == [("科技新闻", 2), ("小标题", 4), (PROSE, 0)]


def test_lines_outside_the_main_block_are_flagged_outside() -> None:
    """Lines past the densest block may not join the body unless the search looks past it."""
    html = (
        f'<body><div class="left"><p>外面的一段话。</p></div>'
        f'<div class="main"><p>{PROSE}</p><p>{OTHER}</p><p>{PROSE}</p></div></body>'
    )
    lines = {x.text: x for x in html_lines(html)[0]}
    assert lines["外面的一段话。"].outside
    assert not lines[PROSE].outside and not lines[OTHER].outside


def test_a_chrome_class_marks_its_lines_chrome() -> None:
    html = (
        f'<body><div class="article"><p>{PROSE}</p></div>'
        '<div id="site-footer">关于我们</div></body>'
    )
    lines = {x.text: x for x in html_lines(html)[0]}
    assert lines["关于我们"].chrome and not lines[PROSE].chrome


def test_main_blocks_takes_a_sibling_that_continues_the_article() -> None:
    """An ad or an image block may split an article: the sibling after it is still body,
    but a sibling marked as chrome (a related list) is not, however much prose it holds."""
    article = f"<p>{PROSE}</p><p>{OTHER}</p>" * 4
    soup = html_dom.parse(
        f'<body><div id="page"><div id="a">{article}</div>'
        f'<div id="ad"><a>广告一</a><a>广告二</a></div>'
        f'<div id="b"><p>{OTHER}</p><p>{PROSE}</p></div>'
        f'<p id="c" class="related">{OTHER * 3}</p></div></body>'
    )
    assert [t.get("id") for t in main_blocks(soup.find("body"))] == ["a", "b"]


@pytest.mark.parametrize(
    "html",
    [
        "<body><div><a>首页</a><a>新闻</a></div><p>短句。</p></body>",
        f"<body><div><p><a>{PROSE}</a></p><p><a>{OTHER}</a></p></div></body>",
    ],
)
def test_main_blocks_of_a_page_without_unlinked_prose_is_empty(html: str) -> None:
    """A page of menus or of linked headlines has no article block to mark the rest chrome."""
    page = html_dom.parse(html)
    assert page is not None
    assert main_blocks(page.find("body")) == []


def test_link_heavy_blocks_lose_to_prose() -> None:
    """A list of linked headlines has commas too; its links discount it below the article."""
    links = "".join(f"<p><a>{OTHER}</a></p>" for _ in range(3))
    soup = html_dom.parse(
        f'<body><div id="list">{links}</div>'
        f'<div id="text"><p>{PROSE}</p><p>{PROSE}</p></div></body>'
    )
    assert main_blocks(soup.find("body"))[0].get("id") == "text"


def test_deep_nesting_renders_without_recursion() -> None:
    """Real pages nest deeper than Python's recursion limit; the walk must not recurse."""
    depth = 3000
    html = "<body>" + "<span>" * depth + PROSE + "</span>" * depth + "</body>"
    assert PROSE in _texts(html)


def test_what_follows_a_hostile_nest_is_still_read() -> None:
    """libxml2 stops building a tree 2,048 elements deep and drops all that follows; the
    article after such a nest (and the text inside it) must still be read."""
    depth = 5000
    nest = "<div>" * depth + "嵌套" + "</div>" * depth
    assert _texts(f"<body>{nest}<p>{PROSE}</p></body>") == ["嵌套", PROSE]


def test_empty_and_non_html_input_give_no_lines() -> None:
    assert html_lines("")[0] == []
    assert html_lines("   \n ")[0] == []


_HTML = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div class='nav'>",
            "</div>",
            "<li>",
            "<a>",
            "</a>",
            "<br>",
            "<h1>",
            "<!--",
            "-->",
            "</html>",
            "<span hidden>",
            PROSE,
            "科技",
            " ",
            "\n",
            "<",
            "&amp;",
        ]
    ),
    max_size=30,
).map("".join)


@given(_HTML)
def test_any_markup_renders_squeezed_lines(html: str) -> None:
    """Page markup is untrusted: any of it renders, each line non-empty and squeezed,
    its link share between 0 and 1."""
    lines, _ = html_lines(html)
    for line in lines:
        assert line.text and line.text == line.text.strip() and "  " not in line.text
        assert 0.0 <= line.link_ratio <= 1.0
