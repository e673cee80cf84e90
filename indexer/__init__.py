"""Indexer: turns scraped portal pages into clean articles and keeps a Whoosh index of them.

Data flows one way, and the packages follow it:
  extract/  a page becomes an Article. pipeline is the only module that knows the order:
            load -> body.layout (text_page | html_page -> lines) -> body.select_body
            (heads + body) -> repeats (collapsed before metadata) -> metadata.
  write/    an article enters the index: stories (copies of one news piece grouped),
            fields, segment_writer, one commit, the manifest.
  index/    the on-disk contract write/ and read/ share (layout, schema, fields, errors).
  read/     a request becomes a result.
  watch/    file changes go to write/.
normalize (folding) is a utility every stage uses, not a stage of its own.
"""

__version__ = "0.1.0"
