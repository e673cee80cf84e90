"""Builds and updates read pages with their site's template, learnt from the corpus."""

from __future__ import annotations

from pathlib import Path

from indexer import write
from indexer.extract import patterns as P
from indexer.extract.pipeline import article_id
from indexer.extract.site_templates import SiteBook
from indexer.index import layout
from tests.helpers import committed_fields
from tests.unit.extract.test_templates import PROMO, site_page


def bodies(root: Path) -> dict[str, str]:
    return {doc["id"]: doc["body"] for doc in committed_fields(root)}


def write_pages(corpus: Path, numbers: range) -> list[str]:
    corpus.mkdir(exist_ok=True)
    names = []
    for i in numbers:
        name = f"site/p{i}.txt"
        (corpus / "site").mkdir(exist_ok=True)
        (corpus / name).write_bytes(site_page(i % 9 + 1, promo=PROMO))
        names.append(name)
    return names


def test_a_build_reads_each_page_with_its_sites_template(tmp_path: Path) -> None:
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    write_pages(corpus, range(P.MIN_SITE_PAGES + 1))
    write.build(corpus, root)
    found = bodies(root)
    assert len(found) == P.MIN_SITE_PAGES + 1
    assert all(PROMO not in body and body.startswith("今年以来") for body in found.values())
    book = SiteBook(layout.current_generation_dir(root))
    try:
        assert book.templates()  # kept with the index: updates need not read the corpus
    finally:
        book.close()


def test_a_site_seen_too_rarely_keeps_single_page_reading(tmp_path: Path) -> None:
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    write_pages(corpus, range(P.MIN_SITE_PAGES - 1))
    write.build(corpus, root)
    assert all(PROMO in body for body in bodies(root).values())


def test_the_page_that_completes_a_template_rereads_the_sites_other_pages(
    tmp_path: Path,
) -> None:
    corpus, root = tmp_path / "corpus", tmp_path / "index"
    old = write_pages(corpus, range(P.MIN_SITE_PAGES - 1))
    write.build(corpus, root)
    new = write_pages(corpus, range(P.MIN_SITE_PAGES - 1, P.MIN_SITE_PAGES))
    report = write.update(corpus, root)
    assert report.added == (article_id(new[0]),)
    assert report.changed == ()
    assert sorted(report.reread) == sorted(article_id(n) for n in old)
    assert [a.id for a in report.articles] == [article_id(new[0])]
    assert PROMO not in report.articles[0].body
    assert all(PROMO not in body for body in bodies(root).values())
    # Nothing flips on the next page: only it is read.
    more = write_pages(corpus, range(P.MIN_SITE_PAGES, P.MIN_SITE_PAGES + 1))
    report = write.update(corpus, root)
    assert report.added == (article_id(more[0]),) and report.reread == ()
    assert PROMO not in bodies(root)[article_id(more[0])]
