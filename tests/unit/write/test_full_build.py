"""full_build: a whole corpus into a new generation, then the swap. Over a few generated
pages in one process: what the report counts, what the manifest records, that the old
generation stays current until the new one is complete, and that a failed build leaves
nothing behind. The build over seeds/ and in worker processes is tested in
tests/integration/ (test_build_seeds.py, test_streaming_build.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import write
from indexer.index import layout
from indexer.write import full_build
from indexer.write.manifest import Manifest
from tests.helpers_corpus import write_small_corpus


def _corpus(tmp_path: Path, n: int) -> Path:
    return write_small_corpus(tmp_path / "corpus", n, seed=11, width=2)


@pytest.mark.parametrize(
    ("cores", "files", "procs"),
    [(1, 10**6, 1), (4, full_build.PARALLEL_MIN_FILES - 1, 1),
     (4, full_build.PARALLEL_MIN_FILES, 4)],
)  # fmt: skip
def test_workers_only_for_a_corpus_large_enough_to_pay_for_forking(
    monkeypatch: pytest.MonkeyPatch, cores: int, files: int, procs: int
) -> None:
    monkeypatch.setattr(full_build, "cores", lambda: cores)
    assert full_build._build_procs(files) == procs


def test_a_build_counts_records_and_swaps_in_its_generation(tmp_path: Path) -> None:
    corpus, root = _corpus(tmp_path, 3), tmp_path / "index"
    report = full_build.build(corpus, root)
    assert (report.files_read, report.articles, report.skipped[0][0]) == (4, 3, "empty.txt")
    assert report.stories + report.copies == report.articles
    gen = layout.current_generation_dir(root)
    assert gen.name == report.generation
    assert not (gen / layout.SPOOL).exists()  # the spool goes once the segments are written
    segments = {p.stem for p in gen.glob("*.ngr")}
    assert segments and {p.stem for p in gen.glob("*.prt")} == segments  # saved for opening
    manifest = Manifest(gen / layout.MANIFEST)
    try:
        files = manifest.files()
        assert sorted(p for p, f in files.items() if f.id) == ["00.txt", "01.txt", "02.txt"]
        assert files["empty.txt"].id is None and files["empty.txt"].reason
        assert manifest.count("docs") == 3
        assert manifest.toc_number() == write.open_index(root).latest_generation()
        assert manifest.format() == layout.INDEX_FORMAT
    finally:
        manifest.close()


def test_a_second_build_replaces_the_first_and_leaves_one_generation(tmp_path: Path) -> None:
    corpus, root = _corpus(tmp_path, 2), tmp_path / "index"
    first = full_build.build(corpus, root).generation
    (root / f"{layout.GEN_PREFIX}leftover-of-a-killed-build").mkdir()
    second = full_build.build(corpus, root).generation
    assert second != first
    assert [p.name for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX)] == [second]


def test_a_failed_build_keeps_the_old_generation_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, root = _corpus(tmp_path, 2), tmp_path / "index"
    old = full_build.build(corpus, root).generation

    def fail(ix: object, *args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(full_build, "write_segments", fail)
    with pytest.raises(OSError, match="No space left"):
        full_build.build(corpus, root)
    assert layout.current_generation_dir(root).name == old
    assert [p.name for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX)] == [old]
