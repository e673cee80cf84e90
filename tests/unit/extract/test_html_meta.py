"""What an HTML page states about itself outside its visible text (html_meta.py). The
pipeline tests show these hints reaching an article; these pin the reading itself: which
source wins when several speak, JSON-LD in its several shapes, script times in China time
and the account name of platform pages."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract import html_dom
from indexer.extract import html_patterns as PH
from indexer.extract.html_meta import HtmlHints, html_hints, json_ld


def _soup(html: str) -> html_dom.Element:
    page = html_dom.parse(html)
    assert page is not None
    return page


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


ARTICLE = {
    "@type": "NewsArticle",
    "headline": "  科技部发布  创新政策 ",
    "datePublished": "2024-03-15T09:00:00+08:00",
    "publisher": {"@type": "Organization", "name": "某某科技网"},
}


def test_a_page_without_hints_gives_empty_hints() -> None:
    """Most dumps' HTML says nothing about itself: every field must then be empty, not missing."""
    assert html_hints(_soup("<p>正文。</p>")) == HtmlHints()


def test_title_tag_and_meta_fields_are_read_and_squeezed() -> None:
    html = (
        "<html><head><title> 关于开展\u3000科技创新  工作的通知 </title>"
        '<meta property="og:title" content="关于开展科技创新工作的通知">'
        '<meta name="SiteName" content="某某市科学技术局">'
        '<meta name="PubDate" content="2024-03-15 10:00">'
        '<meta name="DateModified" content="2024-03-16">'
        '<meta name="ContentSource" content="  某某日报 ">'
        "</head></html>"
    )
    hints = html_hints(_soup(html))
    assert hints.title_tag == "关于开展 科技创新 工作的通知"
    assert hints.og_title == "关于开展科技创新工作的通知"
    assert hints.site_name == "某某市科学技术局"  # meta names are matched whatever their case
    assert hints.published == "2024-03-15 10:00"
    assert hints.modified == "2024-03-16"
    assert hints.source == "某某日报"


def test_an_empty_meta_content_does_not_hide_a_later_one() -> None:
    """CMS templates emit empty meta fields; the first field with content is the page's."""
    html = '<meta name="pubdate" content=""><meta name="publishdate" content="2024-01-02">'
    assert html_hints(_soup(html)).published == "2024-01-02"


def test_headings_h1_first_then_h2_then_h3_empty_ones_skipped() -> None:
    """A headline is an <h1> wherever it stands: h1 texts come before every h2 and h3."""
    html = "<h3>三级</h3><h2>二级</h2><h1> </h1><h1>一级 <span>标题</span></h1>"
    assert html_hints(_soup(html)).headings == ("一级 标题", "二级", "三级")


def test_meta_tags_win_over_json_ld() -> None:
    """A page's meta fields are what its CMS set by hand; JSON-LD only fills gaps."""
    html = (
        '<meta property="og:title" content="甲标题"><meta property="og:site_name" content="甲网">'
        f'<meta name="pubdate" content="2024-01-01">{_ld(ARTICLE)}'
    )
    hints = html_hints(_soup(html))
    assert (hints.og_title, hints.site_name, hints.published) == ("甲标题", "甲网", "2024-01-01")


def test_json_ld_fills_what_meta_tags_leave_out() -> None:
    hints = html_hints(_soup(_ld(ARTICLE)))
    assert hints.og_title == "科技部发布 创新政策"
    assert hints.site_name == "某某科技网"
    assert hints.published == "2024-03-15T09:00:00+08:00"


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE,
        [{"@type": "WebSite", "name": "某某科技网"}, ARTICLE],
        {"@context": "https://schema.org", "@graph": [{"@type": "BreadcrumbList"}, ARTICLE]},
    ],
)
def test_json_ld_finds_the_article_in_each_shape(data: object) -> None:
    """JSON-LD comes as one object, a list, or an @graph: the article may be anywhere."""
    assert json_ld(_soup(_ld(data))) == {
        "headline": "科技部发布 创新政策",
        "datePublished": "2024-03-15T09:00:00+08:00",
        "publisher": "某某科技网",
    }


