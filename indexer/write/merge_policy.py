"""Merge policy for update commits: when to merge small segments, and which.

A build writes a few big segments; every update batch adds a small one. Readers pay per
segment, so once there are too many the smallest are merged into the segment being
written, bounded so that one commit's extra cost stays small.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from indexer.index.fields import article_fields, article_from_stored
from indexer.write import stories

if TYPE_CHECKING:
    from indexer.write.segment_writer import FastWriter

log = logging.getLogger(__name__)


MAX_SEGMENTS = 12  # more segments than this after an update: merge the small ones

MERGE_DOCS = 5_000  # ...at most this many articles at once (bounds one commit's extra cost)

MERGE_DOCS_QUICK = 200  # the same for single-file calls (watch, web): ~1 s at most


def merge_small(writer: FastWriter, segments: list, limit: int | None = None) -> list:
    """Merge policy for update commits: once there would be more than MAX_SEGMENTS
    segments, the smallest ones (together at most `limit` live articles: MERGE_DOCS for
    updates, MERGE_DOCS_QUICK for the single-file calls of watch and the web) are merged
    into the segment being written, by re-adding their articles from stored fields
    through FastWriter. Whoosh's own merge feeds every posting through its sort pool,
    several times slower per article; this costs what indexing them again costs.
    Articles deleted or replaced in this same commit are already marked deleted in
    their old segments, so they are not carried over.
    """
    from whoosh.reading import SegmentReader

    if len(segments) + 1 <= MAX_SEGMENTS:
        return list(segments)
    chosen, total = [], 0
    for seg in sorted(segments, key=lambda s: s.doc_count()):
        if total + seg.doc_count() > (MERGE_DOCS if limit is None else limit):
            break  # big segments (a build's) are never rewritten by an update
        chosen.append(seg)
        total += seg.doc_count()
    if len(chosen) < 2:
        return list(segments)
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            for stored in reader.all_stored_fields():
                article = article_from_stored(stored)
                where = stories.Assignment(
                    stored.get("group") or article.id, bool(stored["canonical"])
                )
                writer.add_article(article, article_fields(article, where))
        finally:
            reader.close()
    merged = {id(s) for s in chosen}
    log.info("merged %d small segments (%d articles)", len(chosen), total)
    return [s for s in segments if id(s) not in merged]
