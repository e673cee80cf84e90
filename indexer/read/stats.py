"""`python -m indexer stats`: the index's figures, as the searcher counts them.

One definition of the statistics (read/columns.live_counts, live documents only), which
the web page uses too, so the CLI and the web never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.index.layout import current_generation_dir


@dataclass(frozen=True)
class Stats:
    articles: int
    stories: int
    sources: int
    sites: int
    first_published: str | None
    last_published: str | None
    undated: int
    generation: str


def stats(index_root: Path) -> Stats:
    """Counts for `python -m indexer stats`: the searcher's definition (live documents
    only, columns.live_counts), so the CLI and the web page never disagree."""
    from indexer.read.searcher import Searcher

    gen = current_generation_dir(index_root)
    searcher = Searcher(index_root)
    try:
        c = searcher.counts()
    finally:
        searcher.close()
    return Stats(
        articles=c["articles"],
        stories=c["stories"],
        sources=c["sources"],
        sites=c["sites"],
        first_published=c["date_min"],
        last_published=c["date_max"],
        undated=c["undated"],
        generation=gen.name,
    )
