"""The subscribe and export links follow the query and its filters to working URLs."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_subscribe_and_export_links_carry_query_and_filter(page, server_url: str):
    page.goto(server_url + "/?q=科技")
    page.locator("section.facet[data-facet=source] li a").first.click()
    page.wait_for_url("**source=*")
    state = parse_qsl(urlsplit(page.url).query)
    assert ("q", "科技") in state and any(k == "source" for k, _ in state)

    feed = page.locator("a.feed")
    assert feed.inner_text() == "订阅"
    head = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    feed_url = urlsplit(page.evaluate("el => el.href", feed.element_handle()))
    assert feed_url.path == "/feed.atom"
    assert parse_qsl(feed_url.query) == state
    assert head.get_attribute("href") == feed.get_attribute("href")

    exports = page.locator("a.export")
    assert exports.count() == 2
    for i, fmt in enumerate(("csv", "jsonl")):
        url = urlsplit(exports.nth(i).evaluate("el => el.href"))
        assert url.path == "/api/export"
        assert parse_qsl(url.query) == [*state, ("format", fmt)]

    answer = page.request.get(feed_url.geturl())
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    csv = page.request.get(exports.nth(0).evaluate("el => el.href"))
    assert csv.status == 200
    assert csv.body().startswith("\ufeffid,title,".encode())
