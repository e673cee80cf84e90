"""A session repairs a manifest that lags its index before changing anything."""

from __future__ import annotations

from pathlib import Path

from indexer import write
from indexer.index import layout
from indexer.write import manifest, stories


def test_manifest_is_rebuilt_when_it_lags_the_index(tmp_path: Path, seeds_dir: Path) -> None:
    root = tmp_path / "index"
    write.build(seeds_dir, root)
    gen = layout.current_generation_dir(root)
    m = manifest.Manifest(gen / layout.MANIFEST)
    with m.transaction() as db:  # as if the writer died between its two commits
        m.set_toc_number(db, 0)
        db.execute("DELETE FROM docs")
    m.close()
    report = write.update(seeds_dir, root)
    assert report.nothing_to_do and report.unchanged == 5  # hashed once, nothing reindexed
    m = manifest.Manifest(gen / layout.MANIFEST)
    assert m.count("docs") == 5
    assert m.count("bands") == 5 * stories.BANDS
    assert m.toc_number() == write.open_index(root).latest_generation()
    assert all(f.size is not None for f in m.files().values())
    m.close()
