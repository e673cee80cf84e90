"""`check` over a hand-made generation (index/check.py): what it reports for a sound one,
an unrecorded last commit, damaged files and a damaged or outdated manifest. The damage
tests in tests/integration run it over real built indexes; these pin each verdict alone."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from indexer.index.check import CheckReport, check
from indexer.index.errors import IndexNotFound
from indexer.index.integrity import record
from indexer.index.layout import CURRENT, INDEX_FORMAT, MANIFEST

SEGMENT = b"segment bytes"


def _manifest(path: Path, fmt: str | None = INDEX_FORMAT) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    if fmt is not None:
        db.execute("INSERT INTO meta VALUES ('format', ?)", (fmt,))
    db.commit()
    db.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An index root whose `current` generation has one recorded commit and a manifest."""
    gen = tmp_path / "gen-1"
    gen.mkdir()
    (gen / "_MAIN_1.toc").write_bytes(b"toc")
    (gen / "MAIN_seg1.seg").write_bytes(SEGMENT)
    record(gen, 1, ["MAIN_seg1"])
    _manifest(gen / MANIFEST)
    os.symlink("gen-1", tmp_path / CURRENT)
    return tmp_path


def test_a_sound_generation(root: Path) -> None:
    report = check(root)
    assert report == CheckReport("gen-1", (), files=2, bytes=len(b"toc") + len(SEGMENT))
    assert report.sound


def test_a_damaged_file_is_named_and_the_index_is_not_sound(root: Path) -> None:
    """check hashes everything: a same-size flip with the mtime kept is still found."""
    path = root / "gen-1" / "MAIN_seg1.seg"
    st = path.stat()
    path.write_bytes(SEGMENT.upper())
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    report = check(root)
    assert not report.sound
    assert report.problems == (
        "MAIN_seg1.seg: contents differ from those written (checksum mismatch)",
    )


def test_a_commit_without_checksums_is_reported_with_the_way_out(root: Path) -> None:
    """A writer stopped between its commit and its record leaves a whole index that is
    not yet verifiable; check says so and names the command that records it."""
    (root / "gen-1" / "_MAIN_2.toc").write_bytes(b"toc2")
    (problem,) = check(root).problems
    assert problem.startswith("_MAIN_2.toc: committed without checksums")
    assert "python -m indexer update" in problem


def test_an_older_format_asks_for_a_build(root: Path) -> None:
    """An index an older version wrote cannot be updated in place: check must say so."""
    manifest = root / "gen-1" / MANIFEST
    manifest.unlink()
    _manifest(manifest, fmt="1")
    assert check(root).problems == (
        f"{MANIFEST}: written by an older version of this program (run build)",
    )


def test_a_manifest_without_a_format_is_an_older_one(root: Path) -> None:
    manifest = root / "gen-1" / MANIFEST
    manifest.unlink()
    _manifest(manifest, fmt=None)
    assert check(root).problems[-1].endswith("(run build)")


@pytest.mark.parametrize("content", [b"not a database at all, just bytes" * 200, b""])
def test_a_damaged_manifest_is_one_line_naming_the_repair(root: Path, content: bytes) -> None:
    """A damaged manifest is a clear one-line problem, never an exception out of check."""
    (root / "gen-1" / MANIFEST).write_bytes(content)
    (problem,) = check(root).problems
    assert problem.startswith(f"{MANIFEST}: ") and "`update` rebuilds it" in problem


def test_each_row_sqlites_page_check_finds_wrong_is_one_problem(root: Path) -> None:
    """A manifest that opens and reads but breaks its own schema (here: NULLs in a column
    the schema, edited behind SQLite's back, declares NOT NULL): every row `PRAGMA
    quick_check` returns other than "ok" is one problem line, and the rest is still read."""
    path = root / "gen-1" / MANIFEST
    db = sqlite3.connect(path)
    db.executemany("INSERT INTO meta VALUES (?, NULL)", [("a",), ("b",)])
    db.commit()
    db.execute("PRAGMA writable_schema=ON")
    db.execute(
        "UPDATE sqlite_master SET sql = "
        "'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)' WHERE name = 'meta'"
    )
    db.commit()
    db.close()
    report = check(root)
    assert report.problems == (f"{MANIFEST}: NULL value in meta.value",) * 2
    assert not report.sound


def test_a_missing_manifest_is_reported_and_not_created(root: Path) -> None:
    """`check` takes no lock and writes nothing: it must not leave an empty manifest
    behind in a generation it only looked at."""
    manifest = root / "gen-1" / MANIFEST
    manifest.unlink()
    (problem,) = check(root).problems
    assert problem == f"{MANIFEST}: missing (`update` rebuilds it from the index)"
    assert not manifest.exists()


def test_file_problems_and_manifest_problems_are_all_listed(root: Path) -> None:
    (root / "gen-1" / "MAIN_seg1.seg").unlink()
    (root / "gen-1" / MANIFEST).write_bytes(b"x" * 4096)
    problems = check(root).problems
    assert problems[0] == "MAIN_seg1.seg: missing"
    assert problems[1].startswith(f"{MANIFEST}: ")


def test_no_index_raises_index_not_found(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound):
        check(tmp_path)
