"""corpus.walk: every page once, by real path; links leading outside refused and reported."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import corpus
from indexer.corpus import OUTSIDE, is_corpus_relpath, walk


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


NAMES = st.sampled_from(
    ["a.txt", "b.HTML", "c.htm", ".hidden.txt", "d.txt.part", "e.tmp", "~f.txt", "g.pdf", "h"]
)
FOLDERS = st.sampled_from(["x", "y", ".git", "z"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(FOLDERS, max_size=3), NAMES), max_size=12))
def test_a_tree_without_links_walks_to_every_page_by_its_own_name(
    layout: list[tuple[list[str], str]],
) -> None:
    """Plain files take the walk's fast path (no containment check): it must still list
    exactly the pages `is_corpus_relpath` accepts, with their own size and path."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        wanted = {}
        for folders, name in layout:
            rel = "/".join([*folders, name])
            path = root / rel
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(rel)
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                continue
        for path in root.rglob("*"):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and is_corpus_relpath(rel):
                wanted[rel] = path.stat().st_size
        found = walk(root).files
        assert {rel: cf.size for rel, cf in found.items()} == wanted
        assert all(cf.path == os.path.join(root, rel) for rel, cf in found.items())
