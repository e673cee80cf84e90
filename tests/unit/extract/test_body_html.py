"""body over HTML pages: html_page's lines (chrome outside the main block, bullets, link
share, source wrapping) and the body select_body finds in them: an article split across
sibling blocks is whole, hidden elements never reach it, deep nesting is no recursion."""

from __future__ import annotations

import pytest

from indexer.extract.html_page import html_lines
from tests.unit.extract.pages import PROSE, body_paragraphs

HTML = f"""<html><head><title>标题甲_某某网</title>
<meta property="og:site_name" content="某某网"><meta name="pubdate" content="2024-05-06">
</head><body>
<nav><a>首页</a><a>新闻</a></nav>
<div class="crumb">当前位置:首页 &gt; 新闻</div>
<h1>标题甲</h1><div class="info">发布时间:2024-05-06 来源:某报</div>
<div class="content"><p>{PROSE}</p><p>第二段<br>{PROSE}</p>
<script>var x = "不该出现";</script></div>
<div class="share">分享到:<a>微信</a></div>
<footer>版权所有:某某网</footer></body></html>"""


def test_html_lines_mark_chrome_outside_main_block() -> None:
    lines, hints = html_lines(HTML)
    kept = [(x.text, x.chrome) for x in lines]
    assert (PROSE, False) in kept
    assert ("第二段", False) in kept
    assert ("首页新闻", True) in kept
    assert ("版权所有:某某网", True) in kept
    assert not any("不该出现" in x.text for x in lines)
    assert hints.title_tag == "标题甲_某某网"
    assert hints.site_name == "某某网"
    assert hints.published == "2024-05-06"
    assert hints.headings == ("标题甲",)


def test_html_body() -> None:
    assert body_paragraphs(HTML, "html") == [PROSE, "第二段", PROSE]


def test_html_list_items_are_bullets_and_links_are_measured() -> None:
    lines, _ = html_lines(f"<ul><li><a>条目一</a></li><li>条目<a>二</a></li></ul><p>{PROSE}</p>")
    assert [(x.text, x.bullet, round(x.link_ratio, 2)) for x in lines[:2]] == [
        ("条目一", True, 1.0),
        ("条目二", True, 0.33),
    ]


def test_html_source_wrapping_joins_chinese_but_elements_keep_a_space() -> None:
    lines, _ = html_lines("<p>科技\n创新</p><div><span>原创</span>\n<span>科技内蒙古</span></div>")
    assert [x.text for x in lines] == ["科技创新", "原创 科技内蒙古"]


def test_article_split_across_sibling_blocks_is_whole() -> None:
    second = "第二部分继续报道,科技成果转化步伐加快,企业创新主体地位不断增强,成效显著。"
    html = (
        f'<div class="wrap"><div class="text"><p>{PROSE}</p><p>{PROSE}再述</p></div>'
        '<div class="ad"><img src="a.jpg"></div>'
        f'<div class="text2"><p>{second}</p></div></div>'
        '<div class="comment"><p>网友评论:写得很好,支持科技创新,希望多多报道这样的新闻内容。</p>'
        "<p>网友评论:写得很好,支持科技创新,希望多多报道这样的新闻内容,再来一条。</p>"
        "<p>网友评论:写得很好,支持科技创新,希望多多报道这样的新闻内容,第三条了。</p></div>"
    )
    assert body_paragraphs(html, "html") == [PROSE, f"{PROSE}再述", second]


def test_hidden_elements_never_reach_the_body() -> None:
    html = (
        f'<div style="display: none"><p>隐藏模板里的文字,读者看不见,也不应进入正文。</p></div>'
        "<div hidden><p>另一个隐藏的段落,同样不可见,也不应进入正文。</p></div>"
        f"<div><p>{PROSE}</p></div>"
    )
    assert body_paragraphs(html, "html") == [PROSE]


def test_deeply_nested_html_renders_without_recursion() -> None:
    html = "<div>" * 1500 + f"<p>{PROSE}</p>" + "</div>" * 1500
    assert body_paragraphs(html, "html") == [PROSE]


def _teaser_page(teasers: int) -> str:
    """A page without <title> or meta: the article under its headline and byline, then an
    aside of dated teasers, then a long stream of posts with more prose than the article."""
    post = "网友发帖说,今天市场震荡明显,板块轮动较快,建议大家注意控制仓位,不要追高。"
    aside = "".join(
        f"<h4>另一条新闻的标题第{i}条</h4><div>2024年05月0{i + 1}日</div>" for i in range(teasers)
    )
    stream = "".join(f"<p>第{i}楼{post}</p>" for i in range(8))
    return (
        "<html><body><h1>自治区召开科技创新大会</h1><div>2024年03月08日 10:00 甲报</div>"
        f"<div class='text'><p>{PROSE}</p><p>{PROSE}再述。</p></div>"
        f"<aside>{aside}</aside>"
        f"<div class='stream'>{stream}</div></body></html>"
    )


@pytest.mark.parametrize("teasers", [1, 3])
def test_a_teaser_head_in_an_aside_never_anchors_the_body(teasers: int) -> None:
    assert body_paragraphs(_teaser_page(teasers), "html") == [PROSE, f"{PROSE}再述。"]
