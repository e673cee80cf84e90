"""postings: a term's documents and weights read a block at a time equal Whoosh's own answer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from indexer.read import postings
from indexer.read.postings import EMPTY, term_docs, term_weights

# Whoosh writes postings in blocks of 128: enough documents for several blocks.
N = 300


@pytest.fixture(scope="module")
def index():
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(), tags=KEYWORD(commas=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for k in range(N):
            words = ["every"] + ["third"] * (k % 3 == 0) + ["often"] * (1 + k % 5)
            tags = "rare" if k in (7, 250) else "common"
            w.add_document(id=str(k), body=" ".join(words), tags=tags)
    with ix.writer() as w:
        w.delete_by_term("id", "9")  # a deletion wraps the matcher; the caller masks it
    return ix


def public(reader, field: str, text: str) -> tuple[list[int], list[float]]:
    """Whoosh's own answer, one matcher call per posting."""
    m = reader.postings(field, text)
    while hasattr(m, "child"):
        m = m.child
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


@pytest.mark.parametrize(
    ("field", "text", "count"),
    [("body", "every", N), ("body", "third", 100), ("body", "often", N), ("tags", "rare", 2)],
)
def test_block_reading_equals_the_public_api(index, field: str, text: str, count: int) -> None:
    with index.reader() as reader:
        ids, weights = public(reader, field, text)
        assert len(ids) == count  # deleted documents included: the caller masks them
        docs = term_docs(reader, field, text)
        got_ids, got_weights = term_weights(reader, field, text)
    assert docs.dtype == np.int64 and docs.tolist() == ids
    assert got_ids.tolist() == ids and got_weights.tolist() == weights


def test_the_fast_path_is_taken_on_whoosh_postings(index) -> None:
    with index.reader() as reader:
        assert postings._fast(postings._leaf_matcher(reader, "body", "every"))


def test_without_whoosh_internals_the_public_fallback_gives_the_same(
    index, monkeypatch: pytest.MonkeyPatch
) -> None:
    with index.reader() as reader:
        fast = term_weights(reader, "body", "often"), term_docs(reader, "body", "third")
        monkeypatch.setattr(postings, "_fast", lambda m: False)
        slow = term_weights(reader, "body", "often"), term_docs(reader, "body", "third")
    assert fast[0][0].tolist() == slow[0][0].tolist()
    assert fast[0][1].tolist() == slow[0][1].tolist()
    assert fast[1].tolist() == slow[1].tolist()


@pytest.mark.parametrize(("field", "text"), [("body", "absent"), ("tags", "nothing")])
def test_an_absent_term_has_no_documents(index, field: str, text: str) -> None:
    with index.reader() as reader:
        assert term_docs(reader, field, text) is EMPTY
        ids, weights = term_weights(reader, field, text)
    assert ids.size == 0 and weights.size == 0 and weights.dtype == np.float64


@settings(max_examples=60)
@given(
    st.sampled_from(["every", "third", "often"]),
    st.lists(st.integers(0, N + 5), max_size=40, unique=True),
)
def test_postings_within_some_documents_are_theirs_of_all(
    index, text: str, wanted: list[int]
) -> None:
    within = np.array(sorted(wanted), dtype=np.int64)
    with index.reader() as reader:
        all_ids, all_weights = term_weights(reader, "body", text)
        ids, weights = term_weights(reader, "body", text, within)
    keep = np.isin(all_ids, within)
    assert ids.tolist() == all_ids[keep].tolist()
    assert weights.tolist() == all_weights[keep].tolist()


def test_blocks_without_a_wanted_document_are_not_decoded(
    index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "every" spans three blocks of 128; documents 5 and 7 lie in the first alone."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    decoded: list[int] = []
    real = W3LeafMatcher._read_data

    def counting(self) -> None:
        decoded.append(self._maxid)
        real(self)

    monkeypatch.setattr(W3LeafMatcher, "_read_data", counting)
    with index.reader() as reader:
        ids, _ = term_weights(reader, "body", "every", np.array([5, 7]))
        assert ids.tolist() == [5, 7] and len(decoded) == 1
        decoded.clear()
        ids, _ = term_weights(reader, "body", "every", np.array([5, 290]))
        assert ids.tolist() == [5, 290] and len(decoded) == 2
