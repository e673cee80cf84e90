"""The on-disk contract that the writer (indexer/write) and the reader (indexer/read) share.

Neither side defines these facts for itself; both import them from here:
  layout          the index root: the `current` link, `gen-*` generation folders, the
                  format version, the writer lock file, swap and resolve
  errors          the one family of errors an index or corpus problem raises, caught by
                  the CLI and the web layer
  constants       values both sides and the web layer must agree on (UNKNOWN, SORTS, ...)
  schema          the one Whoosh schema
  fields          Article <-> stored fields (one mapping, both directions)
  analysis        the tokenizer: index and query must cut text identically
  ngrams          the n-gram postings file beside each segment: written by the writer,
                  memory-mapped by the reader (the recall promise rests on it)
  ngram_build     one segment's n-gram postings sorted in bounded memory (bucketed)
  word_postings   the `.wrd` file beside each segment: word postings as flat arrays,
                  what BM25F scores
  integrity       checksums of a generation's files, recorded at commit, verified on open
  check           `python -m indexer check`: a generation verified in full
  whoosh_adapter  every private Whoosh name the project touches, each with a public fallback

Words: a *generation* is a `gen-*` folder under the index root (a full build writes a new
one); Whoosh's own commit counter inside a generation is its *TOC number*.
"""
