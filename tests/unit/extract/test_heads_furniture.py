"""heads: the page furniture between headline, byline and text (a headline drawn as a
list item, a columnist's card, a share bar, a related-links box), passed over.

Each page below is written in a shape real portals use, never copied from one page.
"""

from __future__ import annotations

import pytest

from indexer.extract.body import select_body
from indexer.extract.heads import find_heads
from tests.unit.extract.pages import PROSE, page_layout, page_metadata

SIDEBAR = "网友热议:这条新闻说得很好,我们要多多关注科技创新,也希望更多地方学习借鉴。"


MENU_WORDS = "\n".join(["首页", "国际", "财经", "科技", "视频"])


def test_a_headline_printed_as_the_one_item_of_a_list_is_the_headline() -> None:
    """A page that puts its headline in a list element: the dump draws a bullet before it,
    and it is the only item there, under a menu of plain lines, over a dated byline."""
    text = (
        f"{MENU_WORDS}\n\n  • 某市出台科技创新若干措施\n\n分享到：\n"
        f"2019-09-09 19:32:27 字号：A- A A+ 来源：新华网\n\n{PROSE}\n\n{PROSE}\n"
    )
    meta = page_metadata(text)
    assert meta.title == "某市出台科技创新若干措施"
    assert meta.published and meta.published.startswith("2019-09-09")


@pytest.mark.parametrize("card_bullet", ["      □ ", ""])
def test_a_columnists_card_between_headline_and_byline_is_passed_over(card_bullet: str) -> None:
    """An opinion column prints its writer's card under the headline: the name alone (an
    item of its own list, or not), then the name run into the writer's post."""
    text = (
        f"{MENU_WORDS}\n\n  • 王某：某市科技创新的三个抓手\n\n{card_bullet}王某\n\n"
        "      王某某某大学某研究院执行院长\n\n分享到：\n"
        f"2019-09-07 09:25:09 字号：A- A A+ 来源：某某网\n\n{PROSE}\n\n{PROSE}\n"
    )
    assert page_metadata(text).title == "王某：某市科技创新的三个抓手"


def test_a_headline_that_starts_with_a_name_above_it_is_still_a_headline() -> None:
    """Punctuation after the name: a headline that quotes the person, not their card."""
    text = (
        f"{MENU_WORDS}\n\n王某\n\n王某：某市科技创新的三个抓手\n\n"
        f"2019-09-07 09:25:09 来源：某某网\n\n{PROSE}\n\n{PROSE}\n"
    )
    assert page_metadata(text).title == "王某：某市科技创新的三个抓手"


def test_items_of_a_bulleted_menu_are_still_no_headline() -> None:
    text = (
        "  • 首页\n  • 某市出台科技创新若干措施\n\n"
        f"2019-09-09 19:32:27 来源：新华网\n\n{PROSE}\n\n{PROSE}\n"
    )
    (head,) = find_heads(page_layout(text).lines, page_layout(text).kinds)
    assert head.title is None


def test_author_and_outlet_over_the_byline_are_not_the_headline() -> None:
    text = (
        f"{MENU_WORDS}\n\n某市出台科技创新若干措施\n\n石佳/中国青年报\n\n"
        f"2019-09-24 09:10\n\n{PROSE}\n\n{PROSE}\n"
    )
    assert page_metadata(text).title == "某市出台科技创新若干措施"


# A paragraph of two different sentences (PROSE * 2 would be one text printed twice).
LONG = PROSE + "各地区各部门要结合实际认真贯彻落实，确保各项措施落地见效。"


def test_a_long_share_bar_between_byline_and_text_does_not_lose_the_text() -> None:
    """Share buttons and QR-code boxes print a widget line each (twice, on some pages):
    the text under them is still the article's, not a sidebar's dated teaser's."""
    bar = "\n".join(["•"] * 30 + ["Scan me!", "用微信扫描二维码", "分享至好友和朋友圈"] * 2)
    teaser = f"另一条新闻的标题在这里\n2019-08-06 11:36:21\n{SIDEBAR}\n{SIDEBAR}\n{SIDEBAR}\n"
    text = (
        f"{MENU_WORDS}\n\n某市出台科技创新若干措施\n\n2019-05-17 · 城市报道\n\n分享到\n\n"
        f"{bar}\n\n{LONG}\n\n{LONG}\n\n{LONG}\n\n相关新闻\n{teaser}"
    )
    meta = page_metadata(text)
    assert meta.title == "某市出台科技创新若干措施"
    assert meta.published == "2019-05-17"


