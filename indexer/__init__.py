"""Indexer: turns scraped portal pages into clean articles and keeps a Whoosh index of them.

Data flows one way: load -> clean -> metadata -> normalize -> dedup -> (analysis, schema) -> store;
search reads what store wrote. `pipeline` is the only module that knows the order.
"""

__version__ = "0.1.0"
