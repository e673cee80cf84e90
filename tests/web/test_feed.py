"""The Atom feed of a search: valid Atom read back by feedparser, ids from article ids,
newest first, hostile titles as text, and 304 for an unchanged index."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
from bs4 import BeautifulSoup

from webui.feed import ATOM_NS, FEED_PER_PAGE, entry_id


def _feed(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_feed_lists_newest_first_with_ids_from_articles(real_client):
    parsed = _feed(real_client.get("/feed.atom"))
    api = real_client.get(f"/api/search?sort=newest&per_page={FEED_PER_PAGE}").get_json()
    assert [e.id for e in parsed.entries] == [entry_id(h["id"]) for h in api["hits"]]
    assert len(parsed.entries) == min(api["total"], FEED_PER_PAGE)
    first = api["hits"][0]
    assert parsed.entries[0].link == f"http://localhost/articles/{first['id']}"
    assert parsed.entries[0].title == first["title"]
    dated = [e.published for e in parsed.entries if "published" in e]
    assert dated == sorted(dated, reverse=True)


def test_feed_self_and_alternate_links(real_client):
    parsed = _feed(real_client.get("/feed.atom?q=科技&source=内蒙古日报"))
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"].startswith("http://localhost/feed.atom?q=")
    assert links["alternate"].startswith("http://localhost/?q=")
    assert links["self"].split("?", 1)[1] == links["alternate"].split("?", 1)[1]
    assert parsed.feed.title == "内蒙古新闻检索：科技"
    for entry in parsed.entries:
        assert "内蒙古日报" in [a.name for a in entry.authors]


def test_feed_hostile_page_is_text(real_client):
    response = real_client.get("/feed.atom?q=注入测试")
    parsed = _feed(response)
    assert len(parsed.entries) == 1
    entry = parsed.entries[0]
    assert "<script>alert('title')</script>" in entry.title
    assert entry.title_detail.type == "text/plain"
    assert "<img src=x onerror=alert(2)>" in entry.summary
    # Only Atom elements in the document: nothing from the page became markup.
    root = ET.fromstring(response.data)
    assert {el.tag.split("}")[0] for el in root.iter()} == {"{" + ATOM_NS}


def test_feed_per_page_default_and_limit(client, fake):
    client.get("/feed.atom?q=科技")
    client.get("/feed.atom?q=科技&per_page=100")
    assert [(r.sort, r.per_page) for r in fake.requests] == [
        ("newest", FEED_PER_PAGE),
        ("newest", 100),
    ]
    assert client.get("/feed.atom?per_page=101").status_code == 400


def test_feed_answers_304_for_unchanged_index(real_client):
    first = real_client.get("/feed.atom?q=科技")
    etag = first.headers["ETag"]
    modified = first.headers["Last-Modified"]
    again = real_client.get("/feed.atom?q=科技", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    since = real_client.get("/feed.atom?q=科技", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = real_client.get("/feed.atom?q=科技", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_search_page_links_its_feed(client):
    page = BeautifulSoup(client.get("/?q=科技&source=内蒙古日报").data, "html.parser")
    head = page.select_one('head link[rel=alternate][type="application/atom+xml"]')
    assert head["href"] == "/feed.atom?q=科技&source=内蒙古日报"
    visible = page.select_one("a.feed")
    assert visible.text == "订阅"
    assert visible["href"] == head["href"]
