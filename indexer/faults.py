"""Test-only: stop a writer at a named point, so a test acts while it is provably mid-work.

Tests that interrupt a writer (Ctrl-C, kill -9, queries during an update) must know where
the writer is when they act; guessing from the clock makes them pass or fail with the
machine's speed. A process started with

    NEWS_TEST_PAUSE=<point>[:<n>]   NEWS_TEST_HANDSHAKE=<folder>

stops the n-th time (default 1) it reaches <point>: it writes `<folder>/paused` (the point,
then its pid) and waits until `<folder>/resume` appears. The test then signals or kills it,
or writes `go` (carry on) or `fail` (raise InjectedFault, an OSError, right there) into
`resume`. tests/helpers.py holds the test side. The wait is a loop of 20 ms sleeps, not a
blocking open of a FIFO: a signal sent to the process may be delivered to one of its other
threads (multiprocessing's), and Python runs the handler (Ctrl-C's KeyboardInterrupt) only
when the main thread returns from its system call.

Points (where `reached` is called):
  grouped          a build has read every page and grouped the stories; no segment yet
  segment-written  a segment's files are on disk and no TOC lists them yet (segment_writer)
  commit           an update's batch is committed to Whoosh and to the manifest (write/session.py)
  swap             a build's new generation is complete; `current` still names the old one

Never set in production. The environment is read once, at import; unset, `reached` is a
function that returns at once, called a few times per commit.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from pathlib import Path

PAUSE_ENV = "NEWS_TEST_PAUSE"
HANDSHAKE_ENV = "NEWS_TEST_HANDSHAKE"


class InjectedFault(OSError):
    """Raised at a pause point when the test answers `fail`: a write error on cue."""


def parse(spec: str) -> tuple[str, int]:
    """'commit:2' -> ('commit', 2); 'swap' -> ('swap', 1)."""
    name, _, nth = spec.partition(":")
    return name, int(nth) if nth else 1


def _stop(point: str, folder: Path) -> None:
    """Say where this process stopped, then wait for the test's order."""
    tmp = folder / "paused.tmp"
    tmp.write_text(f"{point} {os.getpid()}\n")
    tmp.replace(folder / "paused")  # whole or absent: the test never reads half a line
    resume = folder / "resume"
    while not resume.exists():  # the test writes it whole, by a rename
        time.sleep(0.02)
    order = resume.read_text().strip()
    if order == "fail":
        raise InjectedFault(errno.EIO, f"injected fault at {point}")


def _armed(name: str, nth: int, folder: Path) -> Callable[[str], None]:
    seen = 0

    def reached(point: str) -> None:
        nonlocal seen
        if point == name:
            seen += 1
            if seen == nth:
                _stop(point, folder)

    return reached


def _disarmed(point: str) -> None:
    """No pause point is set: nothing to do."""


def _from_environment() -> Callable[[str], None]:
    spec, folder = os.environ.get(PAUSE_ENV), os.environ.get(HANDSHAKE_ENV)
    if not spec or not folder:
        return _disarmed
    return _armed(*parse(spec), Path(folder))


reached: Callable[[str], None] = _from_environment()
