"""templates: lines a site repeats on many of its pages are its chrome."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract import patterns as P
from indexer.extract import pipeline
from indexer.extract import templates as T
from indexer.extract.lines import (
    BYLINE,
    CONTENT,
    CREDIT,
    DATELINE,
    IMAGE,
    MENU,
    SHORT,
    STOP,
    TEMPLATE,
)
from indexer.extract.load import file_hash
from indexer.extract.pipeline import process_bytes, survey_bytes
from indexer.models import Article

PROSE = (
    "今年以来，某地工业经济运行总体平稳，第{i}季度规模以上工业增加值同比增长，"
    "增速比上季度加快，主要行业生产稳中有升。\n"
    "从行业看，装备制造业增长较快，高技术制造业占比继续提高，新能源汽车和工业机器人"
    "等产品产量分别增长，企业效益持续改善。\n"
)


def site_page(i: int, banner: str = "", promo: str = "") -> bytes:
    """One article page of a made-up portal: the same chrome around a different story."""
    return (
        "首页 | 新闻 | 财经 | 科技\n示范新闻网\n\n"
        f"某地第{i}季度工业增加值同比增长{i}成\n{banner}\n"
        f"2024-01-0{i} 10:00 来源：示范日报\n\n{promo}\n\n" + PROSE.format(i=i) + "\n"
        "责任编辑：王某\n版权所有 示范新闻网\n"
    ).encode()


def learn_from(pages: list[bytes]) -> dict[str, frozenset[int]]:
    surveyed = [survey_bytes(data, f"p{i}.txt") for i, data in enumerate(pages)]
    return T.learn((found.site, found.keys) for _, found in surveyed if found)


def test_line_key_folds_width_script_and_spacing() -> None:
    assert T.line_key("扫码 关注 ＡＢＣ") == T.line_key("扫码关注abc")
    assert T.line_key("關注") == T.line_key("关注")
    assert T.line_key("扫码关注") != T.line_key("扫码关注我们")


def test_candidates_leave_out_facts_placeholders_photo_credits_and_paragraphs() -> None:
    assert T.candidate("扫码关注公众号，获取更多资讯。", CONTENT)
    assert T.candidate("首页 | 新闻 | 财经", MENU)
    assert T.candidate("[pc-ewm2]", IMAGE)  # an image file name tells the site's chrome
    for kind in (DATELINE, CREDIT, BYLINE):
        assert not T.candidate("来源：示范日报", kind)
    assert not T.candidate("[1]", IMAGE)
    assert not T.candidate("[    ]", IMAGE)
    assert not T.candidate("（图片来源：某图库）", CONTENT)
    assert not T.candidate("▲图片提供：某图库", CONTENT)
    assert not T.candidate("长" * (P.MAX_TEMPLATE_PROSE_CHARS + 1) + "。", CONTENT)


def test_site_key_is_per_format_and_none_without_a_site() -> None:
    assert T.site_key("html", "示范网") != T.site_key("text", "示范网")
    assert T.site_key("html", None) is None


def test_template_needs_a_share_of_enough_pages() -> None:
    lines = T.SiteLines()
    for _ in range(P.MIN_SITE_PAGES - 1):
        lines.add({1, 2})
    assert lines.template() == frozenset()  # too few pages: single-page rules only
    lines.add({1})
    for _ in range(5):
        lines.add({3})
    assert lines.pages == P.MIN_SITE_PAGES + 5
    assert lines.template() == {1, 2, 3}
    for _ in range(12):
        lines.add(set())
    assert lines.template() == {1, 3}  # 2 is now on 4 pages of 22: less than the share


@settings(max_examples=50, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 20), max_size=8), max_size=12), st.data())
def test_removing_a_page_undoes_adding_it(pages: list[frozenset[int]], data: st.DataObject) -> None:
    lines = T.SiteLines()
    for keys in pages:
        lines.add(keys)
    before = (lines.pages, dict(lines.counts))
    extra = data.draw(st.frozensets(st.integers(0, 30), max_size=8))
    lines.add(extra)
    lines.remove(extra)
    assert (lines.pages, lines.counts) == before
    assert lines.template() == T.template_of(before[0], before[1])


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 200), st.dictionaries(st.integers(), st.integers(1, 200)))
def test_template_lines_are_on_at_least_the_share(pages: int, counts: dict[int, int]) -> None:
    for key in T.template_of(pages, counts):
        assert counts[key] >= P.TEMPLATE_SHARE * pages and pages >= P.MIN_SITE_PAGES


def test_mark_makes_template_lines_template_but_leaves_walls_and_facts() -> None:
    texts = ["示范新闻网首页", "责任编辑：王某", "来源：示范日报", "一段新闻。"]
    kinds = (SHORT, STOP, CREDIT, CONTENT)
    template = frozenset(T.line_key(t) for t in texts[:3])
    assert T.mark(texts, kinds, template) == (TEMPLATE, STOP, CREDIT, CONTENT)
    assert T.mark(texts, kinds, frozenset()) == kinds


def test_flipped_lines_are_those_whose_status_changed() -> None:
    assert T.flipped(frozenset({1, 2}), frozenset({2, 3})) == {1, 3}


def test_learn_groups_pages_by_site_and_ignores_pages_without_one() -> None:
    pages = [("text:甲网", frozenset({1}))] * P.MIN_SITE_PAGES + [(None, frozenset({1}))] * 9
    assert T.learn(pages) == {"text:甲网": frozenset({1})}


# --- through the pipeline ----------------------------------------------------------------

PROMO = "扫码关注示范新闻网公众号，第一时间获取更多权威资讯。"


def test_a_promo_the_site_prints_under_every_byline_leaves_the_body() -> None:
    pages = [site_page(i, promo=PROMO) for i in range(1, P.MIN_SITE_PAGES + 2)]
    alone = process_bytes(pages[0], "p0.txt")
    assert isinstance(alone, Article) and PROMO in alone.body  # one page cannot tell
    learnt = learn_from(pages)
    article = process_bytes(pages[0], "p0.txt", templates=learnt)
    assert isinstance(article, Article)
    assert PROMO not in article.body
    assert article.body.startswith("今年以来")
    assert (article.title, article.sources, article.site) == (
        alone.title,
        alone.sources,
        alone.site,
    )


def test_a_site_seen_on_too_few_pages_is_read_page_by_page() -> None:
    pages = [site_page(i, promo=PROMO) for i in range(1, P.MIN_SITE_PAGES)]
    learnt = learn_from(pages)
    assert process_bytes(pages[0], "p0.txt", templates=learnt) == process_bytes(pages[0], "p0.txt")


def test_a_banner_the_site_prints_over_every_byline_is_not_the_title() -> None:
    banner = "示范新闻网财经频道专稿"
    pages = [site_page(i, banner=banner) for i in range(1, P.MIN_SITE_PAGES + 2)]
    alone = process_bytes(pages[0], "p0.txt")
    assert isinstance(alone, Article) and alone.title == banner
    article = process_bytes(pages[0], "p0.txt", templates=learn_from(pages))
    assert isinstance(article, Article) and article.title == "某地第1季度工业增加值同比增长1成"


def test_survey_reports_the_site_and_candidate_lines() -> None:
    article, found = survey_bytes(site_page(1, promo=PROMO), "p.txt")
    assert isinstance(article, Article) and found is not None
    assert found.site == T.site_key("text", article.site)
    assert T.line_key(PROMO) in found.keys
    assert T.line_key("2024-01-01 10:00 来源：示范日报") not in found.keys
    assert survey_bytes(b"\x00\x01binary", "b.txt")[1] is None


def _counting_articles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the pipeline's body-and-metadata readings of a page."""
    calls: list[int] = []
    real = pipeline._article

    def counted(*args: object) -> Article:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_article", counted)
    return calls


