"""Incremental updates that are interrupted: killed writers, write errors, a full disk, Ctrl-C,
a build killed midway; each leaves the last good index and the next run finishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import write
from indexer.extract.pipeline import article_id
from indexer.index import layout
from tests.helpers import HANG_GUARD
from tests.integration.update_pages import (
    ROOT,
    assert_no_orphan_files,
    ids_holding,
    run_cli,
    stored,
    write_pages,
)

# --- crashes ---------------------------------------------------------------------------


def segment_files(root: Path) -> set[str]:
    """Names of the Whoosh segments whose files are in the current generation."""
    gen = layout.current_generation_dir(root)
    return {
        p.name.split(".")[0] for p in gen.iterdir() if p.name.startswith("MAIN_") and "." in p.name
    }


@pytest.mark.slow
def test_kill9_during_a_large_update(corpus: Path, root: Path, pause_at) -> None:
    """kill -9 while the second batch's segment is on disk but not committed (workers
    extracting ahead): readers keep the first batch, the next run adds exactly the rest
    and the dead writer's segment files are gone."""
    new = write_pages(corpus / "batch", range(240))  # >= 200: extraction in workers
    pause = pause_at("segment-written:2")
    args = ("update", "--corpus", str(corpus), "--index", str(root), "--batch-size", "40")
    proc = run_cli(*args, start_new_session=True, env=pause.env())
    pause.wait(proc)
    live = {s.segment_id() for s in write.open_index(root)._segments()}
    orphans = segment_files(root) - live
    assert len(orphans) == 1  # the second batch, written and not committed: mid-work
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=HANG_GUARD)
    assert proc.returncode == -signal.SIGKILL

    ix = write.open_index(root)  # opens and answers with the last committed state
    assert ix.doc_count() == 5 + 40
    with ix.searcher() as searcher:
        done = [d["id"] for d in searcher.all_stored_fields() if d["path"].startswith("batch/")]
    assert sorted(done) == sorted(article_id(r) for r in new[:40])
    assert set(done) <= ids_holding(root, "动态", title_only=True)
    report = write.update(corpus, root)
    assert len(report.added) == 200
    assert report.changed == () and report.removed == ()
    docs = stored(root)
    assert len(docs) == 245
    assert {article_id(r) for r in new} <= set(docs)
    assert write.update(corpus, root).nothing_to_do
    assert not orphans & segment_files(root)
    assert_no_orphan_files(root)  # of the killed writer


def test_a_write_error_after_a_batch_keeps_it_and_the_next_run_finishes(
    corpus: Path, root: Path, pause_at
) -> None:
    """A write error right after the first commit: one line and status 2, the committed
    batch stays searchable, the next run adds exactly the rest."""
    new = write_pages(corpus / "batch", range(100))
    pause = pause_at("commit:1")
    args = ("update", "--corpus", str(corpus), "--index", str(root), "--batch-size", "40")
    proc = run_cli(*args, start_new_session=True, env=pause.env())
    pause.wait(proc)
    pause.release("fail")
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 2, err
    assert err.startswith("error: ") and "injected fault at commit" in err
    assert len(err.splitlines()) == 1 and out == ""
    assert len(stored(root)) == 5 + 40
    report = write.update(corpus, root, batch_size=40)
    assert len(report.added) == 60
    assert {article_id(r) for r in new} <= set(stored(root))


def test_disk_full_midway_keeps_committed_batches_and_the_next_run_finishes(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while the third batch's segment is written: the update fails with the
    error, readers keep the two batches committed before it, and the next run (with room
    again) adds exactly the rest, leaving no file of the failed segment behind."""
    import errno

    from indexer.index import ngrams

    new = write_pages(corpus / "batch", range(100))
    real = ngrams.write_arrays
    calls = {"n": 0}

    def full_disk(path: Path, arrays: dict) -> None:
        calls["n"] += path.suffix == ngrams.EXT  # a segment's last file (after its .wrd)
        if calls["n"] == 3 and path.suffix == ngrams.EXT:
            path.with_name(path.name + ".tmp").write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, arrays)

    monkeypatch.setattr(ngrams, "write_arrays", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write.update(corpus, root, batch_size=40)
    assert len(stored(root)) == 5 + 80
    assert len(ids_holding(root, "动态", title_only=True) & {article_id(r) for r in new}) == 80

    monkeypatch.setattr(ngrams, "write_arrays", real)
    report = write.update(corpus, root, batch_size=40)
    assert len(report.added) == 20 and report.changed == ()
    assert {article_id(r) for r in new} <= set(stored(root))
    assert_no_orphan_files(root)  # of the failed segment


def test_cli_reports_os_errors_in_one_line(corpus: Path, root: Path) -> None:
    """The CLI turns an OSError (a full disk; here: the index root is a file) into one
    line and status 2, saying what became of the index."""
    bad_root = corpus.parent / "not-a-folder"
    bad_root.write_text("x")
    cli = subprocess.run(
        [sys.executable, "-m", "indexer", "update", "--corpus", str(corpus), "--index",
         str(bad_root)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert cli.returncode == 2
    assert cli.stderr.startswith("error: ") and "Traceback" not in cli.stderr
    assert "run update again" in cli.stderr and len(cli.stderr.splitlines()) == 1


@pytest.mark.slow
def test_ctrl_c_during_a_large_update(corpus: Path, root: Path, pause_at) -> None:
    """Ctrl-C after the first commit, workers extracting ahead: the CLI says "interrupted"
    (status 130), leaves no lock, temp file or orphan segment, the index answers with the
    batch committed, and the next run adds exactly the rest."""
    new = write_pages(corpus / "batch", range(240))  # >= 200: extraction in workers
    pause = pause_at("commit:1")
    args = ("update", "--corpus", str(corpus), "--index", str(root), "--batch-size", "40")
    # Its own process group, like a terminal's, so Ctrl-C reaches the workers too.
    proc = run_cli(*args, start_new_session=True, env=pause.env())
    pause.wait(proc)
    os.killpg(proc.pid, signal.SIGINT)  # while it waits at the pause point: mid-update
    _, err = proc.communicate(timeout=HANG_GUARD)  # how long it takes to stop is not tested
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert len(stored(root)) == 5 + 40
    report = write.update(corpus, root, lock_timeout=0)  # the lock is free: no wait
    assert len(report.added) == 200
    assert {article_id(r) for r in new} <= set(stored(root))
    assert_no_orphan_files(root)


@pytest.mark.slow
def test_build_killed_midway_keeps_the_old_generation(corpus: Path, root: Path, pause_at) -> None:
    """kill -9 of a build whose new generation is complete but not yet `current`: the old
    one keeps answering; the next build replaces both."""
    old = layout.current_generation_dir(root)
    write_pages(corpus / "batch", range(100))
    pause = pause_at("swap")
    proc = run_cli(
        "build",
        "--corpus",
        str(corpus),
        "--index",
        str(root),
        start_new_session=True,
        env=pause.env(),
    )
    pause.wait(proc)
    generations = sorted(p for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX))
    assert len(generations) == 2  # the new one is written: the kill lands mid-build
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=HANG_GUARD)
    assert layout.current_generation_dir(root) == old
    assert write.open_index(root).doc_count() == 5
    report = write.build(corpus, root)
    assert report.articles == 105
    assert [p.name for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX)] == [
        report.generation
    ]
