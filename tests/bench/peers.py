"""The real peers of the benchmark: tantivy and SQLite FTS5, fed the same extracted articles.

Articles are extracted once (our pipeline, the same cost for every peer) into a JSON Lines
file; a separate phase cuts titles and bodies into jieba words with the rjieba call our
word field uses (search mode, HMM off), so the peers' tokenising time is measured on its
own and never counted in their build. Peers get the raw text: no traditional-to-simplified
folding, no n-grams, no highlighting; they answer top 10 plus facet counts on sources, site,
year and month, which is what a plain engine gives for the same request.

- tantivy: jieba words joined by spaces under tantivy's `whitespace` tokenizer, facets as
  `terms` aggregations over raw fast fields.
- SQLite FTS5 + jieba: the same space-joined words under `unicode61`; top 10 by `bm25`,
  facets by `GROUP BY` over the matching rowids.
- SQLite FTS5 trigram: the raw text under the `trigram` tokenizer (a term shorter than
  three characters matches nothing there, which the match counts show).

Every function here runs inside a phase process of tests/bench/run.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

FACETS = ("sources", "site", "year", "month")
# The peer engines a run measures, by phase name, with the column title of each.
PEERS = {
    "tantivy": "tantivy + jieba: top 10 + 4 terms aggregations",
    "fts5_jieba": "SQLite FTS5 + jieba: top 10 by bm25 + GROUP BY",
    "fts5_trigram": "SQLite FTS5 trigram: top 10 by bm25 + GROUP BY",
}
Timer = Callable[[Callable[[str], int], list[tuple[str, str]], int], dict[str, Any]]


def cut(text: str) -> list[str]:
    """Jieba words of text, the word field's call (search mode, HMM off), blanks dropped."""
    import rjieba

    return [w for w in rjieba.cut_for_search(text, False) if w.strip()]


def unavailable() -> dict[str, str]:
    """Peer name -> why it cannot run here (absent peers are skipped, never fatal)."""
    out: dict[str, str] = {}
    if importlib.util.find_spec("tantivy") is None:
        out["tantivy"] = "the tantivy wheel is not installed (pip install -e '.[bench]')"
    for name, tokenizer in (("fts5_jieba", "unicode61"), ("fts5_trigram", "trigram")):
        try:
            con = sqlite3.connect(":memory:")
            con.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{tokenizer}')")
            con.close()
        except sqlite3.Error as exc:
            out[name] = f"this SQLite ({sqlite3.sqlite_version}) has no FTS5 {tokenizer}: {exc}"
    return out


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def extract(corpus: Path, out: Path) -> dict[str, Any]:
    """Our extraction of every page, once, as the articles every peer reads."""
    from indexer.extract.pipeline import iter_corpus, process_file
    from indexer.models import Article

    t0 = time.perf_counter()
    docs = 0
    with out.open("w", encoding="utf-8") as fh:
        for path in iter_corpus(corpus):
            art = process_file(path, corpus)
            if not isinstance(art, Article):
                continue
            pub = art.published or ""
            row = {
                "id": art.id,
                "title": art.title,
                "body": art.body,
                "sources": list(art.sources),
                "site": art.site or "",
                "year": pub[:4] or "unknown",
                "month": pub[:7] or "unknown",
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            docs += 1
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "docs": docs, "docs_per_s": round(docs / seconds, 1)}


def tokenise(articles: Path, out: Path) -> dict[str, Any]:
    """Space-joined jieba words of each title and body: the peers' tokenising, timed alone."""
    t0 = time.perf_counter()
    docs = 0
    with out.open("w", encoding="utf-8") as fh:
        for row in _read_jsonl(articles):
            row["title_words"] = " ".join(cut(row["title"]))
            row["body_words"] = " ".join(cut(row["body"]))
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            docs += 1
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "docs": docs, "docs_per_s": round(docs / seconds, 1)}


def _words_of(q: str) -> tuple[list[list[str]], bool]:
    """The query's words per space-separated part, and whether it is a quoted phrase."""
    phrase = len(q) > 1 and q.startswith('"') and q.endswith('"')
    parts = [q.strip('"')] if phrase else q.split()
    return [cut(p) for p in parts if cut(p)], phrase


# --- tantivy -------------------------------------------------------------------------------


def tantivy_build(tokens: Path, index: Path) -> dict[str, Any]:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True, tokenizer_name="whitespace")
    sb.add_text_field("body", stored=True, tokenizer_name="whitespace")
    for name in FACETS:
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    schema = sb.build()
    index.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    ix = tantivy.Index(schema, path=str(index))
    writer = ix.writer()
    docs = 0
    for row in _read_jsonl(tokens):
        writer.add_document(
            tantivy.Document(
                id=row["id"],
                title=row["title_words"],
                body=row["body_words"],
                sources=row["sources"] or [""],
                site=row["site"],
                year=row["year"],
                month=row["month"],
            )
        )
        docs += 1
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "docs": docs, "load_avg": round(load, 2)}


