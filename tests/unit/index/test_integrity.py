"""Checksums of a generation's latest commit: what a damaged, missing or stale file reads as."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from indexer.index import integrity
from indexer.index.integrity import RECORD, record, verify


@pytest.fixture
def gen(tmp_path: Path) -> Path:
    """A generation with one TOC and one segment's files, recorded."""
    (tmp_path / "_MAIN_1.toc").write_bytes(b"toc")
    (tmp_path / "MAIN_seg1.seg").write_bytes(b"segment bytes")
    record(tmp_path, 1, ["MAIN_seg1"])
    return tmp_path


def test_a_recorded_generation_is_sound(gen: Path) -> None:
    v = verify(gen, full=True)
    assert v.sound and v.files == 2 and v.bytes == len(b"toc") + len(b"segment bytes")


def test_a_changed_size_is_damage_even_without_hashing(gen: Path) -> None:
    (gen / "MAIN_seg1.seg").write_bytes(b"short")
    assert verify(gen).problems == ("MAIN_seg1.seg: 5 bytes where 13 were written",)


def test_same_size_other_bytes_is_found_by_the_hash_when_the_mtime_moved(gen: Path) -> None:
    path = gen / "MAIN_seg1.seg"
    st = path.stat()
    path.write_bytes(b"SEGMENT BYTES")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # a quiet flip: mtime kept
    assert verify(gen).sound  # the cheap check trusts size and mtime
    assert "checksum mismatch" in verify(gen, full=True).problems[0]
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert "checksum mismatch" in verify(gen).problems[0]


def test_a_missing_file_and_an_unreadable_record_are_problems(gen: Path) -> None:
    (gen / "MAIN_seg1.seg").unlink()
    assert verify(gen).problems == ("MAIN_seg1.seg: missing",)
    (gen / RECORD).write_text("{not json")
    assert verify(gen).problems[0].startswith(f"{RECORD}: unreadable")


def test_no_record_is_a_problem_only_when_one_is_required(tmp_path: Path) -> None:
    (tmp_path / "_MAIN_1.toc").write_bytes(b"toc")
    assert verify(tmp_path, require=False).sound
    assert not verify(tmp_path).sound


def test_a_later_commit_hashes_only_what_it_wrote(
    gen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    real = integrity.file_sha256
    monkeypatch.setattr(integrity, "file_sha256", lambda p: hashed.append(p.name) or real(p))
    (gen / "_MAIN_2.toc").write_bytes(b"toc2")
    record(gen, 2, ["MAIN_seg1"])
    assert hashed == ["_MAIN_2.toc"]
    assert json.loads((gen / RECORD).read_text())["generation"] == 2


def test_a_segments_saved_arrays_are_no_recorded_file(tmp_path: Path) -> None:
    """The reader's `.prt` cache may be written or rewritten after a commit (it checks
    itself on loading): the record leaves it and its temporary files out."""
    (tmp_path / "_MAIN_1.toc").write_bytes(b"toc")
    (tmp_path / "MAIN_seg1.seg").write_bytes(b"segment bytes")
    (tmp_path / "MAIN_seg1.prt").write_bytes(b"arrays")
    (tmp_path / "MAIN_seg1.prt.123.tmp").write_bytes(b"half")
    record(tmp_path, 1, ["MAIN_seg1"])
    (tmp_path / "MAIN_seg1.prt").write_bytes(b"arrays written again")
    v = verify(tmp_path, full=True)
    assert v.sound and v.files == 2
