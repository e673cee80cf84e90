"""sqlite_tx.immediate: everything or nothing, and the write lock taken at the start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from indexer import sqlite_tx


def _db(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=0)
    db.execute("CREATE TABLE IF NOT EXISTS t (v INTEGER)")
    return db


def test_a_transaction_commits_on_success_and_rolls_back_on_any_exception(tmp_path) -> None:
    db = _db(tmp_path / "x.sqlite")
    with sqlite_tx.immediate(db) as tx:
        tx.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(KeyboardInterrupt), sqlite_tx.immediate(db) as tx:
        tx.execute("INSERT INTO t VALUES (2)")
        raise KeyboardInterrupt
    assert [v for (v,) in db.execute("SELECT v FROM t")] == [1]
    assert not db.in_transaction


def test_a_second_writer_is_refused_at_begin_not_at_its_first_write(tmp_path) -> None:
    first, second = _db(tmp_path / "x.sqlite"), _db(tmp_path / "x.sqlite")
    with sqlite_tx.immediate(first):
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            with sqlite_tx.immediate(second):
                pass