def test_a_related_links_box_between_byline_and_text_is_passed_over() -> None:
    """A page may put a "相关新闻：" box of a link or two under the byline, after a promo
    line: the article is the text under the box, not the promo over it."""
    promo = "新产品第一时间免费试玩，快来体验各领域最前沿的产品吧~！下载客户端还能获得专享福利哦！"
    text = (
        f"{MENU_WORDS}\n\n某市出台科技创新若干措施\n2019-09-11 01:53 某某科技\n{promo}\n"
        f"相关新闻：\n- [直播某某发布会](/live)\n\n{PROSE}\n\n{PROSE}\n\n{PROSE}\n\n{PROSE}\n"
    )
    page = page_layout(text)
    assert list(select_body(page).paragraphs) == [PROSE] * 4


def test_a_related_box_under_a_whole_article_still_ends_it() -> None:
    text = (
        f"{MENU_WORDS}\n\n某市出台科技创新若干措施\n2019-09-11 01:53 某某科技\n"
        f"{PROSE}\n{PROSE}\n{PROSE}\n{PROSE}\n{PROSE}\n相关新闻：\n{SIDEBAR * 8}\n"
    )
    assert list(select_body(page_layout(text)).paragraphs) == [PROSE] * 5


@pytest.mark.parametrize(
    "between",
    [
        "某某新闻网\n[img_a]\n下载客户端\n独家抢先看",  # the outlet's name, an app link, a promo
        "某某新闻网\n独家抢先看",
        "某某日报\n\n甲乙丙",
    ],
)
def test_a_stack_of_short_names_over_the_byline_is_passed_over_to_the_headline(
    between: str,
) -> None:
    """Under the headline, a portal may print the outlet's name, its app's download link and
    a promo word, each alone on a line: short lines over the byline that are names, not the
    headline, however many (within the head's reach)."""
    text = (
        f"首页 > 资讯 > 正文\n\n某地发布新规定，科技创新再提速！\n\n{between}\n"
        f"2019年02月20日 02:26:00 来自北京\n\n{PROSE}\n\n{PROSE}\n"
    )
    assert page_metadata(text).title == "某地发布新规定，科技创新再提速！"


def test_a_short_headline_over_the_byline_is_still_the_headline() -> None:
    text = f"首页 > 资讯 > 正文\n\n甲乙丙丁\n2019-02-20 02:26\n\n{PROSE}\n\n{PROSE}\n"
    assert page_metadata(text).title == "甲乙丙丁"


def test_a_pictures_credit_with_its_agencys_notice_is_a_caption_inside_the_article() -> None:
    text = (
        f"某地发布新规定\n2019-02-20 02:26\n\n{PROSE}\n\n[png]\n\n"
        "图片来源：某某图库 版权作品请勿转载\n\n午门城楼的西马道上，灯光点亮了夜空，游人如织。\n"
        f"\n{PROSE}\n"
    )
    body = "".join(select_body(page_layout(text)).paragraphs)
    assert "午门城楼的西马道上" in body and body.endswith(PROSE)


@pytest.mark.parametrize("poster", ["某某科技", "原创 张三 某某科技"])
def test_a_platform_posts_account_card_is_passed_over_to_the_headline(poster: str) -> None:
    """A platform's post as a dump prints it: the headline, the poster's line, the account's
    name beside its avatar, the account's id and blurb, the day alone ("昨天"), the text."""
    text = (
        f"某地发布科技创新若干措施\n\n{poster}\n某某科技 []\n\n微信号 abcdef\n\n"
        f"功能介绍聚焦科技创新领域的思考与实践\n\n昨天\n\n{PROSE}\n\n{PROSE}\n"
    )
    meta = page_metadata(text)
    assert (meta.title, meta.published) == ("某地发布科技创新若干措施", None)
    assert "功能介绍" not in "".join(select_body(page_layout(text)).paragraphs)
