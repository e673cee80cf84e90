"""ngram_build.py: a segment's n-gram arrays sorted a bucket at a time are those of one
whole sort, bit for bit, whatever the buckets."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.index import ngram_build, ngrams


def _whole_sort(texts: list[np.ndarray], docnums: list[int]) -> dict[str, np.ndarray]:
    """The reference: every occurrence of the segment keyed and stably sorted at once."""
    sizes = np.array([t.size for t in texts], dtype=np.int64)
    flat = np.concatenate(texts) if texts else np.zeros(0, np.uint32)
    doc_type = ngram_build._column_type(docnums[-1] + 1 if docnums else 0)
    pos_type = ngram_build._column_type(int(sizes.max()) if sizes.size else 0)
    doc_of = np.repeat(np.asarray(docnums, dtype=doc_type), sizes)
    pos = (np.arange(flat.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)).astype(pos_type)
    pair = doc_of[:-1] == doc_of[1:]
    gkeys = ((flat[:-1].astype(np.uint64) << np.uint64(ngrams.BITS)) | flat[1:])[pair]
    order = np.argsort(gkeys, kind="stable")
    gkeys, gdoc, gpos = gkeys[order], doc_of[:-1][pair][order], pos[:-1][pair][order]
    gstart = np.flatnonzero(np.r_[True, gkeys[1:] != gkeys[:-1]]) if gkeys.size else []
    packed = np.unique((flat.astype(np.uint64) << np.uint64(32)) | doc_of)
    ckeys = (packed >> np.uint64(32)).astype(np.uint32)
    cstart = np.flatnonzero(np.r_[True, ckeys[1:] != ckeys[:-1]]) if ckeys.size else []
    doc_len = np.zeros(docnums[-1] + 1 if docnums else 0, dtype=np.uint32)
    doc_len[docnums] = sizes
    return {
        "gram_key": gkeys[gstart],
        "gram_start": np.append(gstart, gkeys.size).astype(np.int64),
        "gram_doc": gdoc,
        "gram_pos": gpos,
        "char_key": ckeys[cstart],
        "char_start": np.append(cstart, ckeys.size).astype(np.int64),
        "char_doc": (packed & np.uint64(0xFFFFFFFF)).astype(doc_type),
        "doc_len": doc_len,
    }


# A few code points, one beyond the BMP and one past 2**16 positions' worth of text
# apart: repeats, equal first characters and wide keys are common.
CODES = [0x31, 0x61, 0x79D1, 0x6280, 0x1F600, 0x10FFFF]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(CODES), min_size=1, max_size=30), max_size=12),
    st.integers(1, 40),
    st.integers(0, 3),
)
def test_bucketed_sort_equals_one_whole_sort(texts: list[list[int]], bucket: int, gap: int) -> None:
    arrays = [np.array(t, dtype=np.uint32) for t in texts]
    docnums = [i * (gap + 1) for i in range(len(arrays))]  # local docnums with holes
    got = ngram_build.postings(arrays, docnums, bucket=bucket)
    want = _whole_sort(arrays, docnums)
    assert list(got) == list(want)
    for name, arr in want.items():
        assert got[name].dtype == arr.dtype, name
        assert got[name].tolist() == arr.tolist(), name


def test_wide_columns_when_documents_or_positions_pass_16_bits() -> None:
    long_text = np.array([0x79D1, 0x6280] * 40_000, dtype=np.uint32)
    got = ngram_build.postings([long_text, long_text[:3]], [0, 70_000], bucket=1000)
    want = _whole_sort([long_text, long_text[:3]], [0, 70_000])
    for name, arr in want.items():
        assert got[name].dtype == arr.dtype and np.array_equal(got[name], arr), name
    assert got["gram_doc"].dtype == np.uint32 and got["gram_pos"].dtype == np.uint32


@given(st.lists(st.sampled_from(CODES), max_size=60), st.integers(1, 20))
def test_code_ranges_cover_every_code_point_once_in_order(codes: list[int], bucket: int) -> None:
    flat = np.array(codes, dtype=np.uint32)
    ranges = ngram_build.code_ranges(flat, bucket)
    assert all(lo < hi for lo, hi in ranges)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    for lo, hi in ranges:  # each range holds at most `bucket`, unless it is one code point
        held = int(np.count_nonzero((flat >= lo) & (flat < hi)))
        assert held <= bucket or len(np.unique(flat[(flat >= lo) & (flat < hi)])) == 1
    assert (ranges[0][0] == 0 and ranges[-1][1] > max(codes)) if codes else ranges == []


def test_writing_empties_the_code_lists_and_writes_what_postings_gives(tmp_path) -> None:
    body = [np.array([0x79D1, 0x6280, 0x79D1], dtype=np.uint32)]
    per_text = {"body": (body, [0]), "title": ([], [])}
    want = ngram_build.postings(list(body), [0])
    ngram_build.write_segment(tmp_path / "MAIN_x.ngr", per_text)
    assert body == []
    got = ngrams.read_arrays(tmp_path / "MAIN_x.ngr")
    for name, arr in want.items():
        assert np.array_equal(got[f"body.{name}"], arr), name
