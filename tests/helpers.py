"""Small helpers the test suites share."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer import faults
from indexer.index import errors

ROOT = Path(__file__).resolve().parent.parent
# What `python -m webui` logs once its socket listens (webui/__main__.py).
SERVING = re.compile(r"serving http://(?P<host>[^/]+):(?P<port>\d+)/")
# Seconds a test waits for a process or thread before calling it hung. It bounds only a
# failing test, never how fast a passing one must be: a loaded machine may take many
# times longer than an idle one, so it is far above any idle run.
HANG_GUARD = 600.0


def wait_for(predicate: Callable[[], object], timeout: float = HANG_GUARD) -> bool:
    """Poll `predicate` every 20 ms until it is true (True) or `timeout` seconds pass.

    For conditions that must come true: the timeout only bounds a failing test (hence
    HANG_GUARD); a passing test waits only as long as the condition takes.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@dataclass
class ServerOutput:
    """What a server process printed, read by a thread so its pipe never fills up."""

    lines: list[str] = field(default_factory=list)
    port: int | None = None
    ready: threading.Event = field(default_factory=threading.Event)

    def text(self) -> str:
        return "".join(self.lines)[-4000:]


def _drain(proc: subprocess.Popen, out: ServerOutput) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        out.lines.append(line)
        if out.port is None and (m := SERVING.search(line)):
            out.port = int(m["port"])
            out.ready.set()
    out.ready.set()  # end of output: the server exited


@contextlib.contextmanager
def webui_process(
    index: Path, corpus: Path, *args: str, start_timeout: float = HANG_GUARD
) -> Iterator[tuple[int, ServerOutput]]:
    """Run `python -m webui --port 0` on 127.0.0.1 until the block ends; yield (port,
    output). The server binds a port the kernel picks and names it in its "serving" line,
    logged once the socket listens: no port is guessed free and then taken by another
    process, and no request is retried while the server starts. `start_timeout` only
    bounds a server that never starts (a failing test)."""
    cmd = [sys.executable, "-m", "webui", "--index", str(index), "--corpus", str(corpus)]
    cmd += ["--host", "127.0.0.1", "--port", "0", *args]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    out = ServerOutput()
    reader = threading.Thread(target=_drain, args=(proc, out), daemon=True)
    reader.start()
    try:
        out.ready.wait(start_timeout)
        if out.port is None:
            raise RuntimeError(f"server did not start: {out.text()}")
        yield out.port, out
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=HANG_GUARD)
        reader.join(timeout=HANG_GUARD)


class Pause:
    """The test side of indexer/faults.py: start a writer with `env()`, `wait()` until it
    stops at the point, act (signal, kill, query), then `release()` it or let it die.

    The writer is then provably mid-work when the test acts, however fast the machine.
    Use it as a context manager: a writer still alive at the end (a test failed before
    acting), and any worker left by a writer the test killed, is killed with its process
    group: no paused writer outlives its test.
    """

    def __init__(self, folder: Path, point: str) -> None:
        self.folder, self.point = folder, point
        self.proc: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> Pause:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):  # the group outlives a killed parent
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=HANG_GUARD)

    def env(self) -> dict[str, str]:
        return {**os.environ, faults.PAUSE_ENV: self.point, faults.HANDSHAKE_ENV: str(self.folder)}

    def wait(self, proc: subprocess.Popen, timeout: float = HANG_GUARD) -> int:
        """Wait until `proc` (started with start_new_session=True) stops at the point; its
        pid. AssertionError if it exits first (`timeout` only bounds a failing test)."""
        self.proc = proc
        paused = self.folder / "paused"
        wait_for(lambda: paused.exists() or proc.poll() is not None, timeout)
        if not paused.exists():
            raise AssertionError(f"writer did not reach {self.point} (status {proc.poll()})")
        name, pid = paused.read_text().split()
        assert name == faults.parse(self.point)[0]
        return int(pid)

    def release(self, order: str = "go") -> None:
        """Let the stopped writer carry on (`go`) or raise InjectedFault there (`fail`)."""
        tmp = self.folder / "resume.tmp"
        tmp.write_text(order)
        tmp.replace(self.folder / "resume")


def committed_fields(root: Path, attempts: int = 5) -> list[dict]:
    """Every stored document of the index at `root`, read while a writer may be committing.

    A commit that lands between reading the table of contents and opening it deletes the
    files just named (Whoosh keeps only the newest TOC), so the open is tried again: each
    try reads a newer TOC, and a writer cannot commit between every pair of tries.
    """
    from indexer import write

    for attempt in range(attempts):
        try:
            with write.open_index(root).searcher() as searcher:
                return list(searcher.all_stored_fields())
        except (FileNotFoundError, errors.IndexNotFound):
            if attempt == attempts - 1:
                raise
    return []


# --- time the test drives (the watcher's injected clock and sleep) ----------------------


class ManualClock:
    """A monotonic clock that moves only when the test says (watch(clock=...))."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class StepSleep:
    """A sleep for the polling loop that returns only when the test says (step), so the
    test decides when the next walk and the settle look happen."""

    def __init__(self) -> None:
        self.calls = self.allowed = 0
        self.released = False
        self.cond = threading.Condition()

    def __call__(self, seconds: float) -> None:
        with self.cond:
            self.calls += 1
            self.cond.notify_all()
            self.cond.wait_for(lambda: self.released or self.allowed >= self.calls)

    def step(self, n: int = 1) -> None:
        """Let the next `n` sleeps return, once the loop is waiting in the next one."""
        with self.cond:
            assert self.cond.wait_for(lambda: self.calls > self.allowed, HANG_GUARD)
            self.allowed += n
            self.cond.notify_all()

    def release(self) -> None:
        with self.cond:
            self.released = True
            self.cond.notify_all()
