"""Site names, credited outlets and author boxes: shapes seen on real portals' pages."""

from __future__ import annotations

from indexer.extract import patterns as P
from indexer.extract.pipeline import process_bytes
from indexer.models import Article

PROSE = (
    "今年以来，某市科技创新工作取得新进展，全市高新技术企业数量稳步增长，研发投入持续加大。\n"
    "下一步，该市将继续优化创新生态，支持企业建设研发机构，推动科技成果转化和产业化。\n"
)


def article(text: str, name: str = "p.txt") -> Article:
    result = process_bytes(text.encode(), name)
    assert isinstance(result, Article), result
    return result


def test_a_title_ending_with_the_domain_names_the_site_before_it() -> None:
    html = (
        "<html><head><title>某市高新技术企业数量稳步增长_要闻_示范网_example.cn</title></head>"
        "<body><h1>某市高新技术企业数量稳步增长</h1><p>2024-03-01 10:00 来源：示范日报</p>"
        + "".join(f"<p>{line}</p>" for line in PROSE.splitlines())
        + "</body></html>"
    )
    assert article(html, "p.html").site == "示范网"


def test_a_portal_branded_with_its_operators_descriptor_keeps_its_own_name() -> None:
    page = (
        "首页 | 新闻 | 示范网简介\n\n某市高新技术企业数量稳步增长\n\n"
        "2024-03-01 10:00 来源：示范日报\n\n" + PROSE + "\n责任编辑：王某\n示范互动传媒网版权所有\n"
    )
    assert article(page).site == "示范网"
    # Without the short name anywhere on the page, the branded name is all there is.
    alone = page.replace("示范网简介", "联系我们")
    assert article(alone).site == "示范互动传媒网"


def test_an_outlet_glued_to_the_sites_name_is_credited_alone() -> None:
    page = (
        "示范青年网 > 要闻\n\n某市高新技术企业数量稳步增长\n\n"
        "发稿时间：2024-03-01 10:00 来源：某某日报海外版示范青年网\n\n"
        + PROSE
        + "\n版权所有 示范青年网\n"
    )
    found = article(page)
    assert found.site == "示范青年网"
    assert found.sources == ("某某日报海外版",)


def test_the_sites_own_credit_is_kept() -> None:
    page = (
        "示范青年网 > 要闻\n\n某市高新技术企业数量稳步增长\n\n"
        "发稿时间：2024-03-01 10:00 来源：示范青年网\n\n" + PROSE + "\n版权所有 示范青年网\n"
    )
    assert article(page).sources == ("示范青年网",)


def test_an_author_box_after_the_article_is_not_its_text() -> None:
    bio = "长期关注科技创新与区域经济，擅长产业政策和企业的深度报道，曾获多项新闻奖。"
    page = (
        "某市高新技术企业数量稳步增长\n\n2024-03-01 10:00 来源：示范日报\n\n"
        + PROSE
        + "\n张三示范日报记者\n示范日报科技部记者\n"
        + bio
        + "\n"
    )
    found = article(page)
    assert found.body.endswith("推动科技成果转化和产业化。")
    assert bio not in found.body


def test_a_reporters_title_inside_the_text_does_not_end_it() -> None:
    long_tail = "".join(f"第{i}段：该市还将加大人才引进力度，完善配套政策。\n" for i in range(4))
    page = (
        "某市高新技术企业数量稳步增长\n\n2024-03-01 10:00 来源：示范日报\n\n"
        + PROSE
        + "示范日报科技部记者\n"
        + long_tail
    )
    assert P.MAX_AUTHOR_BOX_LINES < 4
    assert "第3段" in article(page).body


def test_a_promo_with_a_call_to_action_under_the_byline_is_not_the_text() -> None:
    promo = "“年度科技人物评选”火热进行中，一张榜单尽显创新的力量！【点击投票】选出你心中的榜样"
    page = (
        "某市高新技术企业数量稳步增长\n\n2024-03-01 10:00 来源：示范日报\n\n"
        + promo
        + "\n\n"
        + PROSE
    )
    found = article(page)
    assert promo not in found.body
    assert found.body.startswith("今年以来")


def test_the_head_title_names_wins_over_a_sidebar_story_with_more_prose() -> None:
    side = (
        "专家认为，数字经济的发展离不开基础设施的持续投入，各地应当统筹规划、协同推进，"
        "避免重复建设，同时加强数据安全保护，完善相关法规制度，营造良好的发展环境。"
    )
    html = (
        "<html><head><title>某市高新技术企业数量稳步增长_示范网</title></head><body>"
        "<h1>某市高新技术企业数量稳步增长</h1><p>2024-03-01 10:00 来源：示范日报</p>"
        + "".join(f"<p>{line}</p>" for line in PROSE.splitlines())
        + "<p>责任编辑：王某</p>"
        "<h2>专家谈数字经济基础设施建设</h2><p>2024-02-28 09:00 来源：示范日报</p>"
        f"<p>{side}</p><p>{side}</p></body></html>"
    )
    found = article(html, "p.html")
    assert found.title == "某市高新技术企业数量稳步增长"
    assert found.body.startswith("今年以来") and side not in found.body
