"""FastWriter: writes standard Whoosh segments, several times faster than Whoosh's writer,
plus each segment's n-gram postings file (ngrams.py).

Where it sits: the writer turns each Article into its Whoosh document (index/fields.py) and
hands both to FastWriter.add_article(); builds, updates and the small-segment merges all
write through it. Readers need nothing special for the Whoosh part: the segments,
postings, lengths, columns and stored fields are exactly those Whoosh's own SegmentWriter
writes (same codec, same segment and posting-block encoding), and the unit tests compare
the two writers' output field by field. The n-gram file sits beside the segment's files
under the segment's name, so Whoosh deletes it with the segment; so does the word
postings file (word_postings.py), the word fields' postings as flat arrays, which is
what the read side scores BM25F from. The word fields (title, body) therefore have no
postings in Whoosh's term file: nothing reads them there, and at 100,000 articles they
were a third of the index. Their lengths, stored values and everything else Whoosh
keeps per document are written as Whoosh writes them.

Why it exists: Whoosh's SegmentWriter sends every posting through Python several times:
the analyzer yields a Token per word, the format groups them, each posting is added to an
external-sort pool as a tuple, pickled to a run file, read back, merged, then passed one
by one to the codec's postings writer. FastWriter instead
  - folds each text once; the word field and the n-gram file share it;
  - keeps postings in memory, grouped by a dict as they arrive, instead of the pool;
  - writes each keyword term's postings a block at a time through the codec's own block
    writer, instead of one call per posting;
  - hands each text's significant code points (one numpy array per article) to
    ngram_build.write_segment, which sorts a segment's n-grams a bucket at a time.
It never lets Whoosh merge other segments into its own (that goes through the sort pool):
builds commit with merge=False, updates with merge_policy.merge_small.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import Index
from whoosh.writing import SegmentWriter

from indexer import faults
from indexer.index import ngram_build, ngrams, whoosh_adapter, word_postings
from indexer.index.analysis import word_counts
from indexer.models import Article

# Segments stay as separate files. whoosh3 opens a compound segment file by copying each
# of its parts into a BytesIO (BufferFile over the mmap): at 100k articles that is 2.7 s
# and the whole postings file in memory every time a reader opens, i.e. after every
# commit, in the writer and in the web server. Plain files open in milliseconds.
COMPOUND = False
# Postings per block. Whoosh's default is 128; the read side decodes a whole block per
# Python call (postings.py), so a common word's ~100,000 postings cost ~100 calls, not
# ~800. A block's size is stored with it: any Whoosh reader reads these segments.
BLOCK_POSTINGS = 1024

_TEXT_FIELDS = ("title", "body")


class FastWriter(SegmentWriter):
    """A SegmentWriter with a fast path for whole articles (see the module docstring)."""

    def __init__(self, ix: Index, **kwargs: Any) -> None:
        kwargs.setdefault("compound", COMPOUND)
        kwargs.setdefault("codec", W3Codec(blocklimit=BLOCK_POSTINGS))
        super().__init__(ix, **kwargs)
        # Imported here, not at the top: building the folding tables costs 0.15 s, which a
        # no-change update (which never writes) should not pay.
        from indexer.normalize import fold

        self._fold = fold
        self.merge = False
        self._post: dict[str, dict[bytes, list]] = {}  # keyword and id fields
        self._words: dict[str, dict[str, tuple[array, array]]] = {}  # word: (docs, counts)
        # Significant code points of each text per document, for the n-gram file.
        self._codes: dict[str, tuple[list[np.ndarray], list[int]]] = {
            text: ([], []) for text in ngrams.TEXTS
        }
        self._lengths: dict[str, array] = {}

    # postings of one document ----------------------------------------------------------

    def _postings(self, name: str, items: Iterable[tuple[bytes, int, float, bytes]]) -> int:
        """Add one document's postings for a keyword/id field; return the field length."""
        docnum = self.docnum
        table = self._post.setdefault(name, {})
        length = 0
        for btext, freq, weight, vbytes in items:
            length += freq
            entry = table.get(btext)
            if entry is None:
                table[btext] = [array("I", (docnum,)), array("f", (weight,)), [vbytes]]
            else:
                entry[0].append(docnum)
                entry[1].append(weight)
                entry[2].append(vbytes)
        return length

    def _add_words(self, name: str, folded: str) -> int:
        """Add one document's word postings (document and count per word, in arrays);
        return the field length. Weights and values are made per term at commit."""
        docnum = self.docnum
        table = self._words.setdefault(name, {})
        counts = word_counts(folded)
        for word, freq in counts.items():
            entry = table.get(word)
            if entry is None:
                table[word] = (array("I", (docnum,)), array("I", (freq,)))
            else:
                entry[0].append(docnum)
                entry[1].append(freq)
        return sum(counts.values())

    def add_article(self, article: Article, fields: dict[str, Any]) -> None:
        """Add one article; `fields` is article_fields(article, ...)."""
        self._check_state()
        schema = self.schema
        pdw = self.perdocwriter
        docnum = self.docnum
        pdw.start_doc(docnum)
        fold = self._fold
        folded = {"title": fold(article.title), "body": fold(article.body)}
        for text, (arrays, docnums) in self._codes.items():
            got = ngrams.codes(folded[text])
            if got.size:
                arrays.append(got)
                docnums.append(docnum - self.docbase)
        try:
            for name in sorted(fields):
                value = fields[name]
                field_obj = schema[name]
                length = 0
                if name in _TEXT_FIELDS:
                    length = self._add_words(name, folded[name])
                elif field_obj.indexed:
                    length = self._postings(name, field_obj.index(value))
                if not field_obj.scorable:
                    length = 0
                if length:
                    lens = self._lengths.setdefault(name, array("I"))
                    offset = docnum - self.docbase
                    if len(lens) < offset:
                        lens.extend([0] * (offset - len(lens)))
                    lens.append(length)
                pdw.add_field(name, field_obj, value if field_obj.stored else None, length)
                column = field_obj.column_type
                if column and value is not None:
                    pdw.add_column_value(name, column, field_obj.to_column_value(value))
        except ValueError:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def add_document(self, **fields: Any) -> None:
        raise TypeError("FastWriter takes whole articles: use add_article()")

    # grouping by term at commit ----------------------------------------------------------

    def _dict_terms(self, name: str) -> Iterator[tuple[bytes, list, list, list]]:
        table = self._post[name]
        for btext in sorted(table):
            docs, weights, values = table[btext]
            yield btext, docs, weights, values

    # writing the segment ---------------------------------------------------------------

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        base = self.docbase
        for name in sorted(self._post):  # the term file is sorted by field
            terms = self._dict_terms(name)
            lens = self._lengths.get(name)
            fw.start_field(name, self.schema[name])
            for btext, docs, weights, values in terms:
                fw.start_term(btext)
                whoosh_adapter.write_postings(fw, docs, weights, values, lens, base)
                fw.finish_term()
            fw.finish_field()
        fw.close()
        folder = Path(self.storage.folder)
        word_postings.write_segment(
            folder / self.newsegment.make_filename(word_postings.EXT),
            {
                name: (table, self.schema[name].format.field_boost)
                for name, table in self._words.items()
            },
            base,
        )
        self._post.clear()
        self._words.clear()
        ngram_build.write_segment(folder / self.newsegment.make_filename(ngrams.EXT), self._codes)
        for arrays, docnums in self._codes.values():
            arrays.clear()
            docnums.clear()
        faults.reached("segment-written")  # test-only pause point (indexer/faults.py)
