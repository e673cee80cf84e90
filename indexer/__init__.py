"""Indexer: turns scraped portal pages into clean articles and keeps a Whoosh index of them.

Data flows one way: load -> text_page | html_page -> lines -> heads + body -> repeats (repeats
inside a page) -> metadata, giving an Article (pipeline, the only module that knows this
order); then groups (stories across pages) -> store (analysis, schema, segment_writer);
read/ (the searcher) turns a request into a result from what store wrote. normalize
(folding) serves every stage.
"""

__version__ = "0.1.0"
