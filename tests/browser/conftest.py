"""A real server over a real index, and a real Chromium, for the browser tests.

The index is built once per session from seeds/ plus the hostile test page, into a temporary
directory; waitress serves `create_app` on a free 127.0.0.1 port from a background thread.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import HANG_GUARD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPUBLISHED = "001_1f1a6dd37abbff0e.txt"
XSS_PAGE = Path(__file__).resolve().parent.parent / "web" / "data" / "xss_page.txt"


@pytest.fixture(scope="session")
def server_url(tmp_path_factory, seeds_dir: Path) -> Iterator[str]:
    from waitress.server import create_server

    from indexer.write import build
    from webui import create_app

    root = tmp_path_factory.mktemp("browser")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in seeds_dir.iterdir():
        if path.is_file():
            shutil.copy(path, corpus / path.name)
    shutil.copy(XSS_PAGE, corpus / XSS_PAGE.name)
    # A second portal republishing one story, so "also published at" has something to show.
    (corpus / "republished").mkdir()
    shutil.copy(seeds_dir / REPUBLISHED, corpus / "republished" / REPUBLISHED)
    build(corpus, root / "index")
    app = create_app({"INDEX": str(root / "index"), "CORPUS": str(corpus)})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=HANG_GUARD)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found; run `apt-get install -y chromium fonts-noto-cjk` as root "
            "(.ci/run does) to include them"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=HANG_GUARD * 1000
        )
        yield browser
        browser.close()


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone-390"])
def page(request, browser):
    """A fresh page at each viewport; console errors (CSP violations included) fail the test."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    # Each wait (a navigation, an element) ends as soon as it is met; the bound only stops a
    # hung test, so a slow machine's Chromium is not a failure.
    page.set_default_timeout(HANG_GUARD * 1000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.width = width
    yield page
    context.close()
    assert errors == []
