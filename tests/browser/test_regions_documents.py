"""The region chart, the document links and related stories in Chromium."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.browser


def png_facts(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values of the decoded rows) of a PNG screenshot."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def test_region_chart_draws_counts_and_filters(page, server_url: str, tmp_path: Path):
    page.goto(server_url + "/?q=科技")
    chart = page.locator("figure.regions-chart")
    assert chart.is_visible()
    bars = chart.locator("a.bar")
    facet = page.locator("section.facet[data-facet=region] li")
    assert bars.count() == facet.count() >= 4
    counts = [int(c) for c in chart.locator("text.count").all_text_contents()]
    assert counts == sorted(counts, reverse=True)
    widths = [bars.nth(i).locator("rect").bounding_box()["width"] for i in range(bars.count())]
    assert widths == sorted(widths, reverse=True) and widths[-1] > 0
    box = chart.locator("svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.width
    for i in range(bars.count()):  # every label is inside the chart, left of its bar
        label = bars.nth(i).locator("text.label").bounding_box()
        assert label["x"] >= box["x"] - 1 and label["width"] > 0
    shot = tmp_path / "regions.png"
    chart.screenshot(path=str(shot))
    width, height, shades = png_facts(shot)
    scale = page.evaluate("window.devicePixelRatio")
    chart_box = chart.bounding_box()
    assert abs(width - chart_box["width"] * scale) <= 2 * scale
    assert abs(height - chart_box["height"] * scale) <= 2 * scale
    assert shades > 8  # bars, labels and background, not a blank picture

    name = bars.first.get_attribute("data-region")
    expected = counts[0]
    bars.first.click()
    page.wait_for_url("**region=*")
    assert ("region", name) in parse_qsl(urlsplit(page.url).query)
    assert int(page.locator("#total").inner_text()) == expected
    assert page.locator("ul.chips a.chip").inner_text().startswith(f"地区：{name}")
    assert page.locator("figure.regions-chart a.bar.active").get_attribute("data-region") == name


def test_titles_mark_the_query(page, server_url: str):
    page.goto(server_url + "/?q=科技")
    marks = page.locator("li.hit h3 a mark")
    assert marks.count() >= 1 and marks.first.inner_text() == "科技"
    assert marks.first.is_visible()


def test_article_documents_link_to_their_filter_and_related_stories(
    page, server_url: str, tmp_path: Path
):
    page.goto(server_url + "/?q=呼包鄂乌")
    page.locator("li.hit h3 a").first.click()
    page.wait_for_url("**/articles/*")
    article_id = page.locator("article").get_attribute("data-id")
    copies = page.locator("section.copies li a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    related = page.locator("section.related li a")
    assert 1 <= related.count() <= 5
    hrefs = related.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert f"/articles/{article_id}" not in hrefs and not set(copies) & set(hrefs)
    documents = page.locator("section.documents li a")
    assert documents.count() >= 2
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    assert png_facts(tmp_path / "article.png")[2] > 8

    value = documents.first.get_attribute("data-document")
    documents.first.click()
    page.wait_for_url("**document=*")
    assert parse_qsl(urlsplit(page.url).query) == [("document", value)]
    assert page.locator("ul.chips a.chip").inner_text().startswith("政策文件：")
    ids = page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)")
    assert article_id in ids


def test_region_chart_works_without_javascript(browser, server_url: str):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server_url + "/?q=稀土")
        bar = page.locator("figure.regions-chart a.bar").first
        name = bar.get_attribute("data-region")
        count = int(bar.locator("text.count").text_content())
        bar.click()
        page.wait_for_url("**region=*")
        assert int(page.locator("#total").inner_text()) == count
        assert ("region", name) in parse_qsl(urlsplit(page.url).query)
    finally:
        context.close()
