"""Worker processes: how the writer fans extraction out over the cores, safely.

A build (and an update reading many files) runs the pipeline in forked workers. Each worker
lets go of the writer lock it inherited, leaves Ctrl-C to its parent and dies with it, so
a killed writer never leaves the index locked by a process nobody started.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.corpus import CorpusFile
from indexer.models import Article, Skipped
from indexer.write import lock

if TYPE_CHECKING:
    from indexer.extract.pipeline import KnownSite, PageLines

log = logging.getLogger(__name__)


def worker_init() -> None:
    """In each worker process: leave Ctrl-C to the parent, let go of the writer lock, and
    die with the parent.

    A terminal sends SIGINT to the whole process group; the parent stops its workers and
    says "interrupted" once, instead of every worker printing a KeyboardInterrupt
    traceback. A parent killed with SIGKILL cannot stop its workers: without the rest,
    they would keep extracting (and hold the inherited lock) for as long as their queue
    lasts, and the next writer would find the index locked by nobody alive.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lock.release_inherited()
    _die_with_parent(os.getppid())


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux), else watch the
    parent's pid from a thread; either way check once now, since the parent may already
    be gone before the request took effect."""
    if not _set_pdeathsig():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _set_pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """The fallback where prctl is missing: exit once the parent is gone (the process is
    re-parented, so getppid() changes)."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Fork inside this block: the parent's objects are moved out of the collector's
    reach (gc.freeze) while the children start, then given back to the parent.

    A child shares the parent's pages until it writes to them, and a full collection in
    the child writes to the header of every object it traverses: a segment writer
    allocating postings would copy the driver's per-article records (a Read and a Member
    per page, ~1 KB each) page by page into its own memory. Frozen objects are never
    traversed, so those pages stay shared. Freeing by reference count is unaffected.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def cores() -> int:
    """The CPUs this process may run on (its affinity, where the platform has one): the
    build's and update's workers, and the web server's default worker count."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


# The sites' templates the pipeline reads pages with (extract/site_templates.py): set by a
# build or an update before it starts its worker processes, which inherit it.
TEMPLATES: dict[str, frozenset[int]] = {}


def extract(
    cf: CorpusFile, corpus: Path, known: KnownSite | None = None
) -> tuple[Article | Skipped, PageLines | None]:
    """The pipeline on one file, with what the page adds to its site's template counts;
    with `known` (a page read again, pipeline.extract_page), the page's article alone.
    It reports bad input as Skipped itself; anything it raises is a bug on one page,
    which must not stop the other pages either."""
    from indexer.extract.pipeline import survey_file

    try:
        survey = known is None
        return survey_file(Path(cf.path), corpus, templates=TEMPLATES, survey=survey, known=known)
    except Exception as exc:  # noqa: BLE001 - the edge where one page's failure is contained
        log.exception("extraction failed on %s", cf.relpath)
        reason = f"extraction failed: {type(exc).__name__}: {exc}"
        return Skipped(path=cf.relpath, reason=reason), None
