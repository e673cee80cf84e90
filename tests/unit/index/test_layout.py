"""The index root's layout: the `current` link, generation folders, swap and resolve."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer.index import errors, layout


def _generation(root: Path, name: str, toc: bool = True) -> Path:
    gen = root / name
    gen.mkdir(parents=True)
    if toc:
        (gen / "_MAIN_1.toc").write_bytes(b"")
    return gen


def test_current_generation_requires_an_index(tmp_path: Path) -> None:
    (tmp_path / "gen-x").mkdir()
    (tmp_path / "current").symlink_to("gen-x")
    with pytest.raises(errors.IndexNotFound, match="missing or empty"):
        layout.current_generation_dir(tmp_path)


def test_no_current_link_is_no_index(tmp_path: Path) -> None:
    with pytest.raises(errors.IndexNotFound, match="no index at"):
        layout.current_generation_dir(tmp_path)


def test_swap_points_current_at_the_new_generation(tmp_path: Path) -> None:
    old = _generation(tmp_path, "gen-a")
    new = _generation(tmp_path, "gen-b")
    layout.swap_current(tmp_path, old)
    assert layout.current_generation_dir(tmp_path) == old.resolve()
    layout.swap_current(tmp_path, new)
    assert os.readlink(tmp_path / layout.CURRENT) == "gen-b"  # relative: the root can move
    assert layout.current_generation_dir(tmp_path) == new.resolve()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_resolve_reads_a_bare_index_in_the_root(tmp_path: Path) -> None:
    assert layout.resolve_index_dir(tmp_path) == tmp_path
    gen = _generation(tmp_path, "gen-a")
    layout.swap_current(tmp_path, gen)
    assert layout.resolve_index_dir(tmp_path) == gen.resolve()


def test_current_link_names_the_generation_or_none(tmp_path: Path) -> None:
    assert layout.current_link(tmp_path) is None  # a bare index in the root
    layout.swap_current(tmp_path, _generation(tmp_path, "gen-a"))
    assert layout.current_link(tmp_path) == "gen-a"
    layout.swap_current(tmp_path, _generation(tmp_path, "gen-b"))
    assert layout.current_link(tmp_path) == "gen-b"


def test_remove_generations_keeps_one_and_nothing_else_it_does_not_own(tmp_path: Path) -> None:
    keep = _generation(tmp_path, "gen-keep")
    _generation(tmp_path, "gen-old")
    _generation(tmp_path, "gen-killed", toc=False)
    (tmp_path / "notes").mkdir()
    (tmp_path / layout.LOCK_FILE).write_text("1\n")
    layout.remove_generations(tmp_path, keep)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen-keep", "notes", layout.LOCK_FILE]


def test_new_generation_folders_are_distinct_and_prefixed(tmp_path: Path) -> None:
    a, b = layout.new_generation_dir(tmp_path), layout.new_generation_dir(tmp_path)
    assert a != b and a.is_dir() and b.is_dir()
    assert a.name.startswith(layout.GEN_PREFIX) and a.name.endswith(f"-{os.getpid()}")
