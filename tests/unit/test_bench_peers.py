"""The benchmark's peer engines: query translation, a tiny FTS5 round trip, the table's shape.

Structure only: nothing here times anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.bench import peers
from tests.bench.peers import PEERS
from tests.bench.tables import peers_table


def _timed(fn: Any, queries: list[tuple[str, str]], reps: int) -> dict[str, Any]:
    return {"totals": {q: fn(q) for _, q in queries}}


def _tokens(tmp_path: Path) -> Path:
    rows = [
        {"title": "稀土新材料", "body": "包头稀土新材料产业园", "site": "a", "year": "2021"},
        {"title": "科技创新", "body": "呼包鄂乌一体化发展", "site": "b", "year": "2022"},
        {"title": "通知", "body": "国家高新区", "site": "a", "year": "2022"},
    ]
    path = tmp_path / "tokens.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            row.update(id=str(i), sources=["新华社"], month=row["year"] + "-01")
            row["title_words"] = " ".join(peers.cut(row["title"]))
            row["body_words"] = " ".join(peers.cut(row["body"]))
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def test_fts_match_quotes_every_word_and_keeps_a_phrase_whole() -> None:
    assert peers.fts_match("稀土 新材料", "trigram") == '"稀土" AND "新材料"'
    assert peers.fts_match('"国家高新区"', "trigram") == '"国家高新区"'
    assert (
        peers.fts_match('"国家高新区"', "unicode61")
        == '"' + " ".join(peers.cut("国家高新区")) + '"'
    )


def test_fts5_peers_count_matches_from_the_same_articles(tmp_path: Path) -> None:
    tokens = _tokens(tmp_path)
    queries = [("x", "稀土"), ("x", "国家高新区"), ("x", '"呼包鄂乌一体化"'), ("x", "科技")]
    got = {}
    for tokenizer in ("unicode61", "trigram"):
        db = tmp_path / f"{tokenizer}.db"
        built = peers.fts_build(tokens, db, tokenizer)
        assert built["docs"] == 3
        got[tokenizer] = peers.fts_query(db, queries, 1, tokenizer, _timed)["totals"]
    assert got["unicode61"] == {"稀土": 1, "国家高新区": 1, '"呼包鄂乌一体化"': 1, "科技": 1}
    # trigram: a two-character term matches nothing, a longer one matches as a substring
    assert got["trigram"] == {"稀土": 0, "国家高新区": 1, '"呼包鄂乌一体化"': 1, "科技": 0}


def _phase(total: int) -> dict[str, Any]:
    kinds = {"rare word": 1.0}
    return {
        "docs_per_s": 1.0,
        "seconds": 1.0,
        "size_mb": 1.0,
        "peak_rss_mb": 1.0,
        "p50_ms": 1.0,
        "p95_ms": 1.0,
        "max_ms": 1.0,
        "load_avg": 0.5,
        "by_kind_p50_ms": kinds,
        "by_kind_p95_ms": kinds,
        "by_kind_max_ms": kinds,
        "totals": {"稀": total},
    }


def test_table_has_a_column_per_engine_and_says_which_peer_was_skipped() -> None:
    results = {
        "ours_build": _phase(0),
        "ours_query": _phase(5),
        "base_build": _phase(0),
        "base_query": {"facets": _phase(4), "peak_rss_mb": 1.0},
        "peers": {
            "missing": {"tantivy": "not installed"},
            "fts5_jieba": {"build": _phase(0), "query": _phase(3)},
            "fts5_trigram": {"build": _phase(0), "query": _phase(0)},
        },
    }
    text = peers_table(results)
    header = text.splitlines()[0]
    assert len(header.strip("|").split("|")) == 5  # measure, ours, Whoosh, two FTS5 peers
    assert PEERS["tantivy"] not in text
    assert "Skipped tantivy: not installed." in text
    assert "| 稀 | 5 | 4 | 3 | 0 |" in text


def test_a_long_run_keeps_each_finished_phase_and_replaces_it_whole(tmp_path: Path) -> None:
    from tests.bench.run import checkpoint, partial_path

    checkpoint(tmp_path / "out", 7, {"n": 7, "ours_build": {"docs_per_s": 1.0}})
    checkpoint(tmp_path / "out", 7, {"n": 7, "ours_build": {"docs_per_s": 2.0}, "x": None})
    path = partial_path(tmp_path / "out", 7)
    assert json.loads(path.read_text())["ours_build"] == {"docs_per_s": 2.0}
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp left
