"""A build's reading: every page once, its article spooled, small facts kept per file."""

from __future__ import annotations

import pickle
from pathlib import Path

from indexer.corpus import walk
from indexer.extract import templates
from indexer.extract.pipeline import process_file, survey_file
from indexer.models import Article
from indexer.write import build_read, stories
from indexer.write.reports import Steps
from indexer.write.spool import SpoolWriter, read_records
from tests.bench.corpus import make_corpus
from tests.helpers_corpus import write_small_corpus


def _corpus(tmp_path: Path, n: int) -> Path:
    return write_small_corpus(tmp_path / "corpus", n, seed=5, width=3)


def test_keep_spools_an_article_and_keeps_its_member(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 1)
    cf = walk(corpus).files["000.txt"]
    item = build_read.extract_one(cf, corpus)
    with SpoolWriter(tmp_path / "spool") as spool:
        read = build_read.keep(item, spool)
        skipped = build_read.keep(
            build_read.extract_one(walk(corpus).files["empty.txt"], corpus), spool
        )
    article = item[1]
    assert isinstance(article, Article)
    assert read.member == stories.member_of(article, item[2])
    assert list(read_records(tmp_path / "spool", [read.offset])) == [article]
    assert skipped.member is None and skipped.offset == -1
    assert skipped.skipped is not None and skipped.skipped.path == "empty.txt"


def test_read_corpus_keeps_every_file_in_path_order(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 4)
    files = walk(corpus).files
    gen = tmp_path / "gen"
    gen.mkdir()
    steps = Steps(None, "reading", len(files))
    reads = build_read.read_corpus(gen, files, corpus, 1, steps, tmp_path / "spool")
    assert list(reads) == sorted(files)
    assert steps.done == len(files)  # too few pages for a template: nothing read twice
    spooled = list(read_records(tmp_path / "spool", [r.offset for r in reads.values() if r.member]))
    want = [process_file(Path(files[rel].path), corpus) for rel in sorted(files)]
    assert [a for a in want if isinstance(a, Article)] == spooled
    assert [r.skipped for r in reads.values() if r.skipped] == [want[-1]]


def _spooled_count(path: Path) -> int:
    with open(path, "rb") as f:
        n = 0
        while True:
            try:
                pickle.load(f)
            except EOFError:
                return n
            n += 1


def test_a_page_read_again_to_the_same_article_keeps_its_first_record(tmp_path: Path) -> None:
    """Pages of a templated site are read again with its template; one whose article
    comes out equal is not spooled a second time, and every page's record is still the
    article of its last reading."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 40, seed=3)
    files = walk(corpus).files
    gen = tmp_path / "gen"
    gen.mkdir()
    steps = Steps(None, "reading", len(files))
    reads = build_read.read_corpus(gen, files, corpus, 1, steps, tmp_path / "spool")
    read_again = steps.done - len(files)
    assert read_again > 0, "the corpus should have a templated site"
    first = {rel: survey_file(Path(files[rel].path), corpus) for rel in sorted(files)}
    pairs = ((f.site, f.keys) for _, f in first.values() if f)
    learnt = {s: k for s, k in templates.learn(pairs).items() if k}
    want = {}
    for rel, (result, found) in first.items():
        if found and found.site in learnt and found.keys & learnt[found.site]:
            result = survey_file(Path(files[rel].path), corpus, templates=learnt)[0]
        want[rel] = result
    kept = [rel for rel, r in reads.items() if r.member is not None]
    records = read_records(tmp_path / "spool", [reads[rel].offset for rel in kept])
    assert dict(zip(kept, records, strict=True)) == {rel: want[rel] for rel in kept}
    assert all(isinstance(want[rel], Article) for rel in kept) and len(kept) == len(want)
    spooled = _spooled_count(tmp_path / "spool")
    assert len(files) <= spooled < len(files) + read_again  # some came out the same
