"""One opened generation: literal-term masks, their cache, documents by id, staleness."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex

from indexer.index import ngrams, word_postings
from indexer.index.errors import IndexOutdated
from indexer.read import part_files
from indexer.read.generation import SETTLED_NS, Generation, open_checks, settled
from indexer.read.query import Term, parse
from tests.unit.read.small_index import Doc, add_docs, write_index

DOCS = [
    Doc("t", "稀土新材料", "产业发展。"),
    Doc("b", "科技突围", "稀土产业蓬勃发展。"),
    Doc("n", "草原旅游", "牧区生活。"),
]


@pytest.fixture
def gen(tmp_path: Path):
    g = Generation(write_index(tmp_path / "ix", DOCS), cache_size=2)
    yield g
    g.close()


def _ids(g: Generation, mask: np.ndarray) -> set[str]:
    return {g.stored(int(d))["id"] for d in np.flatnonzero(mask)}


def test_a_term_masks_every_document_holding_it_and_apart_those_holding_it_in_the_title(
    gen: Generation,
) -> None:
    anywhere, title = gen.term_masks(Term("稀土"))
    assert _ids(gen, anywhere) == {"t", "b"}
    assert _ids(gen, title) == {"t"}


def test_a_title_only_term_ignores_bodies(gen: Generation) -> None:
    anywhere, title = gen.term_masks(Term("稀土", title_only=True))
    assert _ids(gen, anywhere) == _ids(gen, title) == {"t"}


def test_matched_ands_clauses_ors_inside_one_and_drops_negated_terms(gen: Generation) -> None:
    assert _ids(gen, gen.matched(parse("稀土 产业"))[0]) == {"t", "b"}
    assert _ids(gen, gen.matched(parse("突围 OR 牧区"))[0]) == {"b", "n"}
    out, in_title = gen.matched(parse("稀土 -突围"))
    assert _ids(gen, out) == {"t"} and _ids(gen, in_title) == {"t"}


def test_the_term_cache_gives_the_same_masks_and_keeps_at_most_its_size(gen: Generation) -> None:
    first = gen.term_masks(Term("发展"))
    again = gen.term_masks(Term("发展"))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    for word in ("稀土", "牧区", "草原"):
        gen.term_masks(Term(word))
    assert list(gen._cache) == [("牧区", False), ("草原", False)]  # least recent went first


def test_no_cache_keeps_nothing(tmp_path: Path) -> None:
    g = Generation(write_index(tmp_path / "ix", DOCS), cache_size=0)
    g.term_masks(Term("稀土"))
    assert not g._cache
    g.close()


def test_docnum_of_finds_a_live_document_and_none_for_an_unknown_id(gen: Generation) -> None:
    d = gen.docnum_of("b")
    assert d is not None and gen.stored(d)["id"] == "b"
    assert gen.docnum_of("missing") is None


def test_a_later_commit_makes_the_generation_out_of_date(tmp_path: Path) -> None:
    root = write_index(tmp_path / "ix", DOCS)
    g = Generation(root)
    assert g.up_to_date() and g.n == len(DOCS)
    add_docs(windex.open_dir(str(root)), [Doc("x", "新增", "新的一篇。")])
    assert not g.up_to_date()
    g.close()


def test_a_settled_folder_is_checked_by_one_stat_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_index(tmp_path / "ix", DOCS)
    g = Generation(root)
    mtime = os.stat(root).st_mtime_ns
    listed = []
    latest = g.ix.latest_generation
    monkeypatch.setattr(g.ix, "latest_generation", lambda: listed.append(1) or latest())
    # Modified just now: a commit in the same clock tick could keep the time, so it lists.
    assert g.up_to_date(now_ns=mtime) and g.up_to_date(now_ns=mtime) and len(listed) == 2
    later = mtime + SETTLED_NS + 1
    assert g.up_to_date(now_ns=later) and len(listed) == 3  # settled: recorded
    assert g.up_to_date(now_ns=later) and len(listed) == 3  # one stat, no listing
    add_docs(windex.open_dir(str(root)), [Doc("x", "新增", "新的一篇。")])
    os.utime(root, ns=(mtime + 5, mtime + 5))  # whatever time the commit left, it moved
    assert not g.up_to_date(now_ns=later) and len(listed) == 4
    g.close()


@pytest.mark.parametrize(
    ("age_ns", "settled_now"), [(0, False), (SETTLED_NS, False), (SETTLED_NS + 1, True)]
)
def test_settled_means_older_than_the_margin(age_ns: int, settled_now: bool) -> None:
    assert settled(10**18, 10**18 + age_ns) is settled_now


def test_open_checks_says_no_index_in_an_empty_folder(tmp_path: Path) -> None:
    assert open_checks(tmp_path) is False
    assert open_checks(write_index(tmp_path / "ix", DOCS)) is True


@pytest.mark.parametrize("ext", [word_postings.EXT, ngrams.EXT])
def test_a_segment_without_its_word_or_ngram_postings_asks_for_a_rebuild(
    tmp_path: Path, ext: str
) -> None:
    """Older formats kept the word postings in Whoosh's term file alone: such a segment
    is refused, not scored as if no word occurred."""
    root = write_index(tmp_path / "ix", DOCS)
    for path in root.glob(f"*{ext}"):
        path.unlink()
    with pytest.raises(IndexOutdated, match="missing"):
        Generation(root)


def _columns_state(g: Generation) -> list:
    c = g.columns
    return [
        list(c.group.values),
        c.group_of.tolist(),
        c.canonical.tolist(),
        c.site.values,
        c.site.of_doc.tolist(),
        c.dates,
        c.source_values,
        c.pair_doc.tolist(),
        [p.lengths["body"].tolist() for p in c.parts],
        [p.keyword_pairs["regions"].values for p in c.parts],
    ]


def test_segment_arrays_are_saved_once_and_read_back_the_same(tmp_path: Path, caplog) -> None:
    """A segment's part is written beside it on its first reading; the next opening reads
    it back and has the same columns. A damaged or foreign file is read again, said once."""
    root = write_index(tmp_path / "ix", DOCS)
    first = _columns_state(Generation(root))
    saved = sorted(root.rglob("*.prt"))
    assert saved
    with np.load(saved[0]) as z:
        assert set(z.files) == part_files.PART_ARRAYS  # what is saved is what is checked
    stamps = [p.stat().st_mtime_ns for p in saved]
    assert _columns_state(Generation(root)) == first
    assert [p.stat().st_mtime_ns for p in saved] == stamps  # read back, not written again
    saved[0].write_bytes(b"PK\x03\x04 not a whole file")
    assert _columns_state(Generation(root)) == first
    assert "re-reading segment arrays" in caplog.text
    Generation(root)  # saved again, whole
    with np.load(saved[0]) as z:
        arrays = {name: z[name] for name in z.files}
    arrays["field.site.codes"] = arrays["field.site.codes"] + 1000  # codes of another list
    with open(saved[0], "wb") as out:
        np.savez(out, **arrays)
    caplog.clear()
    assert _columns_state(Generation(root)) == first
    assert "not this segment's" in caplog.text
