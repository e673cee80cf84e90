"""A damaged index, a full disk, statistics after churn, and a writer killed with its
workers: every entry point answers in one line (CLI) or a 503 (web), never a traceback
or a wrong answer, and the next writer starts at once."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer import cli, watch, write
from indexer.index import check as index_check
from indexer.index import errors, layout
from indexer.index.constants import PART_EXT
from indexer.models import SearchRequest
from indexer.read import stats
from indexer.read.searcher import Searcher
from indexer.watch import loop as watch_loop
from indexer.watch.settle import look
from indexer.write import session
from tests.helpers import HANG_GUARD, wait_for
from tests.integration.update_pages import stored, write_pages

ROOT = Path(__file__).resolve().parents[2]


def _file(root: Path, suffix: str) -> Path:
    gen = layout.current_generation_dir(root)
    return next(p for p in sorted(gen.iterdir()) if p.name.endswith(suffix))


def _truncate(suffix: str) -> Callable[[Path], str]:
    def damage(root: Path) -> str:
        path = _file(root, suffix)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return path.name

    return damage


def _scribble(suffix: str) -> Callable[[Path], str]:
    """Random bytes over 4 KB in the middle: same size, different contents."""

    def damage(root: Path) -> str:
        path = _file(root, suffix)
        data = bytearray(path.read_bytes())
        mid = len(data) // 2
        data[mid : mid + 4096] = random.Random(1).randbytes(len(data[mid : mid + 4096]))
        path.write_bytes(bytes(data))
        return path.name

    return damage


def _random_toc(root: Path) -> str:
    path = _file(root, ".toc")
    path.write_bytes(random.Random(2).randbytes(path.stat().st_size))
    return path.name


DAMAGE = {
    "truncated .pst": _truncate(".pst"),
    "truncated .trm": _truncate(".trm"),
    "truncated _stored.col": _truncate("._stored.col"),
    "random TOC": _random_toc,
    "random bytes in .ngr": _scribble(".ngr"),
    "random bytes in .pst": _scribble(".pst"),
}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _one_line(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    return proc.stderr


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damage_is_named_by_every_entry_point(case: str, corpus: Path, root: Path) -> None:
    """Search (library, CLI, web), update and check all refuse the damaged index and say
    to rebuild; none answers from it; check names the damaged file; build repairs it."""
    from webui import create_app

    name = DAMAGE[case](root)

    with pytest.raises(errors.IndexDamaged, match=f"damaged.*{name}.*indexer build"):
        Searcher(root).search(SearchRequest(q="科技"))
    search = _cli("search", "--index", str(root), "科技")
    assert search.returncode == 2 and search.stdout == ""
    assert "damaged" in _one_line(search) and "python -m indexer build" in search.stderr

    app = create_app({"INDEX": str(root), "CORPUS": str(corpus)})
    response = app.test_client().get("/api/search?q=科技")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "index_unavailable"
    assert "python -m indexer build" in response.get_json()["error"]["message"]

    update = _cli("update", "--corpus", str(corpus), "--index", str(root))
    assert update.returncode == 2 and update.stdout == ""  # not "index up to date"
    assert f"damaged: {name}" in _one_line(update)

    check = _cli("check", "--index", str(root))
    assert check.returncode == 1
    assert [line for line in check.stdout.splitlines() if line.startswith("damaged: ")] == [
        f"damaged: {line}" for line in index_check.check(root).problems
    ]
    assert check.stdout.splitlines()[0].startswith(f"damaged: {name}: ")

    watch.watch(corpus, root, stop=lambda: True, poll=True)  # rebuilds it by itself
    assert index_check.check(root).sound
    assert Searcher(root).search(SearchRequest(q="科技")).total == 5


def test_check_says_a_sound_index_is_sound_after_updates(corpus: Path, root: Path) -> None:
    """Every commit records its files: after a build, an update that adds, one that
    removes (deletions live in the TOC) and a merge, the full check finds nothing."""
    write_pages(corpus / "a", range(30))
    write.update(corpus, root, batch_size=10)
    shutil.rmtree(corpus / "a")
    write.update(corpus, root)
    report = index_check.check(root)
    assert report.problems == ()
    gen = layout.current_generation_dir(root)
    expected = {p.name for p in gen.iterdir() if p.name.startswith(("MAIN_", "_MAIN_"))}
    saved = {name for name in expected if name.endswith(PART_EXT)}  # a cache, not recorded
    assert saved  # the build saved its segment arrays
    assert report.files == len(expected - saved - {"MAIN_WRITELOCK"})
    out = _cli("check", "--index", str(root))
    assert out.returncode == 0 and out.stdout.startswith("index at ") and "is sound" in out.stdout


def test_a_commit_without_its_checksums_is_recorded_by_the_next_writer(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer stopped between its Whoosh commit and its record: the index is whole,
    check says the latest commit is unrecorded, and the next update records it."""
    write_pages(corpus / "a", range(3))
    monkeypatch.setattr(session, "record_commit", lambda ix: None)
    write.update(corpus, root)
    monkeypatch.undo()
    assert Searcher(root).search(SearchRequest(q="编号1")).total >= 1  # readers still open it
    problems = index_check.check(root).problems
    assert len(problems) == 1 and "committed without checksums" in problems[0]
    assert write.update(corpus, root).nothing_to_do
    assert index_check.check(root).sound


