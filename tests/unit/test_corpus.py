"""corpus.walk: every page once, by real path; links leading outside refused and reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer import corpus
from indexer.corpus import OUTSIDE


def make(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")


def test_a_link_back_to_the_root_is_walked_once(tmp_path: Path) -> None:
    c = tmp_path / "c"
    make(c, "a.txt", "sub/b.txt")
    os.symlink(".", c / "loop")
    os.symlink("..", c / "sub" / "up")  # back to the root, from below
    found = corpus.walk(c)
    assert sorted(found.files) == ["a.txt", "sub/b.txt"]
    assert found.refused == ()


def test_two_loops_end_and_list_each_page_once(tmp_path: Path) -> None:
    c = tmp_path / "c"
    make(c, "a.txt")
    os.symlink(".", c / "a")
    os.symlink(".", c / "b")
    assert sorted(corpus.walk(c).files) == ["a.txt"]


def test_links_inside_the_corpus_count_under_the_real_name(tmp_path: Path) -> None:
    c = tmp_path / "c"
    make(c, "sub/b.txt", ".hidden/h.txt", "notes.md")
    os.symlink("sub", c / "alias")
    os.symlink("sub/b.txt", c / "b-link.txt")
    os.symlink(".hidden/h.txt", c / "h-link.txt")  # a hidden file stays hidden
    os.symlink(".hidden", c / "shown")
    found = corpus.walk(c)
    assert sorted(found.files) == ["sub/b.txt"]
    cf = found.files["sub/b.txt"]
    assert (cf.relpath, Path(cf.path), cf.size) == ("sub/b.txt", c / "sub" / "b.txt", 1)


def test_links_leading_outside_are_refused_with_the_reason(tmp_path: Path) -> None:
    c = tmp_path / "c"
    make(c, "a.txt", "sub/x.txt", tmp_path / "elsewhere" / "e.txt")
    os.symlink("/etc/passwd", c / "passwd.txt")
    os.symlink(tmp_path / "elsewhere", c / "sub" / "ext")
    os.symlink(tmp_path / "elsewhere" / "e.txt", c / "e.txt")
    found = corpus.walk(c)
    assert sorted(found.files) == ["a.txt", "sub/x.txt"]
    assert found.refused == (("e.txt", OUTSIDE), ("passwd.txt", OUTSIDE), ("sub/ext", OUTSIDE))


def test_the_corpus_folder_itself_may_be_a_link(tmp_path: Path) -> None:
    make(tmp_path / "real", "a.txt")
    os.symlink(tmp_path / "real", tmp_path / "c")
    found = corpus.walk(tmp_path / "c")
    assert list(found.files) == ["a.txt"]
    assert Path(found.files["a.txt"].path) == tmp_path / "c" / "a.txt"


@pytest.mark.parametrize(
    ("relpath", "ok"),
    [
        ("a.txt", True),
        ("sub/b.txt", True),
        ("../c/a.txt", True),
        ("../outside.txt", False),
        ("passwd.txt", False),
        ("a\x00.txt", False),
        ("a" * 300 + ".txt", False),
        ("/".join(["abcdefghi"] * 600) + ".txt", False),
        ("sub", False),
        ("", False),
    ],
)
def test_contained(tmp_path: Path, relpath: str, ok: bool) -> None:
    c = tmp_path / "c"
    make(c, "a.txt", "sub/b.txt", tmp_path / "outside.txt")
    os.symlink("/etc/passwd", c / "passwd.txt")
    got = corpus.contained(c, relpath)
    assert (got is not None) == ok
    if ok:
        assert got == Path(os.path.realpath(c / relpath))
