"""load: bytes -> RawPage. Decoding by the bytes (BOM, strict UTF-8, GB18030), never by
the page's own charset claim; non-text refused with a reason."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from indexer.extract.load import (
    UnreadablePage,
    decode,
    file_hash,
    load_bytes,
    page_kind,
    read_limited,
)
from indexer.extract.patterns import MAX_FILE_BYTES

TEXT = "科技创新,内蒙古。"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (TEXT.encode("utf-8"), TEXT, "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT, "utf-8-sig"),
        (TEXT.encode("gbk"), TEXT, "gb18030"),
        (TEXT.encode("gb18030"), TEXT, "gb18030"),
        ("鄔軍軍說(R&D)".encode("gb18030"), "鄔軍軍說(R&D)", "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), TEXT, "utf-16"),
        (b"plain ascii", "plain ascii", "utf-8"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
        (b"\x80\xff\x80 abc", "not text: neither UTF-8 nor GB18030"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "bytes do not match their utf-8-sig byte-order mark"),
        (b"abc\x01\x02\x03\x04\x05\x06def", "binary file (control characters in decoded text)"),
    ],
)
def test_decode_refuses_non_text(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadablePage) as info:
        decode(data)
    assert str(info.value) == reason


def test_utf8_bytes_under_gb2312_declaration_decode_as_utf8() -> None:
    page = '<meta charset="gb2312"><p>科技创新</p>'.encode()
    assert decode(page) == ('<meta charset="gb2312"><p>科技创新</p>', "utf-8")


@pytest.mark.parametrize(
    ("relpath", "data", "kind"),
    [
        ("a/b.html", b"<p>anything</p>", "html"),
        ("a/b.html", "标题\n发布时间:2024-01-02\n正文 a<b".encode(), "text"),
        ("a/b.HTM", b"<!DOCTYPE html>anything", "html"),
        ("a/b.txt", b"  <!DOCTYPE html><html>", "html"),
        ("a/b.txt", codecs.BOM_UTF8 + b"<html><body>", "html"),
        ("a/b.txt", "标题\n正文".encode(), "text"),
        ("a/b.txt", "- 首页 <b>".encode(), "text"),
    ],
)
def test_page_kind(relpath: str, data: bytes, kind: str) -> None:
    assert page_kind(relpath, data) == kind


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t ", "empty file"),
        ("\u3000\n".encode(), "empty file (whitespace only)"),
    ],
)
def test_load_bytes_refuses_empty(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadablePage) as info:
        load_bytes(data, "x.txt")
    assert str(info.value) == reason


def test_load_bytes_records_path_kind_encoding_and_hash() -> None:
    data = TEXT.encode("gbk")
    page = load_bytes(data, "sub/page.txt")
    assert (page.path, page.text, page.kind, page.encoding) == (
        "sub/page.txt",
        TEXT,
        "text",
        "gb18030",
    )
    assert page.file_hash == file_hash(data)
    assert file_hash(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_read_limited_refuses_large_file_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(UnreadablePage) as info:
        read_limited(big)
    assert str(info.value) == f"file too large ({50 * 1024 * 1024} bytes; limit {MAX_FILE_BYTES})"


def test_read_limited_reads_file_at_limit(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_bytes(TEXT.encode())
    assert read_limited(path) == TEXT.encode()


@pytest.mark.parametrize(
    ("name", "text", "encoding"),
    [
        ("gbk_page.txt", "赤峰市举办科技成果展", "gb18030"),
        ("bom_page.txt", "阿拉善盟开展沙产业技术培训", "utf-8-sig"),
        ("gb2312_declared_utf8.html", "乌海市举办科技成果转化对接会", "utf-8"),
    ],
)
def test_fixture_encodings(fixtures_dir: Path, name: str, text: str, encoding: str) -> None:
    page = load_bytes((fixtures_dir / name).read_bytes(), name)
    assert page.encoding == encoding
    assert text in page.text
    assert not page.text.startswith("\ufeff")


def test_gb18030_with_a_few_invalid_bytes_is_read_with_replacement() -> None:
    good = ("内蒙古自治区科技厅发布科技创新政策，" * 40).encode("gb18030")
    data = good[:300] + b"\xff" + good[300:600] + b"\x80\xff" + good[600:]
    text, encoding = decode(data)
    assert text.count("\ufffd") == 3  # one per invalid byte
    assert encoding == "gb18030 (3 invalid bytes replaced)"
    assert "科技创新政策" in text


def test_a_short_flash_with_two_invalid_bytes_is_read_with_replacement() -> None:
    good = "某某局召开会议\n2024-03-05\n美联储宣布维持利率不变，市场反应平稳。".encode("gb18030")
    data = good[:4] + b"\xff" + good[4:8] + b"\xff" + good[8:]  # both in the headline
    text, encoding = decode(data)
    assert encoding == "gb18030 (2 invalid bytes replaced)"
    assert "美联储宣布维持利率不变" in text


def test_random_high_bytes_are_still_not_text() -> None:
    data = bytes(range(0x80, 0x100)) * 4  # no NUL, no control character, no text
    with pytest.raises(UnreadablePage, match="not text"):
        decode(data)


def test_many_invalid_bytes_are_still_not_text() -> None:
    good = ("内蒙古自治区科技厅发布科技创新政策，" * 40).encode("gb18030")
    data = b"\xff".join(good[i : i + 20] for i in range(0, len(good), 20))
    with pytest.raises(UnreadablePage, match="not text"):
        decode(data)
