"""`python -m webui`: configuration precedence, and a real waitress process serving the page."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from tests.helpers import HANG_GUARD, webui_process
from webui import create_app
from webui.__main__ import build_parser


def test_defaults_bind_to_localhost(monkeypatch):
    for var in ("NEWS_INDEX", "NEWS_CORPUS", "NEWS_HOST", "NEWS_PORT", "NEWS_API_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.index, args.corpus, args.token) == (
        "127.0.0.1",
        5000,
        "var/index",
        "seeds",
        None,
    )


def test_environment_overrides_defaults_and_flags_override_environment(monkeypatch):
    monkeypatch.setenv("NEWS_HOST", "0.0.0.0")
    monkeypatch.setenv("NEWS_PORT", "7000")
    monkeypatch.setenv("NEWS_INDEX", "/env/index")
    monkeypatch.setenv("NEWS_API_TOKEN", "env-token")
    from_env = build_parser().parse_args([])
    assert (from_env.host, from_env.port, from_env.index, from_env.token) == (
        "0.0.0.0",
        7000,
        "/env/index",
        "env-token",
    )
    flags = build_parser().parse_args(["--port", "6000", "--index", "/flag/index", "--token", "t"])
    assert (flags.port, flags.index, flags.token) == (6000, "/flag/index", "t")


def test_create_app_config_beats_environment(monkeypatch):
    monkeypatch.setenv("NEWS_INDEX", "/env/index")
    monkeypatch.setenv("NEWS_MAX_UPLOAD_BYTES", "1234")
    assert create_app().config["INDEX"] == "/env/index"
    assert create_app().config["MAX_CONTENT_LENGTH"] == 1234
    assert create_app({"INDEX": "/code/index"}).config["INDEX"] == "/code/index"


def test_module_serves_with_waitress_on_the_port_it_bound(real_index: Path, real_corpus: Path):
    """`--port 0`: the kernel picks the port, the "serving" line names it, and the server
    answers there at once (the line is logged after the socket listens)."""
    with webui_process(real_index, real_corpus) as (port, output):
        assert port > 0
        assert f"serving http://127.0.0.1:{port}/" in output.text()
        url = f"http://127.0.0.1:{port}/api/search?q=%E7%A8%80%E5%9C%9F"
        with urllib.request.urlopen(url, timeout=HANG_GUARD) as response:
            assert response.status == 200
            assert response.headers["Server"] == "nmg-news-search"
            assert json.loads(response.read())["total"] > 0
