"""The read side: a request becomes a result (no Flask).

In the order a request meets them:

- searcher: the Searcher; reopens on new commits and runs each request
- query: the query language -> a plan of literal terms, and the words that score them
- generation: one opened generation, its per-thread Whoosh readers, literal-term masks
- columns: per-document arrays (ordinals of keyword fields, story order, field lengths)
- part_files: each segment's arrays saved beside it, read back only when whole
- facets: filter masks, facet counts and the timeline over the columns
- keywords: facets over multi-valued keyword fields (regions, documents)
- ranking: BM25F relevance over the matched set, or date order
- hits: stories not copies; a hit and the article record from stored fields
- highlight: snippets and highlighted bodies, escaped text whose only markup is <mark>
- examples: the landing page's example queries
- related: related stories for the article view (an article's most distinctive words)
- postings: Whoosh postings read a block at a time into numpy
- export: every story a search matches, as CSV or JSON Lines
- stats: `python -m indexer stats`, the searcher's counts (columns.live_counts)
- result_json: a result as JSON, the one shape the CLI and the web API print
"""
