"""pipeline: file -> Article or Skipped, corpus walking, ids and hashes; the CLI's edge.
Generated pages: test_pipeline_pages.py; the per-page budget: test_pipeline_budget.py."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import cli
from indexer.extract.pipeline import (
    MAX_FILE_BYTES,
    article_id,
    content_hash,
    iter_corpus,
    process_bytes,
    process_file,
)
from indexer.models import Article, Skipped
from tests.helpers import HANG_GUARD
from tests.unit.extract.pages import PROSE

ROOT = Path(__file__).resolve().parents[3]


def test_article_id_is_blake2b_of_relpath() -> None:
    assert article_id("a/b.txt") == hashlib.blake2b(b"a/b.txt", digest_size=8).hexdigest()
    assert len(article_id("x")) == 16


def test_content_hash_ignores_width_script_and_spacing() -> None:
    expected = hashlib.sha256("科技创新,r&d".encode()).hexdigest()
    assert content_hash("科技 創新，Ｒ＆Ｄ") == content_hash("科技创新,\nR&D") == expected


def test_max_file_bytes() -> None:
    assert MAX_FILE_BYTES == 20 * 1024 * 1024


def test_iter_corpus_sorted_recursive_without_hidden_or_temp(tmp_path: Path) -> None:
    names = [
        "b.txt",
        "a.html",
        "sub/c.htm",
        "sub/deep/d.TXT",
        ".hidden.txt",
        ".git/e.txt",
        "f.txt.part",
        "g.tmp",
        "h.txt~",
        "i.pdf",
        "j.json",
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_corpus(tmp_path)]
    assert found == ["a.html", "b.txt", "sub/c.htm", "sub/deep/d.TXT"]


def test_process_bytes_gives_article_with_hashes() -> None:
    data = f"标题在此处\n2024-01-02 来源:甲报\n{PROSE}".encode("gbk")
    result = process_bytes(data, "sub/p.txt")
    assert isinstance(result, Article)
    assert (result.id, result.path, result.title, result.published, result.sources) == (
        article_id("sub/p.txt"),
        "sub/p.txt",
        "标题在此处",
        "2024-01-02",
        ("甲报",),
    )
    assert result.body == PROSE
    assert result.encoding == "gb18030"
    assert result.file_hash == hashlib.sha256(data).hexdigest()
    assert result.content_hash == content_hash(PROSE)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01binary", "binary file (contains NUL bytes)"),
        (b"\x80\xff\x80", "not text: neither UTF-8 nor GB18030"),
        ("• 首页\n• 新闻\n上一篇:没有了".encode(), "no article text found"),
        (b"<html><body><script>x()</script></body></html>", "no article text found"),
        (b"<html><head><title>t</title>", "no article text found"),
    ],
)
def test_process_bytes_skips_with_reason(data: bytes, reason: str) -> None:
    result = process_bytes(data, "x.html")
    assert result == Skipped(
        path="x.html", reason=reason, file_hash=hashlib.sha256(data).hexdigest()
    )


def test_process_file_relpath_from_corpus_root(tmp_path: Path) -> None:
    (tmp_path / "portal").mkdir()
    page = tmp_path / "portal" / "p.txt"
    page.write_text(f"标题在此处\n日期:2024-01-02\n{PROSE}", encoding="utf-8")
    result = process_file(page, tmp_path)
    assert isinstance(result, Article)
    assert (result.path, result.id) == ("portal/p.txt", article_id("portal/p.txt"))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing.txt", "cannot read file: No such file or directory"),
        ("adir", "is a directory"),
    ],
)
def test_process_file_never_raises_for_bad_paths(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / "adir").mkdir()
    assert process_file(tmp_path / name, tmp_path) == Skipped(path=name, reason=reason)


def test_process_file_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert process_file(fifo, tmp_path) == Skipped(path="pipe.txt", reason="not a regular file")


def test_process_file_skips_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = process_file(big, tmp_path)
    assert isinstance(result, Skipped)
    assert result.reason == f"file too large (52428800 bytes; limit {MAX_FILE_BYTES})"


@pytest.mark.parametrize(
    ("name", "title", "published"),
    [
        ("menu_block.txt", "包头市建成稀土新材料中试基地", "2024-03-02"),
        ("footer_block.txt", "呼伦贝尔市推广黑土地保护性耕作技术", "2023-05-18T09:00"),
        ("repeated_body.txt", "乌兰察布市大数据产业发展提速", "2023-09-01T10:30"),
        ("gbk_page.txt", "赤峰市举办科技成果展", "2023-12-05"),
        ("bom_page.txt", "阿拉善盟开展沙产业技术培训", "2024-01-15T14:00"),
        ("traditional_pinyin.txt", "包頭高新區舉辦創新創業大賽", "2023-07-11"),
        ("no_title.txt", "锡林郭勒盟近日启动智慧牧场建设试点", "2024-06-01"),
        ("no_date.txt", "兴安盟培育农业科技示范户", None),
        ("news_page.html", "赤峰市出台支持科技型企业发展若干措施", "2024-03-08T09:30"),
        ("gb2312_declared_utf8.html", "乌海市举办科技成果转化对接会", "2023-06-16"),
        ("truncated.html", "二连浩特口岸科技通关改革", "2024-08-08"),
    ],
)
def test_fixture_pages(fixtures_dir: Path, name: str, title: str, published: str | None) -> None:
    result = process_file(fixtures_dir / name, fixtures_dir)
    assert isinstance(result, Article)
    assert (result.title, result.published) == (title, published)
    assert result.title_inferred is (name == "no_title.txt")


@pytest.mark.parametrize(
    ("name", "first", "last", "absent"),
    [
        ("menu_block.txt", "包头市稀土新材料", "50项以上。", ["网站首页", "科技动态"]),
        ("footer_block.txt", "今年,呼伦贝尔市", "落实到位。", ["上一篇", "编辑", "ICP", "地址"]),
        ("repeated_body.txt", "今年上半年", "数据中心集聚区。", ["长辈版", "发展提速"]),
        ("traditional_pinyin.txt", "本次大賽", "二等獎4個。", ["(xiàng)", "首頁", "achie"]),
        (
            "news_page.html",
            "近日,赤峰市",
            "突破300家。",
            ["责任编辑", "相关新闻", "分享到", "a1.jpg"],
        ),
    ],
)
def test_fixture_bodies(
    fixtures_dir: Path, name: str, first: str, last: str, absent: list[str]
) -> None:
    result = process_file(fixtures_dir / name, fixtures_dir)
    assert isinstance(result, Article)
    assert result.body.startswith(first)
    assert result.body.endswith(last)
    assert result.body.count(last) == 1
    assert [a for a in absent if a in result.body] == []


BAD = ["empty.txt", "whitespace_only.txt", "binary_page.txt", "undecodable.txt", "menu_only.txt"]


def test_cli_reports_bad_files_one_line_each(
    fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(fixtures_dir / n) for n in [*BAD, "gbk_page.txt", "truncated.html"]]
    assert cli.main(["extract", *paths]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [json.loads(line) for line in out]
    assert [(r["path"], r.get("error")) for r in rows] == [
        ("empty.txt", "empty file"),
        ("whitespace_only.txt", "empty file (whitespace only)"),
        ("binary_page.txt", "binary file (contains NUL bytes)"),
        ("undecodable.txt", "not text: neither UTF-8 nor GB18030"),
        ("menu_only.txt", "no article text found"),
        ("gbk_page.txt", None),
        ("truncated.html", None),
    ]


def test_cli_exit_code_nonzero_only_when_every_file_failed(
    fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["extract", *(str(fixtures_dir / n) for n in BAD)]) == 1
    assert len(capsys.readouterr().out.splitlines()) == len(BAD)


def test_cli_subprocess_large_and_bad_files_no_traceback(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    paths = [big, fixtures_dir / "empty.txt", fixtures_dir / "binary_page.txt", tmp_path / "nope"]
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "extract", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [json.loads(line)["error"] for line in proc.stdout.splitlines()]
    assert errors == [
        f"file too large (52428800 bytes; limit {MAX_FILE_BYTES})",
        "empty file",
        "binary file (contains NUL bytes)",
        "cannot read file: No such file or directory",
    ]
