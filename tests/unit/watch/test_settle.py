"""settle: when a changed page is complete enough to index, with the time given, never read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.watch.events import DIR_GONE, FOUND, GONE, MOVED, RESCAN, WRITTEN, Change
from indexer.watch.settle import (
    Pending,
    changed_paths,
    due_and_settled,
    look,
    next_wake,
    note_changes,
    note_unreported,
    restat,
    settled,
)

SETTLE = 0.25
snapshots = st.dictionaries(
    st.sampled_from(["a.txt", "b.txt", "c/d.txt", "e.html"]),
    st.tuples(st.integers(0, 3), st.integers(0, 3)),
)


def test_changed_paths_and_settled() -> None:
    base = {"a.txt": (1, 1), "b.txt": (2, 2)}
    now = {"a.txt": (1, 1), "b.txt": (3, 3), "c.txt": (4, 4)}
    assert changed_paths(base, now) == {"b.txt", "c.txt"}
    assert changed_paths(now, base) == {"b.txt", "c.txt"}
    later = {"a.txt": (1, 1), "b.txt": (5, 5), "c.txt": (4, 4)}
    assert settled({"b.txt", "c.txt"}, now, later) == {"c.txt"}
    assert settled({"gone.txt"}, now, later) == {"gone.txt"}


@given(snapshots, snapshots)
def test_changed_paths_is_exactly_the_difference(base: dict, now: dict) -> None:
    changed = changed_paths(base, now)
    assert changed == changed_paths(now, base)
    assert all(base.get(p) == now.get(p) for p in (base.keys() | now.keys()) - changed)
    assert all(base.get(p) != now.get(p) for p in changed)


def test_look_and_restat(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(b"12345")
    st = os.stat(tmp_path / "sub" / "a.txt")
    assert look(tmp_path, "sub/a.txt") == (5, st.st_mtime_ns)
    assert look(tmp_path, "missing.txt") is None
    stale = {"sub/a.txt": (1, 1), "gone.txt": (2, 2), "kept.txt": (3, 3)}
    assert restat(tmp_path, {"sub/a.txt", "gone.txt"}, stale) == {
        "sub/a.txt": (5, st.st_mtime_ns),
        "kept.txt": (3, 3),  # not looked at again
    }


def test_a_written_file_is_due_a_settle_delay_later_a_move_at_once(tmp_path: Path) -> None:
    for name in ("w.txt", "f.txt", "m.txt"):
        (tmp_path / name).write_text(name)
    pending: Pending = {}
    changes = [Change(WRITTEN, "w.txt"), Change(FOUND, "f.txt"), Change(MOVED, "m.txt")]
    changes.append(Change(GONE, "g.txt"))
    assert note_changes(changes, pending, {}, tmp_path, SETTLE, now=10.0) is False
    assert {p: due for p, (_, due) in pending.items()} == {
        "w.txt": 10.25,
        "f.txt": 10.25,
        "m.txt": 10.0,
        "g.txt": 10.0,
    }
    assert pending["w.txt"][0] == look(tmp_path, "w.txt") and pending["g.txt"][0] is None
    assert next_wake(pending, next_sweep=70.0) == 10.0
    ready = due_and_settled(pending, tmp_path, now=10.0, settle=SETTLE)
    assert ready == {"m.txt": look(tmp_path, "m.txt"), "g.txt": None}
    assert set(pending) == {"w.txt", "f.txt"} and next_wake(pending, 70.0) == 10.25
    ready = due_and_settled(pending, tmp_path, now=10.25, settle=SETTLE)
    assert set(ready) == {"w.txt", "f.txt"} and pending == {}


def test_a_file_that_changed_since_its_last_look_waits_again(tmp_path: Path) -> None:
    page = tmp_path / "slow.txt"
    page.write_bytes(b"half")
    pending: Pending = {}
    note_changes([Change(WRITTEN, "slow.txt")], pending, {}, tmp_path, SETTLE, now=0.0)
    assert due_and_settled(pending, tmp_path, now=0.2, settle=SETTLE) == {}  # not due yet
    page.write_bytes(b"half and the rest")
    assert due_and_settled(pending, tmp_path, now=0.3, settle=SETTLE) == {}
    assert pending == {"slow.txt": (look(tmp_path, "slow.txt"), pytest.approx(0.55))}
    assert due_and_settled(pending, tmp_path, now=0.55, settle=SETTLE) == {
        "slow.txt": look(tmp_path, "slow.txt")
    }


def test_a_folder_gone_makes_its_indexed_pages_due_and_a_rescan_is_asked(
    tmp_path: Path,
) -> None:
    base = {"a/1.txt": (1, 1), "a/b/2.txt": (2, 2), "ab/3.txt": (3, 3), "x.txt": (4, 4)}
    pending: Pending = {}
    changes = [Change(DIR_GONE, "a/"), Change(RESCAN)]
    assert note_changes(changes, pending, base, tmp_path, SETTLE, now=5.0) is True
    assert pending == {"a/1.txt": (None, 5.0), "a/b/2.txt": (None, 5.0)}


def test_note_unreported_adds_what_no_event_told_about() -> None:
    base = {"a.txt": (1, 1), "gone.txt": (2, 2)}
    now = {"a.txt": (1, 1), "new.txt": (3, 3)}
    pending: Pending = {"new.txt": ((3, 3), 1.0)}  # already pending: its due time stays
    note_unreported(pending, base, now, due=9.0)
    assert pending == {"new.txt": ((3, 3), 1.0), "gone.txt": (None, 9.0)}
