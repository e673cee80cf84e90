"""The page works with JavaScript switched off: a GET form and plain links."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_without_javascript(browser, server_url: str):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server_url + "/")
        page.fill("#q", "稀土")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_url("**/?q=*")
        assert int(page.locator("#total").inner_text()) >= 1
        assert page.locator("li.hit .snippet mark").first.inner_text() == "稀土"
        page.fill("#from", "2023-01-01")
        page.fill("#to", "2023-12-31")
        page.click("form.daterange button[type=submit]")
        assert "from=2023-01-01" in page.url and "q=%E7%A8%80%E5%9C%9F" in page.url
        assert page.locator("ul.chips a.chip").count() == 2
    finally:
        context.close()