@pytest.mark.parametrize(
    "data",
    [
        {"@type": "WebPage", "headline": "不是文章"},  # only article types speak for the page
        {"@type": "NewsArticle", "headline": 7, "publisher": "某某网"},  # wrong value types
        [1, "x", None],
    ],
)
def test_json_ld_without_a_readable_article_is_empty(data: object) -> None:
    assert json_ld(_soup(_ld(data))) == {}


def test_json_ld_skips_a_broken_block_for_a_later_good_one() -> None:
    html = '<script type="application/ld+json">{"@type": </script>' + _ld(ARTICLE)
    assert json_ld(_soup(html))["publisher"] == "某某科技网"


def test_oversized_json_ld_is_not_parsed() -> None:
    """Parsing cost stays bounded: a blob past the limit is not an article's metadata."""
    big = dict(ARTICLE, articleBody="字" * PH.MAX_JSON_LD_CHARS)
    assert json_ld(_soup(_ld(big))) == {}


def test_time_element_prefers_its_datetime_attribute() -> None:
    html = "<time datetime='2024-05-01T08:00'>五月一日</time><time>2024-06-01</time>"
    assert html_hints(_soup(html)).published == "2024-05-01T08:00"
    assert html_hints(_soup("<time> 2024年5月1日 </time>")).published == "2024年5月1日"


@pytest.mark.parametrize(
    ("script", "published"),
    [
        ('var ct = "1712215800";', "2024-04-04 15:30"),  # 07:30 UTC is 15:30 in China
        ("publish_time: 1712215805,", "2024-04-04 15:30:05"),  # seconds only when set
    ],
)
def test_script_time_is_read_in_china_time(script: str, published: str) -> None:
    """Platform pages fill their date in by script; the page's date is China's calendar day."""
    assert html_hints(_soup(f"<script>{script}</script>")).published == published


def test_a_date_a_page_script_assigns_as_text_dates_the_page() -> None:
    """A page rendered from a script's data object may state its date only there."""
    script = 'window.DATA = {"media":"某报","pubtime":"2018-06-13 07:12:02","id":1};'
    assert html_hints(_soup(f"<script>{script}</script>")).published == "2018-06-13 07:12:02"
    # A Unix time in the same script is read first, as before.
    both = 'var ct = "1712215800"; var pubDate = "2018-06-13";'
    assert html_hints(_soup(f"<script>{both}</script>")).published == "2024-04-04 15:30"


def test_script_time_comes_after_visible_time() -> None:
    html = '<time datetime="2024-05-01">五月一日</time><script>var ct = "1712215800";</script>'
    assert html_hints(_soup(html)).published == "2024-05-01"


@pytest.mark.parametrize(
    "html",
    [
        '<a id="js_name"> 创新\u3000前沿 </a>',
        '<span class="rich_media_meta nickname">创新 前沿</span>',
        '<div class="account-name">创新 前沿</div>',
    ],
)
def test_account_name_by_id_or_class(html: str) -> None:
    assert html_hints(_soup(f'<div id="js_name_box"></div>{html}')).account == "创新 前沿"


def test_an_empty_account_element_is_passed_over() -> None:
    html = '<span class="nickname"> </span><span class="nickname">创新前沿</span>'
    assert html_hints(_soup(html)).account == "创新前沿"


@given(st.text(max_size=200))
def test_never_raises_on_any_markup(html: str) -> None:
    """Page markup is untrusted: parsing it and reading its hints never fails, whatever it
    holds (markup with no element at all parses to nothing)."""
    page = html_dom.parse(html)
    assert page is None or isinstance(html_hints(page), HtmlHints)


@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=8),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(["@type", "@graph", "headline", "publisher", "name"]), c, max_size=4
            )
        ),
        max_leaves=12,
    )
)
def test_json_ld_never_raises_on_any_json(data: object) -> None:
    assert isinstance(json_ld(_soup(_ld(data))), dict)