def tantivy_query(index: Path, queries: list[tuple[str, str]], reps: int, timed: Timer) -> Any:
    import tantivy

    ix = tantivy.Index.open(str(index))
    ix.reload()
    searcher = ix.searcher()
    schema = ix.schema
    must, should = tantivy.Occur.Must, tantivy.Occur.Should
    aggs = {name: {"terms": {"field": name, "size": 10}} for name in FACETS}

    def either(make: Callable[[str], Any]) -> Any:
        return tantivy.Query.boolean_query([(should, make("title")), (should, make("body"))])

    def build(q: str) -> Any:
        parts, phrase = _words_of(q)
        clauses = []
        for words in parts:
            if phrase and len(words) > 1:
                clauses.append(either(lambda f, w=words: tantivy.Query.phrase_query(schema, f, w)))
            else:  # every word of a part must match, in title or body
                for w in words:
                    clauses.append(either(lambda f, w=w: tantivy.Query.term_query(schema, f, w)))
        return tantivy.Query.boolean_query([(must, c) for c in clauses])

    def run(q: str) -> int:
        query = build(q)
        result = searcher.search(query, limit=10, count=True)
        [searcher.doc(addr)["title"] for _, addr in result.hits]
        searcher.aggregate(query, aggs)
        return int(result.count or 0)

    return timed(run, queries, reps)


# --- SQLite FTS5 ---------------------------------------------------------------------------


def fts_build(tokens: Path, db: Path, tokenizer: str) -> dict[str, Any]:
    """FTS5 table of title and body (jieba words under unicode61, or raw text under trigram),
    plus plain tables of the facet values keyed by rowid."""
    db.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.executescript(
        f"""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='{tokenizer}');
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, site TEXT, year TEXT, month TEXT);
        CREATE TABLE src(rowid INTEGER, source TEXT);
        """
    )
    pre = tokenizer != "trigram"
    docs = 0
    with con:
        for row in _read_jsonl(tokens):
            docs += 1
            title, body = (
                (row["title_words"], row["body_words"]) if pre else (row["title"], row["body"])
            )
            con.execute(
                "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", (docs, title, body)
            )
            con.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
                (docs, row["id"], row["site"], row["year"], row["month"]),
            )
            con.executemany("INSERT INTO src VALUES (?, ?)", [(docs, s) for s in row["sources"]])
        con.execute("CREATE INDEX src_rowid ON src(rowid)")
        con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    con.close()
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "docs": docs, "load_avg": round(load, 2)}


def _fts_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_match(q: str, tokenizer: str) -> str:
    """The FTS5 MATCH expression: every part must match; a quoted query is one phrase."""
    phrase = len(q) > 1 and q.startswith('"') and q.endswith('"')
    if tokenizer == "trigram":
        parts = [q.strip('"')] if phrase else q.split()
        return " AND ".join(_fts_quote(p) for p in parts)
    parts_words, phrase = _words_of(q)
    if phrase:
        return _fts_quote(" ".join(w for words in parts_words for w in words))
    return " AND ".join(_fts_quote(w) for words in parts_words for w in words)


def fts_query(
    db: Path, queries: list[tuple[str, str]], reps: int, tokenizer: str, timed: Timer
) -> Any:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute("CREATE TEMP TABLE hits(rowid INTEGER PRIMARY KEY)")
    groups = {
        name: f"SELECT m.{name}, count(*) FROM hits h JOIN meta m ON m.rowid = h.rowid "
        f"GROUP BY m.{name} ORDER BY 2 DESC LIMIT 10"
        for name in ("site", "year", "month")
    }
    groups["sources"] = (
        "SELECT s.source, count(*) FROM hits h JOIN src s ON s.rowid = h.rowid "
        "GROUP BY s.source ORDER BY 2 DESC LIMIT 10"
    )

    def run(q: str) -> int:
        expr = fts_match(q, tokenizer)
        if not expr:
            return 0
        con.execute("DELETE FROM hits")
        con.execute("INSERT INTO hits SELECT rowid FROM docs WHERE docs MATCH ?", (expr,))
        con.execute(
            "SELECT rowid, title FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
            (expr,),
        ).fetchall()
        for sql in groups.values():
            con.execute(sql).fetchall()
        return con.execute("SELECT count(*) FROM hits").fetchone()[0]

    return timed(run, queries, reps)
