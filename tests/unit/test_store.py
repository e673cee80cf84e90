"""store.py units: the fast writer writes what Whoosh would, the manifest, the corpus scan."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from whoosh import index as windex

from indexer import groups, segment_writer, store
from indexer.extract.pipeline import iter_corpus, process_file
from indexer.index import errors, layout, whoosh_adapter
from indexer.index.schema import build_schema
from indexer.models import Article

HAN = "科技创新稀土新材料包头鄂尔多斯呼和浩特高质量发展项目企业人才平台政策"


def _article(i: int, title: str, body: str, **kw) -> Article:
    return Article(
        id=f"a{i:04d}",
        path=f"p/{i:04d}.txt",
        title=title,
        title_inferred=kw.get("title_inferred", False),
        published=kw.get("published", f"2023-05-0{1 + i % 9}"),
        sources=kw.get("sources", ("内蒙古日报", "新华社")),
        site=kw.get("site", "草原新闻网"),
        body=body,
        content_hash=f"h{i}",
        file_hash=f"f{i}",
    )


def _articles(seeds_dir: Path) -> list[Article]:
    rng = random.Random(3)
    out = [process_file(p, seeds_dir) for p in iter_corpus(seeds_dir)]
    odd = [
        ("", "一"),  # empty title, one-character body
        ("R&D经费5000万元", "全市R&D经费投入达到53.2亿元, 投入强度0.91%。"),
        ("高新區(qū)發展", "包頭稀土高新區２０２３年ＧＤＰ增長。"),  # traditional, full width
        ("標題", "…①㎡ 科技"),  # characters that fold to several
        ("a", "!!!"),  # no significant character in the body
    ]
    out += [_article(i, t, b) for i, (t, b) in enumerate(odd)]
    # 300 articles sharing terms: posting lists longer than one 128-posting block.
    for i in range(300):
        body = "".join(rng.choice(HAN) for _ in range(rng.randint(20, 200)))
        out.append(_article(100 + i, "科技" + body[:6], body))
    return out


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _postings(reader, field: str) -> dict:
    out = {}
    for term in reader.lexicon(field):
        info = reader.term_info(field, term)
        m = reader.postings(field, term)
        items = []
        while m.is_active():
            items.append((m.id(), m.weight(), m.value()))
            m.next()
        out[term] = (
            info.weight(),
            info.doc_frequency(),
            info.min_length(),
            info.max_length(),
            info.max_weight(),
            info.min_id(),
            info.max_id(),
            items,
        )
    return out


@pytest.mark.parametrize("public_api", [False, True])  # True: the adapter's fallback
@pytest.mark.parametrize("block", [segment_writer.BLOCK_POSTINGS, 16])  # 16: many blocks
def test_fast_writer_writes_exactly_what_whoosh_writes(
    seeds_dir: Path, tmp_path: Path, block: int, public_api: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment_writer, "BLOCK_POSTINGS", block)
    if public_api:  # as if a Whoosh upgrade renamed the postings writer's private names
        monkeypatch.setattr(whoosh_adapter, "_block_writer", lambda fw: None)
    articles = _articles(seeds_dir)
    plain = windex.create_in(str(_mkdir(tmp_path / "plain")), build_schema())
    fast = windex.create_in(str(_mkdir(tmp_path / "fast")), build_schema())
    where = groups.Assignment("g", True)
    with plain.writer() as w:
        for a in articles:
            w.add_document(**store.article_fields(a, b"sig", where))
    w = store.FastWriter(fast)
    for a in articles:
        w.add_article(a, store.article_fields(a, b"sig", where))
    w.commit(merge=False)

    rp, rf = plain.reader(), fast.reader()
    assert rf.doc_count() == len(articles)
    long_lists = 0
    for field in build_schema().names():
        if not build_schema()[field].indexed:
            continue
        got, want = _postings(rf, field), _postings(rp, field)
        assert list(got) == list(want), field
        assert got == want, field
        long_lists += sum(1 for v in got.values() if v[1] > block)
        assert rf.field_length(field) == rp.field_length(field)
        for doc in range(rp.doc_count_all()):
            assert rf.doc_field_length(doc, field) == rp.doc_field_length(doc, field)
    if block < 128:
        assert long_lists > 10  # multi-block posting lists were compared
    assert list(rf.all_stored_fields()) == list(rp.all_stored_fields())
    for name in ("published", "year", "site", "group"):
        assert list(rf.column_reader(name)) == list(rp.column_reader(name))


def test_stored_fields_round_trip_to_the_article(seeds_dir: Path, tmp_path: Path) -> None:
    a = _articles(seeds_dir)[0]
    ix = windex.create_in(str(tmp_path), build_schema())
    w = store.FastWriter(ix)
    w.add_article(a, store.article_fields(a, b"s", groups.Assignment(a.id, True)))
    w.commit(merge=False)
    with ix.searcher() as s:
        assert store.article_from_stored(s.document(id=a.id)) == a


@pytest.mark.parametrize(
    ("published", "year", "month"),
    [
        ("2023-12-05T22:45", "2023", "2023-12"),
        ("2024-01", "2024", "2024-01"),
        (None, "unknown", "unknown"),
    ],
)
def test_date_facets(published, year, month) -> None:
    a = _article(1, "t", "b", published=published)
    fields = store.article_fields(a, b"", groups.Assignment("a0001", True))
    assert (fields["published"], fields["year"], fields["month"]) == (published or "", year, month)


def test_scan_corpus_selects_what_the_pipeline_does(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(seeds_dir, corpus / "a" / "b")
    (corpus / "page.HTML").write_text("<p>x</p>")
    (corpus / ".hidden.txt").write_text("x")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "x.txt").write_text("x")
    (corpus / "copying.txt.part").write_text("x")
    (corpus / "~lock.txt").write_text("x")
    (corpus / "notes.md").write_text("x")
    scanned = store.scan_corpus(corpus)
    expected = {p.relative_to(corpus).as_posix() for p in iter_corpus(corpus)}
    assert set(scanned) == expected
    assert len(expected) == 6
    cf = scanned["page.HTML"]
    assert (cf.size, Path(cf.path)) == (8, corpus / "page.HTML")


def test_manifest_is_rebuilt_when_it_lags_the_index(tmp_path: Path, seeds_dir: Path) -> None:
    root = tmp_path / "index"
    store.build(seeds_dir, root)
    gen = layout.current_generation_dir(root)
    m = store.Manifest(gen / layout.MANIFEST)
    with m.transaction() as db:  # as if the writer died between its two commits
        m.set_generation(db, 0)
        db.execute("DELETE FROM docs")
    m.close()
    report = store.update(seeds_dir, root)
    assert report.nothing_to_do and report.unchanged == 5  # hashed once, nothing reindexed
    m = store.Manifest(gen / layout.MANIFEST)
    assert m.count("docs") == 5
    assert m.count("bands") == 5 * groups.BANDS
    assert m.generation() == store.open_index(root).latest_generation()
    assert all(f.size is not None for f in m.files().values())
    m.close()


def test_write_lock_excludes_a_second_holder(tmp_path: Path) -> None:
    with store.write_lock(tmp_path, timeout=0.1):
        with pytest.raises(errors.IndexLocked):
            with store.write_lock(tmp_path, timeout=0.1):
                pass
    with store.write_lock(tmp_path, timeout=0.1):  # released on exit
        pass


def test_merge_policy_merges_only_small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    class Seg:
        def __init__(self, n: int) -> None:
            self.n = n

        def doc_count(self) -> int:
            return self.n

    class Writer:
        storage = schema = None

    monkeypatch.setattr(store, "MAX_SEGMENTS", 3)
    big = [Seg(20_000), Seg(10_000), Seg(store.MERGE_DOCS)]
    assert store._merge_small(Writer(), big) == big  # nothing small enough: leave them
    few = [Seg(20_000), Seg(1)]
    assert store._merge_small(Writer(), few) == few  # under the segment limit


def test_merge_policy_for_single_file_calls_takes_only_tiny_segments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Seg:
        def __init__(self, n: int) -> None:
            self.n = n

        def doc_count(self) -> int:
            return self.n

    monkeypatch.setattr(store, "MAX_SEGMENTS", 3)
    segs = [Seg(20_000), Seg(500), Seg(500)]
    assert store._merge_small(None, segs, limit=store.MERGE_DOCS_QUICK) == segs
