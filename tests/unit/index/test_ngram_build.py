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
    doc_of = np.repeat(np.asarray(docnums, dtype=doc_type), sizes)
    doc_len = np.zeros(docnums[-1] + 1 if docnums else 0, dtype=np.uint32)
    doc_len[docnums] = sizes
    # Each character's position in the segment: texts end to end, one empty slot after each.
    slot = np.cumsum(doc_len.astype(np.int64) + 1) - doc_len - 1
    pos = np.arange(flat.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    where = np.repeat(slot[docnums], sizes) + pos if sizes.size else pos
    pair = doc_of[:-1] == doc_of[1:]
    gkeys = ((flat[:-1].astype(np.uint64) << np.uint64(ngrams.BITS)) | flat[1:])[pair]
    order = np.argsort(gkeys, kind="stable")
    gkeys, gwhere = gkeys[order], where[:-1][pair][order]
    gstart = np.flatnonzero(np.r_[True, gkeys[1:] != gkeys[:-1]]) if gkeys.size else []
    gap, wide, wide_start = _gaps_one_by_one(gwhere.tolist(), list(gstart))
    gdoc = doc_of[:-1][pair][order]
    n_docs = docnums[-1] + 1 if docnums else 0
    dense, bits = _bitmaps_one_by_one(gdoc.tolist(), list(gstart), n_docs, ngram_build.DENSE_SHARE)
    packed = np.unique((flat.astype(np.uint64) << np.uint64(32)) | doc_of)
    ckeys = (packed >> np.uint64(32)).astype(np.uint32)
    cdoc = (packed & np.uint64(0xFFFFFFFF)).astype(doc_type)
    cstart = np.flatnonzero(np.r_[True, ckeys[1:] != ckeys[:-1]]) if ckeys.size else []
    cdense, cbits = _bitmaps_one_by_one(
        cdoc.tolist(), list(cstart), n_docs, ngram_build.CHAR_DENSE_SHARE
    )
    # A character with a bitmap lists no documents.
    clists = np.split(cdoc, cstart[1:]) if ckeys.size else []
    clists = [np.zeros(0, doc_type) if c in cdense else docs for c, docs in enumerate(clists)]
    return {
        "gram_key": gkeys[gstart],
        "gram_start": np.append(gstart, gkeys.size).astype(np.int64),
        "gram_gap": np.array(gap, dtype=np.uint16),
        "gram_wide": np.array(wide, dtype=np.uint32),
        "gram_wide_start": np.array(wide_start, dtype=np.int64),
        "gram_dense": np.array(dense, dtype=np.int64),
        "gram_bits": np.array(bits, dtype=np.uint8),
        "char_key": ckeys[cstart],
        "char_start": np.r_[0, np.cumsum([d.size for d in clists])].astype(np.int64),
        "char_doc": np.concatenate([np.zeros(0, doc_type), *clists]),
        "char_dense": np.array(cdense, dtype=np.int64),
        "char_bits": np.array(cbits, dtype=np.uint8),
        "doc_len": doc_len,
    }


def _gaps_one_by_one(where: list[int], runs: list[int]) -> tuple[list, list, list]:
    """The reference gap coding, one position at a time: each run from -1, a gap of
    2**16 or more written as 0 with the gap itself in the wide list."""
    gap, wide, wide_start = [], [], [0]
    ends = [*runs[1:], len(where)] if runs else []
    for lo, hi in zip(runs, ends, strict=True):
        prev = -1
        for w in where[lo:hi]:
            small = w - prev < 1 << 16
            gap.append(w - prev if small else 0)
            wide.extend([] if small else [w - prev])
            prev = w
        wide_start.append(len(wide))
    return gap, wide, wide_start


def _bitmaps_one_by_one(
    doc: list[int], runs: list[int], n_docs: int, share: float
) -> tuple[list, list]:
    """The reference document bitmaps: each term (bigram or character) with at least
    `share` as many entries (occurrences, documents) as the segment has documents, its
    documents' bits set, most significant bit first."""
    dense, bits = [], []
    ends = [*runs[1:], len(doc)] if runs else []
    for r, (lo, hi) in enumerate(zip(runs, ends, strict=True)):
        if hi - lo >= max(1, int(n_docs * share)):
            dense.append(r)
            row = [0] * (-(-n_docs // 8))
            for d in set(doc[lo:hi]):
                row[d // 8] |= 0x80 >> (d % 8)
            bits.extend(row)
    return dense, bits


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


def test_wide_columns_when_documents_or_gaps_pass_16_bits() -> None:
    long_text = np.array([0x79D1, 0x6280] * 40_000, dtype=np.uint32)
    got = ngram_build.postings([long_text[:3], long_text], [0, 70_000], bucket=1000)
    want = _whole_sort([long_text[:3], long_text], [0, 70_000])
    for name, arr in want.items():
        assert got[name].dtype == arr.dtype and np.array_equal(got[name], arr), name
    assert got["char_doc"].dtype == np.uint32
    # 技科 (at 1) and 科技 (at 0) again where document 70,000 starts, at 70,003: each
    # 70,003 positions on, both too far for 16 bits.
    assert got["gram_wide"].tolist() == [70_003, 70_003]


@given(st.lists(st.integers(1, 1 << 20), max_size=40), st.sets(st.integers(0, 39)))
def test_positions_undo_the_gaps(steps: list[int], cuts: set[int]) -> None:
    """Ascending runs of positions, gaps wide or not, come back exactly."""
    runs = sorted({0} | {c for c in cuts if c < len(steps)}) if steps else []
    where, at = [], -1
    for i, step in enumerate(steps):
        at = step - 1 if i in runs else at + step
        where.append(at)
    gap, wide, n_wide = ngram_build.gaps(
        np.array(where, dtype=np.int64), np.array(runs, dtype=np.int64)
    )
    wide_start = np.r_[0, np.cumsum(n_wide)].astype(np.int64)
    ends = [*runs[1:], len(where)] if runs else []
    for r, (lo, hi) in enumerate(zip(runs, ends, strict=True)):
        got = ngrams.positions(gap[lo:hi], wide[wide_start[r] : wide_start[r + 1]])
        assert got.tolist() == where[lo:hi]


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
