"""Escaping and security headers.

A hostile page (`data/xss_page.txt`: <script>, <img onerror>, "><svg onload>) is indexed with
the seeds; its text must show up as text, never as live markup, in snippets, titles and the
article view. Only the engine's <mark> is trusted.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.web.conftest import ARTICLE, make_hit

EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def assert_nothing_live(page: BeautifulSoup) -> None:
    """No script but ours, no element from the article, no event handler anywhere."""
    assert [s.get("src") for s in page.find_all("script")] == ["/static/app.js"]
    assert page.find_all("img") == []
    assert page.select("svg") == page.select("figure.timeline svg, figure.regions-chart svg")
    for tag in page.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name


@pytest.mark.parametrize("path", ["/", "/articles/a1", "/api/search", "/nope", "/api/nope"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_engine_fields_are_escaped_except_the_snippet(client, fake):
    fake.result_overrides = {
        "query": EVIL,
        "hits": (make_hit(1, title=EVIL, sources=(EVIL,), site=EVIL),),
    }
    page = soup(client.get("/?q=x"))
    assert_nothing_live(page)
    hit = page.select_one("li.hit")
    assert hit.select_one("h3 a").text == EVIL
    assert hit.select_one(".site").text == EVIL


def test_query_is_escaped_in_box_title_and_messages(client, fake):
    fake.total = 0
    page = soup(client.get("/", query_string={"q": EVIL}))
    assert_nothing_live(page)
    assert page.select_one("input#q")["value"] == EVIL
    assert EVIL in page.select_one(".noresults").text
    assert EVIL in page.title.text


def test_article_metadata_is_escaped(client, fake):
    fake.articles["a1"] = {**ARTICLE, "title": EVIL, "site": EVIL, "sources": [EVIL], "path": EVIL}
    page = soup(client.get("/articles/a1"))
    assert_nothing_live(page)
    assert page.select_one("article h1").text.strip() == EVIL


def test_error_message_is_escaped(client):
    page = soup(client.get("/articles/" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
    assert_nothing_live(page)
    assert "<script>" in page.select_one(".error-message").text


# --- the hostile page through the real engine ----------------------------------------------


def test_hostile_page_snippet_is_text(real_client):
    body = real_client.get("/api/search?q=注入测试").get_json()
    assert body["total"] == 1
    snippet = body["hits"][0]["snippet_html"]
    fragment = BeautifulSoup(snippet, "html.parser")
    assert {t.name for t in fragment.find_all(True)} == {"mark"}
    assert "<script>alert('xss')</script>" in fragment.text
    assert "<img src=x onerror=alert(2)>" in fragment.text
    assert '"><svg onload=alert(3)>' in fragment.text


def test_hostile_title_is_text_with_only_the_query_marked(real_client):
    hit = real_client.get("/api/search?q=注入测试").get_json()["hits"][0]
    fragment = BeautifulSoup(hit["title_html"], "html.parser")
    assert [(t.name, t.text) for t in fragment.find_all(True)] == [("mark", "注入测试")]
    assert fragment.text == hit["title"] == "注入测试<script>alert('title')</script>专用页面"
    assert "&lt;script&gt;" in hit["title_html"]


def test_hostile_page_in_results_and_article_view(real_client):
    page = soup(real_client.get("/?q=注入测试"))
    assert_nothing_live(page)
    hit = page.select_one("li.hit")
    assert "<script>alert('title')</script>" in hit.select_one("h3 a").text
    assert "<img src=x onerror=alert(2)>" in hit.select_one(".snippet").text
    assert [m.text for m in hit.select(".snippet mark")] == ["注入测试", "注入测试"]
    assert [m.text for m in hit.select("h3 a mark")] == ["注入测试"]

    article = soup(real_client.get(hit.select_one("h3 a")["href"]))
    assert_nothing_live(article)
    body = article.select_one(".body").text
    assert "<script>alert('xss')</script>" in body
    assert '"><svg onload=alert(3)>' in body
    assert {t.name for t in article.select_one(".body").find_all(True)} == {"p", "mark"}


def test_hostile_original_file_is_not_html(real_client):
    hit = real_client.get("/api/search?q=注入测试").get_json()["hits"][0]
    response = real_client.get(f"/files/{hit['path']}")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
