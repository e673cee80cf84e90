"""One writer at a time per index root."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.index import errors, layout
from indexer.write import lock


def test_write_lock_excludes_a_second_holder(tmp_path: Path) -> None:
    with lock.write_lock(tmp_path, timeout=0.1):
        with pytest.raises(errors.IndexLocked):
            with lock.write_lock(tmp_path, timeout=0.1):
                pass
    with lock.write_lock(tmp_path, timeout=0.1):  # released on exit
        pass


def test_the_lock_file_names_its_holder_and_outlives_it(tmp_path: Path) -> None:
    import os

    with lock.write_lock(tmp_path, timeout=0):
        assert (tmp_path / layout.LOCK_FILE).read_text() == f"{os.getpid()}\n"
    assert (tmp_path / layout.LOCK_FILE).exists()  # a stale file is harmless: flock is gone
    with lock.write_lock(tmp_path, timeout=0):
        pass