def test_a_page_read_again_with_its_known_site_is_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = [site_page(i, promo=PROMO) for i in range(1, P.MIN_SITE_PAGES + 2)]
    learnt = learn_from(pages)
    before = survey_bytes(pages[0], "p0.txt", templates=learnt, survey=False)[0]
    _, found = survey_bytes(pages[0], "p0.txt")
    assert found is not None and found.site in learnt
    known = (file_hash(pages[0]), found.site)
    calls = _counting_articles(monkeypatch)
    assert survey_bytes(pages[0], "p0.txt", templates=learnt, survey=False)[0] == before
    assert len(calls) == 2  # alone (to find the site), then with the template
    calls.clear()
    again = survey_bytes(pages[0], "p0.txt", templates=learnt, survey=False, known=known)
    assert again == (before, None) and len(calls) == 1
    calls.clear()
    stale = (file_hash(pages[1]), found.site)  # other bytes: the key is found again
    assert survey_bytes(pages[0], "p0.txt", templates=learnt, known=stale)[0] == before
    assert len(calls) == 2


def test_a_known_site_without_a_template_reads_the_page_alone_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = site_page(1, promo=PROMO)
    alone = process_bytes(page, "p.txt")
    calls = _counting_articles(monkeypatch)
    known = (file_hash(page), "text:no such site")
    assert survey_bytes(page, "p.txt", templates={}, survey=False, known=known) == (alone, None)
    assert len(calls) == 1
