"""postings: a term's documents read a block at a time equal Whoosh's own answer."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from indexer.read import postings
from indexer.read.postings import EMPTY, term_docs
from tests.unit.read.small_index import whoosh_postings

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


@pytest.mark.parametrize(
    ("field", "text", "count"),
    [("body", "every", N), ("body", "third", 100), ("body", "often", N), ("tags", "rare", 2)],
)
def test_block_reading_equals_the_public_api(index, field: str, text: str, count: int) -> None:
    with index.reader() as reader:
        ids, _ = whoosh_postings(reader, field, text)
        assert len(ids) == count  # deleted documents included: the caller masks them
        docs = term_docs(reader, field, text)
    assert docs.dtype == np.int64 and docs.tolist() == ids


def test_the_fast_path_is_taken_on_whoosh_postings(index) -> None:
    with index.reader() as reader:
        assert postings._fast(postings._leaf_matcher(reader, "body", "every"))


def test_without_whoosh_internals_the_public_fallback_gives_the_same(
    index, monkeypatch: pytest.MonkeyPatch
) -> None:
    with index.reader() as reader:
        fast = term_docs(reader, "body", "third")
        monkeypatch.setattr(postings, "_fast", lambda m: False)
        slow = term_docs(reader, "body", "third")
    assert fast.tolist() == slow.tolist()


@pytest.mark.parametrize(("field", "text"), [("body", "absent"), ("tags", "nothing")])
def test_an_absent_term_has_no_documents(index, field: str, text: str) -> None:
    with index.reader() as reader:
        assert term_docs(reader, field, text) is EMPTY
