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
    built = _signatures_and_bands(m)
    with m.transaction() as db:  # as if the writer died between its two commits
        m.set_toc_number(db, 0)
        db.execute("DELETE FROM docs")
        db.execute("DELETE FROM bands")
    m.close()
    report = write.update(seeds_dir, root)
    assert report.nothing_to_do and report.unchanged == 5  # hashed once, nothing reindexed
    m = manifest.Manifest(gen / layout.MANIFEST)
    assert m.count("docs") == 5
    assert m.count("bands") == 5 * stories.BANDS
    # No document stores its signature: the rebuilt ones, computed from the stored bodies,
    # are the build's, and so are their band keys.
    assert _signatures_and_bands(m) == built
    assert m.toc_number() == write.open_index(root).latest_generation()
    assert all(f.size is not None for f in m.files().values())
    m.close()


def _signatures_and_bands(m: manifest.Manifest) -> tuple[dict, set]:
    """Each article's signature, and its band keys (by article id, not row number)."""
    sigs = dict(m.db.execute("SELECT id, sig FROM docs"))
    bands = set(m.db.execute("SELECT docs.id, key FROM bands JOIN docs ON docs.rowid = doc"))
    return sigs, bands
