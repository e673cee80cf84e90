"""Data only: the elements, attributes and meta names by which html_page.py finds an HTML
page's article and html_meta.py reads what its head states outright.

Kept apart from patterns.py, whose line kinds text and HTML pages share once a page is lines.
"""

from __future__ import annotations

import re

# HTML: elements that never hold article text, and those that are page chrome whose text
# still tells us the site (footers) but must not become body.
HTML_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "button",
    "select",
    "option",
    "input",
    "textarea",
    "object",
    "embed",
)
# Elements the reader never sees. "visibility: hidden" is left alone: WeChat pages ship the
# whole article that way and reveal it with script.
HTML_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
MAX_HIDDEN_SHARE = 0.5  # a hidden element holding more of the page than this may be the article
HTML_CHROME = ("nav", "aside", "header", "footer", "form", "menu")
HTML_CHROME_HINT = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|footer|foot|sidebar|side|breadcrumb|crumb|"
    r"share|related|recommend|copyright|banner|toolbar|topbar|login|search|comments?|reply|"
    r"pinglun|ad|ads|advert)(?:$|[\s_-])",
    re.I,
)
PAGE_END_TAG = re.compile(r"</\s*(?:html|body)\s*>", re.I)
HTML_BLOCK = frozenset(
    "address article aside blockquote body dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody "
    "td th thead tfoot tr ul center br".split()
)
SIBLING_SHARE = 0.2  # a sibling block scoring this share of the best one continues the article
SIBLING_P_CHARS = 80  # a bare <p> sibling this long (and not link text) does too
SIBLING_LINK_RATIO = 0.25
HTML_CANDIDATE = frozenset("div article main section td body".split())
HTML_DATE_META = (
    "article:published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "publishtime",
    "og:release_date",
    "dc.date",
    "dc.date.issued",
    "firstpublishedtime",
    "datepublished",
    "published_time",
    "releasedate",
    "publishedtime",
)
# Meta tags naming when a page was last changed: trusted only where they agree with the
# month and day a year-less byline shows.
HTML_MODIFIED_META = (
    "dateupdate",
    "datemodified",
    "article:modified_time",
    "og:updated_time",
    "lastmodified",
)
HTML_SOURCE_META = ("contentsource", "source", "og:article:source", "article:source")
# Where platform pages put the account's name: an element id or class.
HTML_ACCOUNT_HINT = re.compile(r"^js_name$|nickname|account[_-]?name", re.I)
# A Unix publication time assigned in a page script (var ct = "1712215800").
SCRIPT_TIMESTAMP = re.compile(
    r"\b(?:ct|create_time|createTime|publish_time|publishTime|pubtime)\s*[=:]\s*[\"']?(\d{10})\b"
)
# A publication date a page script assigns as text, in the data object a page renders
# from ({"pubtime":"2018-06-13 07:12:02"}, pubDate: '2018-06-13'): the key names a
# publication, never a creation or an update.
SCRIPT_DATE = re.compile(
    r"\b(?:publish_?time|publish_?date|pub_?time|pub_?date)[\"']?\s*[=:]\s*[\"']"
    r"(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)[\"'+Z ]",
    re.I,
)
# Titles CMSes state outright: Open Graph, Twitter cards, government CMS "ArticleTitle".
HTML_TITLE_META = ("og:title", "twitter:title", "articletitle", "headline", "dc.title")
JSON_LD_TYPE = "application/ld+json"
JSON_LD_ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"}
)
MAX_JSON_LD_CHARS = 200_000  # a larger blob is not an article's metadata
HTML_SITE_META = ("og:site_name", "sitename", "site_name", "application-name")
