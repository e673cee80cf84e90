"""The manifest: the writer's book of files and articles, kept in SQLite per generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.corpus import CorpusFile
from indexer.write import stories
from indexer.write.manifest import FileState, Manifest

BODY = "内蒙古自治区科学技术厅发布稀土新材料产业高质量发展政策，支持包头稀土高新区建设。"


def _member(doc_id: str, body: str = BODY, content_hash: str = "") -> stories.Member:
    return stories.Member(
        id=doc_id,
        path=f"{doc_id}.txt",
        content_hash=content_hash or f"h-{doc_id}",
        signature=stories.signature(body),
        published="2024-01-02",
        title_inferred=False,
        n_sources=2,
        site="科技厅",
    )


@pytest.fixture
def book(tmp_path: Path):
    m = Manifest(tmp_path / "manifest.sqlite")
    yield m
    m.close()


def test_files_keep_size_mtime_hash_id_and_reason(book: Manifest) -> None:
    with book.transaction() as db:
        book.put_file(db, CorpusFile("a.txt", "/c/a.txt", 10, 111), "a.txt", "ha", "A", None)
        book.put_file(db, None, "b.txt", "hb", None, "no body")  # size/mtime unknown
    assert book.files() == {
        "a.txt": FileState(10, 111, "ha", "A", None),
        "b.txt": FileState(None, None, "hb", None, "no body"),
    }
    assert book.files(["b.txt", "missing.txt"]) == {
        "b.txt": FileState(None, None, "hb", None, "no body")
    }
    assert book.stat_map() == {"a.txt": (10, 111), "b.txt": (None, None)}
    assert book.indexed_count() == 1
    with book.transaction() as db:
        book.delete_file(db, "a.txt")
    assert list(book.files()) == ["b.txt"] and book.indexed_count() == 0


def test_members_round_trip_with_their_story(book: Manifest) -> None:
    a, b = _member("A"), _member("B", "另一篇完全不同的文章，讲的是人才政策和科技项目的申报。")
    with book.transaction() as db:
        book.put_docs(db, [(a, stories.Assignment("A", True)), (b, stories.Assignment("B", True))])
    got = book.members(["A", "B", "C"])
    assert got == {"A": (a, stories.Assignment("A", True)), "B": (b, stories.Assignment("B", True))}
    assert book.count("docs") == 2 and book.count("bands") == 2 * stories.BANDS
    assert book.id_paths(["B", "C"]) == {"B": "B.txt"}


def test_a_story_moves_and_its_mates_are_found_by_group(book: Manifest) -> None:
    with book.transaction() as db:
        book.put_doc(db, _member("A"), stories.Assignment("A", True))
        book.put_doc(
            db, _member("B", "别的文章，别的内容，别的日期。"), stories.Assignment("B", True)
        )
        book.set_assignment(db, "B", stories.Assignment("A", False))
    assert book.group_mates(["A"]) == {"A", "B"}
    assert book.members(["B"])["B"][1] == stories.Assignment("A", False)


def test_candidates_share_a_band_or_the_content_hash(book: Manifest) -> None:
    other = "完全无关的一段文字：草原生态保护与畜牧业转型升级的调研报告。"
    with book.transaction() as db:
        book.put_doc(db, _member("A"), stories.Assignment("A", True))
        book.put_doc(db, _member("Z", other, content_hash="same"), stories.Assignment("Z", True))
    copy = _member("N", BODY)  # the same text: every band equal
    assert book.candidates(copy) == {"A"}
    by_hash = _member("M", "又一段不同的文字，关于交通运输和物流园区。", content_hash="same")
    assert book.candidates(by_hash) == {"Z"}
    assert "A" not in book.candidates(_member("A"))  # never its own candidate


def test_a_removed_article_leaves_no_bands(book: Manifest) -> None:
    with book.transaction() as db:
        book.put_doc(db, _member("A"), stories.Assignment("A", True))
    with book.transaction() as db:
        book.delete_doc(db, "A")
    assert book.count("docs") == 0 and book.count("bands") == 0
    assert book.candidates(_member("N")) == set()


def test_a_replaced_article_keeps_only_its_new_bands(book: Manifest) -> None:
    """A replace renews the docs row; the old signature's band rows go with the old row."""
    other = "完全无关的一段文字：草原生态保护与畜牧业转型升级的调研报告。"
    with book.transaction() as db:
        book.put_doc(db, _member("A"), stories.Assignment("A", True))
        book.put_doc(db, _member("B"), stories.Assignment("B", True))
    with book.transaction() as db:
        book.put_doc(db, _member("A", other), stories.Assignment("A", True))
    assert book.count("docs") == 2 and book.count("bands") == 2 * stories.BANDS
    assert book.candidates(_member("N", other)) == {"A"}
    assert book.candidates(_member("N", BODY)) == {"B"}
    with book.transaction() as db:  # a build passing a recorded article again
        book.put_docs(db, [(_member("B", other), stories.Assignment("B", True))])
    assert book.count("bands") == 2 * stories.BANDS
    assert book.candidates(_member("N", other)) == {"A", "B"}
    assert book.candidates(_member("N", BODY)) == set()


def test_toc_number_and_format_start_unknown_and_persist(tmp_path: Path) -> None:
    path = tmp_path / "manifest.sqlite"
    m = Manifest(path)
    assert (m.toc_number(), m.format()) == (None, None)
    with m.transaction() as db:
        m.set_toc_number(db, 7)
        m.set_format(db, "3")
    m.close()
    m = Manifest(path)
    assert (m.toc_number(), m.format()) == (7, "3")
    m.close()


def test_a_failed_transaction_changes_nothing(book: Manifest) -> None:
    with pytest.raises(RuntimeError), book.transaction() as db:
        book.put_file(db, None, "a.txt", "ha", "A", None)
        raise RuntimeError("killed mid-batch")
    assert book.files() == {}


def test_many_documents_get_exactly_their_band_rows_across_chunks(
    book: Manifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """put_docs streams in chunks with vectorised band keys: the rows must be those of
    band_keys (the reference, one signature at a time) under each document's row, an
    empty body has none, and a chunk boundary changes nothing."""
    from indexer.write import manifest as manifest_module

    monkeypatch.setattr(manifest_module, "PUT_CHUNK", 3)
    bodies = [BODY, "草原生态保护与畜牧业转型升级。", "", BODY + "补充", "鄂尔多斯能源", "包头"] * 2
    members = [_member(f"D{i}", body) for i, body in enumerate(bodies)]
    with book.transaction() as db:
        book.put_docs(db, ((m, stories.Assignment(m.id, True)) for m in members), fresh=True)
        rowid = dict(db.execute("SELECT id, rowid FROM docs"))
        got = set(db.execute("SELECT key, doc FROM bands"))
    want = {(k, rowid[m.id]) for m in members for k in stories.band_keys(m.signature)}
    assert got == want and book.count("docs") == len(members)
    assert not stories.band_keys(members[2].signature)  # the empty body: no bands
