"""Values the writer, the reader and the web layer must agree on, defined once.

Kept apart from schema.py on purpose: importing the schema loads the analyzers (jieba, the
folding tables), which a no-change update or the web layer's parameter parsing never needs.
"""

from __future__ import annotations

# The facet bucket of articles whose page gives no date: stored in `year`/`month`, counted
# and filtered by the reader, accepted as a filter value by the web layer.
UNKNOWN = "unknown"
# Result orders a request may ask for; the first is the default.
SORTS = ("relevance", "newest", "oldest")
# The most results one page of a search returns (a larger request is cut to this).
MAX_PER_PAGE = 100
# A segment's per-document arrays, saved beside it by the reader (read/columns.py): a
# cache that checks itself on loading and is written again when missing or damaged, so
# the checksum record (integrity.py) leaves it out.
PART_EXT = ".prt"
