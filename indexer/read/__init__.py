"""The read side: a request becomes a result (no Flask).

searcher   the Searcher: reopens on new commits, runs a request, assembles hits
query      the query language -> a plan of literal terms, and the words that score them
postings   Whoosh postings read a block at a time into numpy
highlight  snippets and highlighted bodies: escaped text whose only markup is <mark>
export     every story a search matches, as CSV or JSON Lines
"""
