"""html_patterns: the element, attribute and meta-name data html_page.py and html_meta.py
read, held to its own invariants: lower-case names (the parser lowers tags and meta names),
no name in two roles, shares in range, and each regex matching what its comment says."""

from __future__ import annotations

import re

import pytest

from indexer.extract import html_patterns as PH
from tests.unit.extract.pages import assert_matches_only

NAME_LISTS = {
    "HTML_DROP": PH.HTML_DROP,
    "HTML_CHROME": PH.HTML_CHROME,
    "HTML_DATE_META": PH.HTML_DATE_META,
    "HTML_MODIFIED_META": PH.HTML_MODIFIED_META,
    "HTML_SOURCE_META": PH.HTML_SOURCE_META,
    "HTML_TITLE_META": PH.HTML_TITLE_META,
    "HTML_SITE_META": PH.HTML_SITE_META,
    "HTML_BLOCK": PH.HTML_BLOCK,
    "HTML_CANDIDATE": PH.HTML_CANDIDATE,
}


@pytest.mark.parametrize("name", NAME_LISTS)
def test_names_are_lower_case_and_listed_once(name: str) -> None:
    names = list(NAME_LISTS[name])
    assert names and all(n == n.lower().strip() for n in names)
    assert len(set(names)) == len(names)


def test_no_element_is_both_dropped_and_chrome_or_a_candidate() -> None:
    assert not set(PH.HTML_DROP) & set(PH.HTML_CHROME)
    assert not set(PH.HTML_DROP) & PH.HTML_CANDIDATE
    assert not set(PH.HTML_CHROME) & PH.HTML_CANDIDATE
    assert PH.HTML_CANDIDATE <= PH.HTML_BLOCK  # a candidate is a block


def test_a_meta_name_has_one_meaning() -> None:
    roles = (PH.HTML_DATE_META, PH.HTML_MODIFIED_META, PH.HTML_SOURCE_META,
             PH.HTML_TITLE_META, PH.HTML_SITE_META)  # fmt: skip
    seen = [name for role in roles for name in role]
    assert len(set(seen)) == len(seen)


def test_shares_are_fractions_and_lengths_positive() -> None:
    assert 0 < PH.MAX_HIDDEN_SHARE < 1 and 0 < PH.SIBLING_SHARE < 1
    assert 0 < PH.SIBLING_LINK_RATIO < 1
    assert PH.SIBLING_P_CHARS > 0 and PH.MAX_JSON_LD_CHARS > 0


@pytest.mark.parametrize(
    ("pattern", "hits", "misses"),
    [
        (PH.HTML_HIDDEN_STYLE, ["display:none", "color:red; DISPLAY : none"],
         ["visibility: hidden", "display: block"]),
        (PH.HTML_CHROME_HINT, ["nav", "top-nav", "site_footer", "share bar", "comments", "ad"],
         ["article", "content", "navigation", "masthead", "adjust", "shadow"]),
        (PH.PAGE_END_TAG, ["</html>", "</ BODY >"], ["<body>", "</bodyx"]),
        (PH.HTML_ACCOUNT_HINT, ["js_name", "profile_nickname", "account_name", "account-name"],
         ["js_name_x", "title"]),
    ],
)  # fmt: skip
def test_shapes_match_their_examples_and_only_them(
    pattern: re.Pattern[str], hits: list[str], misses: list[str]
) -> None:
    assert_matches_only(pattern, hits, misses)


@pytest.mark.parametrize(
    ("script", "stamp"),
    [
        ('var ct = "1712215800";', "1712215800"),
        ("publish_time: 1712215800,", "1712215800"),
        ("createTime='1712215800'", "1712215800"),
        ('var ct = "17122158001";', None),  # eleven digits: not a Unix time in seconds
        ('var cost = "1712215800";', None),  # another variable
    ],
)
def test_script_timestamp(script: str, stamp: str | None) -> None:
    m = PH.SCRIPT_TIMESTAMP.search(script)
    assert (m.group(1) if m else None) == stamp


@pytest.mark.parametrize(
    ("script", "date"),
    [
        ('window.DATA = {"media":"某报","pubtime":"2018-06-13 07:12:02",', "2018-06-13 07:12:02"),
        ("pubDate: '2018-06-13',", "2018-06-13"),
        ('var publish_time = "2018-6-3 7:02";', "2018-6-3 7:02"),
        ('"publishDate":"2018-06-13T07:12:02+08:00"', "2018-06-13T07:12:02"),
        ('update_time:"2018-06-13 07:12:02"', None),  # an update, not the publication
        ('create_time:"2018-06-13"', None),  # a record's creation
        ('pubtime:"2018-06-13x"', None),  # not a date-time alone
        ('subpubtime:"2018-06-13"', None),  # another name
    ],
)
def test_script_date(script: str, date: str | None) -> None:
    m = PH.SCRIPT_DATE.search(script)
    assert (m.group(1) if m else None) == date


def test_json_ld_names_the_script_type_and_article_kinds() -> None:
    assert PH.JSON_LD_TYPE == "application/ld+json"
    assert {"NewsArticle", "Article"} <= PH.JSON_LD_ARTICLE_TYPES
