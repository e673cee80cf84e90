"""One writer at a time per index root."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.index import errors, layout
from indexer.write import lock
from tests.helpers import HANG_GUARD


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


class FakeMsvcrt:
    """msvcrt.locking's contract: a second lock of a locked byte fails with EACCES."""

    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self) -> None:
        self.locked: set[tuple[int, int]] = set()  # (inode, offset) locked
        self.calls: list[tuple[int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        import errno
        import os

        key = (os.fstat(fd).st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        self.calls.append((mode, nbytes))
        if mode == self.LK_UNLCK:
            self.locked.discard(key)
        elif key in self.locked:
            raise OSError(errno.EACCES, "locked")
        else:
            self.locked.add(key)


@pytest.mark.parametrize("platform", ["msvcrt", "neither"])
def test_without_fcntl_the_lock_still_excludes_a_second_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    fake = FakeMsvcrt() if platform == "msvcrt" else None
    chosen = lock.pick_locker(None, fake)
    assert type(chosen) is (lock.MsvcrtLocker if fake else lock.Locker)
    monkeypatch.setattr(lock, "LOCKER", chosen)
    for _ in range(2):  # released on exit, so taken again
        with lock.write_lock(tmp_path, timeout=0):
            with pytest.raises(errors.IndexLocked):
                with lock.write_lock(tmp_path, timeout=0):
                    pass
    if fake is not None:
        assert fake.locked == set()
        assert (fake.LK_UNLCK, 1) in fake.calls


def test_the_lock_module_and_the_server_import_where_fcntl_is_missing(tmp_path: Path) -> None:
    """As on Windows: importing fcntl fails; the writer lock and the web app still load."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['fcntl'] = None; sys.modules['msvcrt'] = None\n"
        "from pathlib import Path\n"
        "from indexer.write import lock\n"
        "import webui, webui.__main__\n"
        "assert type(lock.LOCKER) is lock.Locker, lock.LOCKER\n"
        f"with lock.write_lock(Path({str(tmp_path)!r}), timeout=0):\n"
        "    print('locked')\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=HANG_GUARD
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "locked\n"
