"""Under load: `indexer update` ingests new pages while the real server keeps answering.

The web server (`python -m webui`, waitress) and the update run as separate processes, as in
production; a load generator keeps querying /api/search on 127.0.0.1 throughout. The same
scenario, at 1,000 articles and with latency figures, is `python -m tests.bench.load`.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from indexer import write
from indexer.extract.pipeline import article_id
from tests.bench.client import COMMON_QUERIES, LoadRun, search_total, serve, tag_counts
from tests.bench.ingest import unfound
from tests.helpers import HANG_GUARD, wait_for
from tests.helpers_corpus import TAG, write_marked_articles
from tests.integration.update_pages import run_cli

pytestmark = pytest.mark.slow

N = 200  # new pages; the benchmark ingests 1,000
BATCH = 50  # docs per update commit, so the server has intermediate states to show


def test_update_under_query_load_loses_no_request_and_finds_every_article(
    tmp_path: Path, seeds_dir: Path, pause_at
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(seeds_dir, corpus)
    built = write.build(corpus, index)
    assert built.articles == 5

    with serve(index, corpus) as port:
        articles = write_marked_articles(corpus, N)
        expected = {a.marker: article_id(a.relpath) for a in articles}
        assert len(expected) == N  # markers are unique
        # Nothing is indexed yet: neither the tag nor any marker finds anything.
        assert search_total(port, TAG) == 0
        assert [search_total(port, a.marker) for a in articles[:5]] == [0] * 5
        seeds_before = search_total(port, COMMON_QUERIES[0])

        markers = [a.marker for a in articles[::10]]
        queries = [*COMMON_QUERIES, TAG, TAG, TAG, *markers]
        load = LoadRun(port, queries, threads=2, max_requests=20_000, max_seconds=600, pause=0.002)
        pause = pause_at("commit:2")  # the update stops halfway, on cue
        load.start()
        try:
            proc = run_cli("update", "--corpus", str(corpus), "--index", str(index),
                           "--batch-size", str(BATCH), start_new_session=True,
                           env=pause.env())  # fmt: skip
            pause.wait(proc)
            # Mid-update: the running server shows exactly the two batches committed, and
            # the load keeps being answered while the writer holds the index.
            assert search_total(port, TAG) == 2 * BATCH
            answered = len(load.samples)
            assert wait_for(lambda: len(load.samples) >= answered + 20)
            pause.release()
            out, err = proc.communicate(timeout=HANG_GUARD)
        finally:
            samples = load.stop()
        update_ended = time.monotonic()

        assert proc.returncode == 0, err
        assert f"added: {N};" in out, out
        assert [f"{s.query}: {s.error}" for s in samples if not s.ok] == []

        # The running server saw the batch commits as they came, without restart, never going back.
        seen = tag_counts(samples, TAG)
        assert seen, "no tag query was answered during the update"
        for totals in seen.values():
            assert totals == sorted(totals)
        # Each commit is atomic: a reader sees whole batches, never part of one.
        assert {t for totals in seen.values() for t in totals} <= set(range(0, N + 1, BATCH))

        # When the update has exited, one sweep finds every article by its marker, alone.
        assert unfound(port, expected, deadline=update_ended) == {}
        assert search_total(port, TAG) == N
        assert search_total(port, COMMON_QUERIES[0]) >= seeds_before
