"""The read side: a request becomes a result (no Flask).

query parses the query language into a plan of literal terms; highlight cuts snippets and
marks matches in display text. The searcher, its per-document columns, ranking, facets and
export join them here as they move out of the flat package.
"""