def test_a_manifest_of_random_bytes_is_rebuilt_by_update(corpus: Path, root: Path) -> None:
    manifest = layout.current_generation_dir(root) / layout.MANIFEST
    manifest.write_bytes(random.Random(3).randbytes(manifest.stat().st_size))
    assert index_check.check(root).problems[0].startswith("manifest.sqlite: ")
    before = set(stored(root))
    write_pages(corpus / "a", range(2))
    update = _cli("update", "--corpus", str(corpus), "--index", str(root))
    assert update.returncode == 0, update.stderr
    assert update.stdout.startswith("added: 2;")
    assert len(set(stored(root)) - before) == 2
    assert index_check.check(root).sound


# --- a full disk -----------------------------------------------------------------------


def test_a_full_disk_in_the_manifest_is_one_line(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """SQLite's "database or disk is full" at the manifest commit: status 2 and one line
    saying the disk is full, as for a full disk under Whoosh; the next run finishes."""
    from indexer.write.manifest import Manifest

    write_pages(corpus / "a", range(3))
    real = Manifest.transaction

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Manifest, "transaction", full)
    assert cli.main(["update", "--corpus", str(corpus), "--index", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "No space left on device" in err and "database or disk is full" in err
    monkeypatch.setattr(Manifest, "transaction", real)
    assert len(write.update(corpus, root).added) == 0  # the Whoosh commit had landed...
    assert len(stored(root)) == 8  # ...and the rebuilt manifest knows all 8 articles


def test_enospc_is_an_oserror_the_store_raises(corpus: Path, root: Path, monkeypatch) -> None:
    """The translation itself: ENOSPC from SQLite becomes OSError(ENOSPC)."""
    from indexer.write.manifest import Manifest

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")

    write_pages(corpus / "a", range(1))
    monkeypatch.setattr(Manifest, "transaction", full)
    with pytest.raises(OSError) as info:
        write.update(corpus, root)
    assert info.value.errno == errno.ENOSPC


# --- statistics ------------------------------------------------------------------------


def test_stats_count_live_documents_only(corpus: Path, root: Path, tmp_path: Path) -> None:
    """Add, remove and re-add a folder: the CLI's figures equal a fresh build's and the
    web page's (one definition), deleted copies not counted."""
    from webui import create_app

    write_pages(corpus / "wave", range(40))
    write.update(corpus, root)
    shutil.move(corpus / "wave", tmp_path / "away")
    write.update(corpus, root)
    shutil.move(tmp_path / "away", corpus / "wave")
    write.update(corpus, root)
    fresh = tmp_path / "fresh"
    write.build(corpus, fresh)

    churned, rebuilt = stats.stats(root), stats.stats(fresh)
    assert (churned.articles, churned.stories) == (45, 45)
    assert (churned.articles, churned.stories, churned.sources, churned.sites) == (
        rebuilt.articles,
        rebuilt.stories,
        rebuilt.sources,
        rebuilt.sites,
    )
    assert (churned.first_published, churned.last_published, churned.undated) == (
        rebuilt.first_published,
        rebuilt.last_published,
        rebuilt.undated,
    )
    web = create_app({"INDEX": str(root), "CORPUS": str(corpus)})
    with web.app_context():
        from webui.engine import get_stats

        page = get_stats()
    assert (page["articles"], page["stories"], page["sources"], page["sites"]) == (
        churned.articles,
        churned.stories,
        churned.sources,
        churned.sites,
    )
    out = _cli("stats", "--index", str(root)).stdout.splitlines()
    assert out[:2] == ["articles: 45", "stories: 45"]


# --- a writer killed with its workers ----------------------------------------------------

STUCK_UPDATE = """
import os, sys, threading
from pathlib import Path
from indexer import write
from indexer.write import corpus_diff, incremental

pids = Path(sys.argv[3])

def stuck(cf, corpus):
    # In a worker: say so, then hang as an extraction of a huge page would.
    (pids / str(os.getpid())).write_text("")
    threading.Event().wait()

corpus_diff.extract = stuck  # inherited by the forked workers
incremental.cores = lambda: 2
incremental.UPDATE_PARALLEL_MIN_FILES = 1
write.update(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by init) is dead too
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")
def test_kill9_of_an_update_leaves_no_worker_holding_the_lock(
    corpus: Path, root: Path, tmp_path: Path
) -> None:
    """kill -9 of an update whose workers are busy: the next writer gets the lock at
    once (timeout 0: the workers never held it), and the workers die with their parent."""
    write_pages(corpus / "batch", range(16))  # two chunks of 8: one for each worker
    pids = tmp_path / "pids"
    pids.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", STUCK_UPDATE, str(corpus), str(root), str(pids)], cwd=ROOT
    )
    workers: list[int] = []
    try:
        assert wait_for(lambda: len(list(pids.iterdir())) == 2)  # both are extracting
        workers = [int(p.name) for p in pids.iterdir()]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=HANG_GUARD)
        with write.write_lock(root, timeout=0):  # IndexLocked if a worker held it
            pass
        assert wait_for(lambda: not any(_alive(w) for w in workers))
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
    assert write.update(corpus, root, lock_timeout=0).added  # and it does the work


def test_a_watcher_rebuilds_an_index_damaged_while_it_runs(corpus: Path, root: Path) -> None:
    """Damage found when the watcher indexes an event: it rebuilds, the event's page in."""
    _truncate(".pst")(root)
    write_pages(corpus / "live", range(1))
    target = watch_loop._Target(corpus, root, None, 1.0)
    ready = {"live/n0000.txt": look(corpus, "live/n0000.txt")}
    base: dict = {}
    assert watch_loop._index(target, ready, base) is True
    assert base == ready
    assert index_check.check(root).sound and len(stored(root)) == 6
