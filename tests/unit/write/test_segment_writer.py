"""FastWriter writes exactly what Whoosh's own writer writes, through either road of the
Whoosh adapter (block writes, or the public API), except the word fields' postings, which
it writes to the word postings file alone: those are compared with Whoosh's own."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as windex

from indexer.extract.pipeline import iter_corpus, process_file
from indexer.index import fields, whoosh_adapter
from indexer.index.schema import build_schema
from indexer.models import Article
from indexer.write import segment_writer, stories
from tests.unit.read.small_index import whoosh_postings

WORD_FIELDS = ("title", "body")
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
    where = stories.Assignment("g", True)
    with plain.writer() as w:
        for a in articles:
            w.add_document(**fields.article_fields(a, where))
    w = segment_writer.FastWriter(fast)
    for a in articles:
        w.add_article(a, fields.article_fields(a, where))
    w.commit(merge=False)

    rp, rf = plain.reader(), fast.reader()
    assert rf.doc_count() == len(articles)
    long_lists: dict[str, int] = {}  # field -> posting lists longer than a block
    for field in build_schema().names():
        if not build_schema()[field].indexed:  # stored only, or schema.unposted: no terms
            assert field not in {*rf.indexed_field_names(), *rp.indexed_field_names()}, field
            continue
        if field in WORD_FIELDS:  # in the word postings file instead (the test below)
            assert list(rf.lexicon(field)) == [] and len(list(rp.lexicon(field))) > 50
        else:
            got, want = _postings(rf, field), _postings(rp, field)
            assert list(got) == list(want), field
            assert got == want, field
            long_lists[field] = sum(1 for v in got.values() if v[1] > block)
        assert rf.field_length(field) == rp.field_length(field)
        for doc in range(rp.doc_count_all()):
            assert rf.doc_field_length(doc, field) == rp.doc_field_length(doc, field)
    if block < 128:
        # Multi-block posting lists were compared: a keyword field's and the canonical
        # flag's (every article canonical here). The unposted ID fields supply none now.
        assert long_lists["sources"] > 0 and long_lists["canonical"] == 1, long_lists
    assert list(rf.all_stored_fields()) == list(rp.all_stored_fields())
    for name in ("published", "year", "month", "site", "group"):
        assert list(rf.column_reader(name)) == list(rp.column_reader(name))


def test_word_postings_file_holds_whooshs_postings_of_the_word_fields(
    seeds_dir: Path, tmp_path: Path
) -> None:
    """The arrays BM25F reads (word_postings.py) are the postings Whoosh's own writer
    writes for the same documents in the same segments: every term, document, weight,
    document frequency and the most frequent terms, bit for bit."""
    from indexer.index import word_postings

    articles = _articles(seeds_dir)
    plain = windex.create_in(str(_mkdir(tmp_path / "plain")), build_schema())
    fast = windex.create_in(str(_mkdir(tmp_path / "fast")), build_schema())
    where = stories.Assignment("g", True)
    for batch in (articles[:200], articles[200:]):  # two segments: local docnums differ
        w = segment_writer.FastWriter(fast)
        for a in batch:
            w.add_article(a, fields.article_fields(a, where))
        w.commit(merge=False)
        with plain.writer() as pw:
            pw.merge = False
            for a in batch:
                pw.add_document(**fields.article_fields(a, where))
    pairs = list(zip(plain.reader().leaf_readers(), fast.reader().leaf_readers(), strict=True))
    assert len(pairs) == 2
    for (leaf, _), (fast_leaf, _) in pairs:
        words = word_postings.open_segment(
            tmp_path / "fast", fast_leaf.segment().make_filename(word_postings.EXT)
        )
        for field in word_postings.FIELDS:
            lexicon = list(leaf.lexicon(field))
            assert len(words._terms[field]) == len(lexicon) > 50
            assert list(words._terms[field]) == lexicon
            for term in lexicon:
                ids, tf = words.postings(field, term.decode("utf-8"))
                want_ids, want_tf = whoosh_postings(leaf, field, term)
                assert ids.tolist() == want_ids, (field, term)
                assert tf.tolist() == want_tf, (field, term)
                assert words.doc_frequency(field, term.decode("utf-8")) == leaf.doc_frequency(
                    field, term
                )
            assert words.doc_frequency(field, "不在其中的词") == 0
            top = [(w, t.decode("utf-8")) for w, t in leaf.most_frequent_terms(field, 40)]
            assert words.most_frequent(field, 40) == top
