"""What a write did: the reports build and update return, and progress reporting.

Progress is a callback the caller passes in (the CLI draws bars with it): the writer only
says which stage it is in and how far along, at most once per file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indexer.models import Article

if TYPE_CHECKING:
    from indexer.corpus import CorpusFile
    from indexer.extract.pipeline import PageLines

# progress(stage, done, total): called as a stage advances; stage is "reading",
# "indexing" or "updating".
Progress = Callable[[str, int, int], None]


class Steps:
    """One stage's count of steps, told to the caller's progress callback (if any)."""

    def __init__(self, progress: Progress | None, stage: str, total: int) -> None:
        self.progress, self.stage, self.total = progress, stage, total
        self.done = 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and n:
            self.progress(self.stage, self.done, self.total)


@dataclass(frozen=True)
class BuildReport:
    """What a full build did. `copies`: articles shown under another story's canonical
    member (the CLI prints them as "duplicates grouped")."""

    files_read: int
    articles: int
    stories: int
    copies: int
    skipped: tuple[tuple[str, str], ...]
    seconds: float
    generation: str


@dataclass(frozen=True)
class UpdateReport:
    """What an incremental change did, by article id (paths for skipped files).

    `regrouped` lists existing articles whose group or canonical flag changed because of
    the others (they were rewritten); `reread` lists existing articles read again because
    their site's template changed (site_templates.py); `articles` holds the records of
    the added and changed articles as indexed.
    """

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: tuple[tuple[str, str], ...] = ()
    regrouped: tuple[str, ...] = ()
    seconds: float = 0.0
    reread: tuple[str, ...] = ()
    articles: tuple[Article, ...] = ()

    @property
    def nothing_to_do(self) -> bool:
        return not (self.added or self.changed or self.removed or self.skipped)


@dataclass
class Tally:
    """What an incremental run has done so far (mutable while it runs)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    regrouped: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    # Files read anew, with what each adds to its site's template counts.
    surveyed: list[tuple[CorpusFile | None, PageLines | None]] = field(default_factory=list)
    rereading: bool = False  # reading pages again for their site's new template
    reread: list[str] = field(default_factory=list)

    def record(self, article: Article, is_new: bool) -> None:
        """One article written; a page read again keeps its place in the report."""
        if not self.rereading:
            (self.added if is_new else self.changed).append(article.id)
            self.articles.append(article)
            return
        self.reread.append(article.id)
        self.articles = [article if a.id == article.id else a for a in self.articles]

    def report(self, t0: float) -> UpdateReport:
        added = set(self.added)
        changed = set(self.changed)
        return UpdateReport(
            added=tuple(self.added),
            changed=tuple(self.changed),
            removed=tuple(self.removed),
            unchanged=self.unchanged,
            skipped=tuple(self.skipped),
            regrouped=tuple(
                sorted({i for i in self.regrouped if i not in added and i not in changed})
            ),
            seconds=time.perf_counter() - t0,
            articles=tuple(self.articles),
            reread=tuple(sorted({i for i in self.reread if i not in added and i not in changed})),
        )
