"""`python -m webui`: configuration precedence, and a real waitress process serving the page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from webui import create_app
from webui.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[2]


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_module_serves_with_waitress(real_index: Path, real_corpus: Path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "webui", "--index", str(real_index), "--corpus", str(real_corpus)]
        + ["--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/search?q=%E7%A8%80%E5%9C%9F"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.headers["Server"] == "nmg-news-search"
                    assert b'"total":' in response.read()
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"server did not start: {proc.stdout.read1().decode()}")
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
