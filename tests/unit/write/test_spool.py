"""The build's spool: records come back whole, in the order asked, one at a time."""

from __future__ import annotations

from pathlib import Path

from indexer.models import Article
from indexer.write.spool import SpoolWriter, read_records


def _article(i: int) -> Article:
    return Article(
        id=f"a{i}",
        path=f"p/{i}.txt",
        title=f"标题{i}",
        title_inferred=bool(i % 2),
        published=None if i % 3 else f"2024-01-0{i % 9 + 1}",
        sources=("新华社", f"来源{i}"),
        site="草原新闻网" if i % 2 else None,
        body="科技创新" * (i + 1) + "\n第二段",
        content_hash=f"h{i}",
        file_hash=f"f{i}",
        regions=("包头",) if i % 2 else (),
        documents=("《政策》",),
    )


def test_records_come_back_as_written_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "spool"
    with SpoolWriter(path) as spool:
        offsets = [spool.put(_article(i)) for i in range(6)]
    assert offsets == sorted(set(offsets))
    assert list(read_records(path, offsets)) == [_article(i) for i in range(6)]
    order = [4, 0, 5, 1]
    got = list(read_records(path, [offsets[i] for i in order]))
    assert got == [_article(i) for i in order]


def test_records_are_read_one_at_a_time(tmp_path: Path) -> None:
    """A reader that stops early has read only what it took (the file is not loaded)."""
    path = tmp_path / "spool"
    with SpoolWriter(path) as spool:
        offsets = [spool.put(_article(i)) for i in range(3)]
    records = read_records(path, offsets)
    assert next(records) == _article(0)
    path.write_bytes(path.read_bytes()[: offsets[2]])  # the last record cut off
    assert next(records) == _article(1)


def test_flush_makes_what_was_put_readable(tmp_path: Path) -> None:
    path = tmp_path / "spool"
    spool = SpoolWriter(path)
    try:
        offset = spool.put(_article(1))
        spool.flush()
        assert list(read_records(path, [offset])) == [_article(1)]
    finally:
        spool.close()
