"""The search flow in Chromium, at desktop width and at 390 px (a phone)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def total(page) -> int:
    return int(page.locator("#total").inner_text())


def assert_fits_width(page) -> None:
    """Nothing forces sideways scrolling at this viewport."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_search_facet_page_sort_article(page, server_url: str, tmp_path: Path):
    page.goto(server_url + "/?per_page=2")
    assert page.locator(".landing [data-stat=articles]").inner_text() == "7"
    assert page.locator(".landing [data-stat=stories]").inner_text() == "6"

    page.fill("#q", "科技")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=*")
    assert page.input_value("#q") == "科技"
    assert page.locator("li.hit").count() == 2
    assert page.locator("li.hit .snippet mark").first.inner_text() == "科技"
    assert page.locator("li.hit .snippet mark").first.is_visible()
    everything = total(page)
    assert everything >= 5
    assert_fits_width(page)
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)

    first_page = page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)")
    page.click("nav.pager a[rel=next]")
    assert page.locator("nav.pager [aria-current=page]").inner_text() == "2"
    second_page = page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)")
    assert second_page and not set(first_page) & set(second_page)

    year = page.locator("section.facet[data-facet=year] li").first
    expected = int(year.locator(".count").inner_text())
    assert expected < everything
    year.locator("a").click()
    assert total(page) == expected
    assert page.locator("ul.chips a.chip").count() == 1
    assert page.locator("section.facet[data-facet=year] li.active").count() == 1

    page.click("ul.chips a.chip")
    assert total(page) == everything
    page.click("nav.sort a[data-sort=newest]")
    assert page.locator("nav.sort a[data-sort=newest]").get_attribute("aria-current") == "true"
    dates = page.locator("li.hit .date").all_inner_texts()
    assert dates == sorted(dates, reverse=True)

    title = page.locator("li.hit h3 a").first.inner_text()
    page.locator("li.hit h3 a").first.click()
    assert page.locator("article h1").inner_text().startswith(title)
    assert page.locator("article .body mark").count() >= 1
    assert_fits_width(page)
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    assert (tmp_path / "results.png").stat().st_size > 10_000
    assert (tmp_path / "article.png").stat().st_size > 10_000


def test_timeline_bar_filters_to_its_period(page, server_url: str):
    page.goto(server_url + "/?q=科技")
    bar = page.locator("figure.timeline a.bar").first
    period = bar.get_attribute("data-period")
    bar.click()
    assert page.locator("ul.chips a.chip").inner_text().startswith("月份：")
    assert f"month={period}" in page.url


def test_also_published_expands(page, server_url: str):
    page.goto(server_url + "/?q=科技")
    details = page.locator("li.hit details.also")
    assert details.count() == 1
    assert details.locator("summary").inner_text() == "另有 1 处转载"
    assert not details.locator("li").first.is_visible()
    details.locator("summary").click()
    assert details.locator("li").first.is_visible()


def test_hostile_page_stays_text(page, server_url: str):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server_url + "/?q=注入测试")
    assert "<img src=x onerror=alert(2)>" in page.locator("li.hit .snippet").inner_text()
    page.locator("li.hit h3 a").click()
    assert "<script>alert('xss')</script>" in page.locator("article .body").inner_text()
    assert dialogs == []
