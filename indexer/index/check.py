"""`python -m indexer check`: the current generation verified in full, without a lock.

Every byte of every file against the checksums recorded at commit (integrity.py), and the
manifest's own pages and format. Part of the on-disk contract: what a sound generation is.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from indexer.index import integrity
from indexer.index.layout import INDEX_FORMAT, MANIFEST, current_generation_dir


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: one line per damaged file (empty: the index is sound)."""

    generation: str
    problems: tuple[str, ...]
    files: int
    bytes: int

    @property
    def sound(self) -> bool:
        return not self.problems


def check(index_root: Path) -> CheckReport:
    """Verify the current generation in full: every byte of every file against the
    checksums recorded at commit, and the manifest's own pages. Takes no lock (see
    integrity.verify for a commit that lands meanwhile)."""
    gen = current_generation_dir(index_root)
    verdict = integrity.verify(gen, full=True)
    problems = list(verdict.problems)
    if verdict.sound and not verdict.recorded:
        problems.append(
            f"{integrity.toc_name(verdict.toc_number)}: committed without checksums "
            "(its writer was stopped); the next `python -m indexer update` records them"
        )
    problems.extend(_manifest_problems(gen / MANIFEST))
    return CheckReport(gen.name, tuple(problems), verdict.files, verdict.bytes)


def _manifest_problems(path: Path) -> list[str]:
    """SQLite's own page check of the manifest, and the index format it records. A check
    writes nothing: a missing manifest is reported, never created (`mode=rw` opens only a
    file that exists)."""
    if not path.is_file():
        return [f"{MANIFEST}: missing (`update` rebuilds it from the index)"]
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
            fmt = db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return [f"{MANIFEST}: {exc} (`update` rebuilds it from the index)"]
    out = [f"{MANIFEST}: {r[0]}" for r in rows if r[0] != "ok"]
    if not fmt or fmt[0] != INDEX_FORMAT:
        out.append(f"{MANIFEST}: written by an older version of this program (run build)")
    return out
