"""The Whoosh adapter: each private road and its public fallback give the same result."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as windex

from indexer import write
from indexer.index import whoosh_adapter
from indexer.index.schema import build_schema


def test_latest_toc_number_reads_file_names_only(tmp_path: Path) -> None:
    assert whoosh_adapter.latest_toc_number(tmp_path / "absent") == -1
    assert whoosh_adapter.latest_toc_number(tmp_path) == -1
    for name in ("_MAIN_1.toc", "_MAIN_12.toc", "_MAIN_3.toc", "_OTHER_40.toc", "MAIN_x.seg"):
        (tmp_path / name).write_bytes(b"")
    assert whoosh_adapter.latest_toc_number(tmp_path) == 12
    assert whoosh_adapter.toc_name(12) == "_MAIN_12.toc"


def test_latest_toc_number_agrees_with_whoosh(tmp_path: Path) -> None:
    ix = windex.create_in(str(tmp_path), build_schema())
    for _ in range(2):
        with ix.writer() as w:
            w.add_document(id="a", path="a", title="科技", body="创新")
    assert whoosh_adapter.latest_toc_number(tmp_path) == ix.latest_generation() == 2
    toc = whoosh_adapter.read_toc(ix)
    assert toc.generation == 2 and len(toc.segments) >= 1


def test_remove_sort_dirs_leaves_everything_else(tmp_path: Path) -> None:
    (tmp_path / "abc.tmp").mkdir()
    (tmp_path / "keep.tmp").write_text("a file, not a sort folder")
    (tmp_path / "MAIN_x.seg").write_text("")
    whoosh_adapter.remove_sort_dirs(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MAIN_x.seg", "keep.tmp"]


def _stored(root: Path) -> list[dict]:
    with write.open_index(root).searcher() as s:
        return sorted(s.all_stored_fields(), key=lambda d: d["id"])


def test_a_build_without_the_parts_road_writes_the_same_documents(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write.build(seeds_dir, tmp_path / "parts")
    monkeypatch.setattr(whoosh_adapter, "can_write_parts", lambda: False)
    write.build(seeds_dir, tmp_path / "public")
    assert _stored(tmp_path / "public") == _stored(tmp_path / "parts")
