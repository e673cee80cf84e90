"""The write side: an article enters the index.

    full_build      the whole corpus into a new generation, then `current` swaps to it
    build_read      a build's reading: each page once, its article spooled, small facts kept
    spool           a build's extracted articles on disk until their stories are known
    build_segments  a build's writing: spooled articles into segments, with their stories
    incremental     update (corpus folder), index_files / remove_ids (named files or ids)
    session         an open writable generation: checks, manifest repair, batch commits
    corpus_diff     the corpus against the manifest: what changed, what each file is
    stories         story grouping: the duplicate rule, components, canonical choice
    candidates      the pairs grouping judges: shared LSH band keys or content hash
    minhash         MinHash signatures of bodies and their LSH band keys
    merge_policy    when an update merges small segments, and which
    segment_writer  FastWriter: standard Whoosh segments plus n-gram postings, fast
    manifest        the writer's book of files and documents (SQLite, per generation)
    workers         forked extraction workers that let go of the lock and die with us
    lock            one writer at a time per index root
    reports         BuildReport, UpdateReport, and progress as a caller's callback

The on-disk layout these write is indexer/index/ (shared with the reader).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each public name and the module that defines it. Loaded on first use (PEP 562), not
# here: a no-change update needs the walk, the manifest and the lock, and importing the
# build's modules with it (extraction, the folding tables, jieba) cost 0.4 s of its time.
_WHERE = {
    "build": "full_build",
    "index_files": "incremental",
    "remove_ids": "incremental",
    "update": "incremental",
    "write_lock": "lock",
    "BuildReport": "reports",
    "Progress": "reports",
    "UpdateReport": "reports",
    "open_index": "session",
}

if TYPE_CHECKING:
    from indexer.write.full_build import build
    from indexer.write.incremental import index_files, remove_ids, update
    from indexer.write.lock import write_lock
    from indexer.write.reports import BuildReport, Progress, UpdateReport
    from indexer.write.session import open_index


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BuildReport",
    "Progress",
    "UpdateReport",
    "build",
    "index_files",
    "open_index",
    "remove_ids",
    "update",
    "write_lock",
]
