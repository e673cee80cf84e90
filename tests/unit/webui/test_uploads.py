"""uploads: the pure parts of a write: the token check, the file name made safe, the
`replace` parameter, names cut by bytes, and the upload lock between processes. Storing
and indexing through the API is tested in tests/web/test_write_api*.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HANG_GUARD
from webui.errors import ApiError
from webui.uploads import (
    LOCK_NAME,
    MAX_NAME_BYTES,
    cut_utf8,
    exclusive,
    parse_replace,
    require_token,
    sanitise_filename,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("news.txt", "news.txt"),
        ("科技新闻.HTML", "科技新闻.html"),
        ("../../etc/科技新闻.txt", "科技新闻.txt"),
        ("C:\\dir\\page.htm", "page.htm"),
        ("a b;rm -rf.txt", "a_b_rm_-rf.txt"),
        ("...hidden.txt", "hidden.txt"),
        ("x" * 300 + ".txt", "x" * 116 + ".txt"),
        ("稀" * 300 + ".txt", "稀" * 65 + ".txt"),  # 195 + 4 bytes: cut by bytes
        ("a" + "稀" * 300 + ".txt", "a" + "稀" * 65 + ".txt"),  # never half a character
        ("𠀀" * 100 + ".htm", "𠀀" * 49 + ".htm"),  # four bytes each
    ],
)
def test_sanitise_filename(raw, expected):
    assert sanitise_filename(raw) == expected
    assert len(expected.encode("utf-8")) <= 200


@pytest.mark.parametrize("raw", ["", "   ", "a.php", "a.txt.exe", "..", "/", "___.txt"])
def test_sanitise_filename_refuses(raw):
    with pytest.raises(ApiError):
        sanitise_filename(raw)


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [("abc", 3, "abc"), ("abc", 2, "ab"), ("稀土", 6, "稀土"), ("稀土", 5, "稀"), ("稀土", 2, ""),
     ("a𠀀", 4, "a")],
)  # fmt: skip
def test_cut_utf8_never_splits_a_character(text: str, limit: int, cut: str) -> None:
    assert cut_utf8(text, limit) == cut
    assert len(cut.encode("utf-8")) <= limit


def test_a_sanitised_name_fits_the_byte_bound() -> None:
    assert len(sanitise_filename("稀" * 1000 + ".html").encode("utf-8")) <= MAX_NAME_BYTES


@pytest.mark.parametrize(
    ("raw", "want"),
    [(None, False), ("", False), ("0", False), ("false", False), (" No ", False),
     ("1", True), ("true", True), ("YES", True)],
)  # fmt: skip
def test_parse_replace(raw: str | None, want: bool) -> None:
    assert parse_replace(raw) is want


def test_parse_replace_refuses_anything_else() -> None:
    with pytest.raises(ApiError) as caught:
        parse_replace("maybe")
    assert caught.value.status == 400


@pytest.mark.parametrize(
    ("configured", "header", "status"),
    [(None, "Bearer t", 403), ("", "Bearer t", 403), ("t", "", 401), ("t", "Bearer u", 401),
     ("t", "Basic t", 401), ("t", "Bearer", 401)],
)  # fmt: skip
def test_require_token_refuses(configured: str | None, header: str, status: int) -> None:
    with pytest.raises(ApiError) as caught:
        require_token(configured, {"Authorization": header} if header else {})
    assert caught.value.status == status


@pytest.mark.parametrize("header", ["Bearer t", "bearer t", "BEARER  t "])
def test_require_token_accepts_the_configured_token(header: str) -> None:
    require_token("t", {"Authorization": header})  # returns: no error


def test_the_upload_lock_excludes_another_process(tmp_path: Path):
    """While one server process stores an upload, another cannot take the lock: two
    workers never both find a name free and both write it."""
    probe = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
        "except BlockingIOError:\n    sys.exit(3)\n"
    )
    pytest.importorskip("fcntl")
    with exclusive(tmp_path):
        held = subprocess.run(
            [sys.executable, "-c", probe, str(tmp_path / LOCK_NAME)], timeout=HANG_GUARD
        )
    free = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / LOCK_NAME)], timeout=HANG_GUARD
    )
    assert (held.returncode, free.returncode) == (3, 0)
