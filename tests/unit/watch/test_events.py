"""events: each watchdog event becomes the Changes on corpus pages it stands for."""

from __future__ import annotations

import pytest
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from indexer.watch.events import (
    DIR_GONE,
    FOUND,
    GONE,
    MOVED,
    ROOT_GONE,
    WRITTEN,
    Change,
    appeared,
    leaves_tree,
    still_fresh,
    translate,
)

ROOT = "/srv/corpus"


@pytest.mark.parametrize(
    ("event", "changes"),
    [
        (FileClosedEvent(f"{ROOT}/a.txt"), [Change(WRITTEN, "a.txt")]),
        (FileModifiedEvent(f"{ROOT}/2024/a.HTML"), [Change(WRITTEN, "2024/a.HTML")]),
        (FileCreatedEvent(f"{ROOT}/new/b.htm"), [Change(FOUND, "new/b.htm")]),
        (FileDeletedEvent(f"{ROOT}/a.txt"), [Change(GONE, "a.txt")]),
        # a copy tool's rename of its temporary file into place: complete now
        (FileMovedEvent(f"{ROOT}/a.txt.part", f"{ROOT}/a.txt"), [Change(MOVED, "a.txt")]),
        (
            FileMovedEvent(f"{ROOT}/old.txt", f"{ROOT}/sub/new.txt"),
            [Change(GONE, "old.txt"), Change(MOVED, "sub/new.txt")],
        ),
        (FileMovedEvent("", f"{ROOT}/in.txt"), [Change(MOVED, "in.txt")]),  # from outside
        (FileMovedEvent(f"{ROOT}/out.txt", ""), [Change(GONE, "out.txt")]),  # moved away
        (FileMovedEvent(f"{ROOT}/out.txt", "/tmp/out.txt"), [Change(GONE, "out.txt")]),
        (DirDeletedEvent(f"{ROOT}/2024/03"), [Change(DIR_GONE, "2024/03/")]),
        (DirMovedEvent(f"{ROOT}/batch", ""), [Change(DIR_GONE, "batch/")]),
        (DirDeletedEvent(ROOT), [Change(ROOT_GONE)]),
        (DirMovedEvent(ROOT, "/srv/elsewhere"), [Change(ROOT_GONE)]),
        # no page: its files arrive as events of their own
        (DirCreatedEvent(f"{ROOT}/new"), []),
        (DirMovedEvent("", f"{ROOT}/batch"), []),
        (DirModifiedEvent(f"{ROOT}/new"), []),
        # no page: hidden, temporary or foreign names, hidden folders, outside the corpus
        (FileClosedEvent(f"{ROOT}/.a.txt"), []),
        (FileClosedEvent(f"{ROOT}/a.txt.part"), []),
        (FileClosedEvent(f"{ROOT}/a.pdf"), []),
        (FileClosedEvent(f"{ROOT}/.git/a.txt"), []),
        (DirDeletedEvent(f"{ROOT}/.git/objects"), []),
        (FileClosedEvent("/srv/corpus-old/a.txt"), []),
        (FileMovedEvent(f"{ROOT}/a.txt.part", f"{ROOT}/.a.txt"), []),
        # no change of content
        (FileOpenedEvent(f"{ROOT}/a.txt"), []),
        (FileClosedNoWriteEvent(f"{ROOT}/a.txt"), []),
    ],
)
def test_translate(event, changes: list[Change]) -> None:
    assert translate(event, ROOT) == changes


def test_translate_takes_bytes_paths() -> None:
    event = FileClosedEvent(f"{ROOT}/新闻/一.txt".encode())
    assert translate(event, ROOT) == [Change(WRITTEN, "新闻/一.txt")]


@pytest.mark.parametrize(
    ("event", "leaves"),
    [
        (DirMovedEvent(f"{ROOT}/batch", ""), True),  # renamed away, out of every watch
        (DirMovedEvent(f"{ROOT}/batch", "/tmp/batch"), True),
        (DirMovedEvent(f"{ROOT}/batch", f"{ROOT}/2024/batch"), False),  # within the corpus
        (DirMovedEvent("", f"{ROOT}/batch"), False),  # moved in
        (DirDeletedEvent(f"{ROOT}/batch"), False),  # deleted: its watches go with it
        (FileMovedEvent(f"{ROOT}/a.txt", ""), False),
    ],
)
def test_leaves_tree(event, leaves: bool) -> None:
    assert leaves_tree(event, ROOT) is leaves


@pytest.mark.parametrize(
    ("closes", "fresh", "changes"),
    [
        (False, None, [Change(FOUND, "new/b.htm")]),  # no closes: a creation is all there is
        (True, None, []),  # its close will follow
        (True, "new/", [Change(FOUND, "new/b.htm")]),  # in a folder that just appeared
        (True, "other/", []),
    ],
)
def test_a_creation_counts_where_no_close_will_tell(
    closes: bool, fresh: str | None, changes: list[Change]
) -> None:
    event = FileCreatedEvent(f"{ROOT}/new/b.htm")
    assert translate(event, ROOT, closes=closes, fresh=fresh) == changes


@pytest.mark.parametrize(
    ("event", "fresh", "after"),
    [
        (DirCreatedEvent(f"{ROOT}/new"), None, "new/"),
        (DirMovedEvent("", f"{ROOT}/batch"), None, "batch/"),
        (DirMovedEvent(f"{ROOT}/a", f"{ROOT}/b"), "x/", "b/"),
        (DirCreatedEvent(f"{ROOT}/new/sub"), "new/", "new/"),  # still inside it
        (DirCreatedEvent(f"{ROOT}/other"), "new/", "other/"),
        (DirCreatedEvent(f"{ROOT}/.git"), None, None),
        (FileCreatedEvent(f"{ROOT}/new/sub/a.txt"), "new/", "new/"),
        (FileCreatedEvent(f"{ROOT}/a.txt"), "new/", None),
        (FileClosedEvent(f"{ROOT}/new/a.txt"), "new/", None),
        (DirMovedEvent(f"{ROOT}/new", ""), "new/", None),
    ],
)
def test_still_fresh(event, fresh: str | None, after: str | None) -> None:
    assert still_fresh(event, ROOT, fresh) == after


def test_appeared() -> None:
    assert appeared(DirCreatedEvent(f"{ROOT}/a/b"), ROOT) == "a/b/"
    assert appeared(DirMovedEvent(f"{ROOT}/a", "/tmp/a"), ROOT) is None
    assert appeared(FileCreatedEvent(f"{ROOT}/a"), ROOT) is None
