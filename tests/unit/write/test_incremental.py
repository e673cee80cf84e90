"""Incremental runs: removals and upserts go to the session in batches, each committed alone."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from indexer.corpus import CorpusFile
from indexer.write import incremental
from indexer.write.corpus_diff import Verdict
from indexer.write.incremental import Run, _run_changes
from indexer.write.reports import Tally
from indexer.write.session import Removal


class FakeSession:
    """Records the batches a run hands to Session.apply and the rows it records."""

    def __init__(self) -> None:
        self.batches: list[tuple[list[str], list[str]]] = []
        self.rows: list = []

    def apply(self, upserts, removals, tally) -> None:
        if upserts or removals:  # as Session.apply: an empty batch commits nothing
            self.batches.append(([u.cf.relpath for u in upserts], [r.relpath for r in removals]))

    def record_files(self, rows) -> None:
        self.rows.extend(rows)


def _file(name: str) -> CorpusFile:
    return CorpusFile(name, f"/corpus/{name}", 1, 1)


@pytest.fixture
def verdicts(monkeypatch: pytest.MonkeyPatch):
    """Stand in for extraction: each file's verdict is given by the test."""
    given: dict[str, Verdict] = {}
    monkeypatch.setattr(
        incremental, "_verdicts", lambda work, known, corpus: [given[cf.relpath] for cf in work]
    )
    return given


def test_removals_then_upserts_in_batches_of_the_batch_size(verdicts) -> None:
    work = [_file(f"{i}.txt") for i in range(5)]
    for cf in work:
        verdicts[cf.relpath] = Verdict(upsert=SimpleNamespace(cf=cf))
    removals = [Removal(f"id{i}", f"gone{i}.txt") for i in range(3)]
    session, tally = FakeSession(), Tally()
    _run_changes(Run(session, Path("/corpus"), work, {}, removals, tally, batch_size=2))  # type: ignore[arg-type]
    assert session.batches == [
        ([], ["gone0.txt", "gone1.txt"]),
        ([], ["gone2.txt"]),
        (["0.txt", "1.txt"], []),
        (["2.txt", "3.txt"], []),
        (["4.txt"], []),
    ]
    assert [cf.relpath for cf, _ in tally.surveyed] == [cf.relpath for cf in work]


def test_unchanged_skipped_and_row_only_files_are_tallied_not_indexed(verdicts) -> None:
    work = [_file("same.txt"), _file("bad.txt"), _file("touched.txt")]
    row = (work[2], "hash", "id-t", None)
    verdicts.update(
        {
            "same.txt": Verdict(unchanged=True),
            "bad.txt": Verdict(
                skipped=("bad.txt", "binary file"), row=(work[1], "h", None, "binary file")
            ),
            "touched.txt": Verdict(row=row),
        }
    )
    session, tally = FakeSession(), Tally()
    _run_changes(Run(session, Path("/corpus"), work, {}, [], tally))  # type: ignore[arg-type]
    assert session.batches == []
    assert tally.unchanged == 1 and tally.skipped == [("bad.txt", "binary file")]
    assert session.rows == [(work[1], "h", None, "binary file"), row]


def test_progress_counts_every_file_read(verdicts) -> None:
    work = [_file(f"{i}.txt") for i in range(3)]
    for cf in work:
        verdicts[cf.relpath] = Verdict(unchanged=True)
    seen: list[tuple[str, int, int]] = []
    run = Run(
        FakeSession(), Path("/corpus"), work, {}, [], Tally(), progress=lambda *a: seen.append(a)
    )  # type: ignore[arg-type]
    _run_changes(run)
    assert seen[-1] == ("updating", 3, 3)
