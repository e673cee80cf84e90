"""Search over the seed pages: pinned rankings, the recall promise, highlights on real text."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer import write
from indexer.extract.pipeline import article_id, iter_corpus, process_file
from indexer.models import Article, SearchRequest
from indexer.normalize import fold
from indexer.read.searcher import Searcher

MARK = re.compile(r"<mark>(.*?)</mark>")
S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> list[Article]:
    out = [process_file(p, seeds_dir) for p in iter_corpus(seeds_dir)]
    return [a for a in out if isinstance(a, Article)]


@pytest.fixture(scope="module")
def searcher(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = tmp_path_factory.mktemp("seed-index")
    write.build(seeds_dir, root)
    return Searcher(root)


def seed_id(prefix: str, seeds_dir: Path) -> str:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return article_id(path.relative_to(seeds_dir).as_posix())


def _literal(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


PINNED = [
    ("突围", "000"),
    ("呼包鄂乌", "001"),
    ("牛鼻子", "002"),
    ("稀土高新区", "003"),  # written in traditional there
    ("科技新政", "004"),
    ("百强城市", "004"),
    ("一体化", "001"),
    ("高新區", "003"),
    ("邬军军", "003"),
    ("翻身仗", "002"),
    ("高频热词", "000"),
    ("title:牛鼻子", "002"),
    ('"科技 突围"', "000"),
    ("提质进位 -牛鼻子", "001"),
    ("牛鼻子 OR 呼包鄂乌 -翻身仗", "001"),  # 002 excluded
]


@pytest.mark.parametrize(("q", "prefix"), PINNED)
def test_pinned_queries_rank_the_seed_first(
    searcher: Searcher, seeds_dir: Path, q: str, prefix: str
) -> None:
    r = searcher.search(SearchRequest(q=q))
    assert r.hits, q
    assert r.hits[0].id == seed_id(prefix, seeds_dir)


@pytest.mark.parametrize(("q", "prefix"), PINNED[:11])
def test_pinned_snippets_mark_exactly_the_query(
    searcher: Searcher, seeds_dir: Path, q: str, prefix: str
) -> None:
    hit = searcher.search(SearchRequest(q=q)).hits[0]
    marks = MARK.findall(hit.snippet_html)
    assert marks
    assert {_literal(unescape(m)) for m in marks} == {_literal(q)}


def test_traditional_seed_highlighted_for_simplified_query(
    searcher: Searcher, seeds_dir: Path
) -> None:
    art = searcher.article(seed_id("003", seeds_dir), q="稀土高新区")
    assert art is not None
    marks = MARK.findall(art["body_html"])
    assert marks and set(marks) == {"稀土高新區"}
    hit = searcher.search(SearchRequest(q="稀土高新区")).hits[0]
    assert set(MARK.findall(hit.snippet_html)) == {"稀土高新區"}


def test_filters_and_facets_on_seeds(searcher: Searcher, seed_articles: list[Article]) -> None:
    everything = searcher.search(SearchRequest(q=""))
    assert everything.total == len(seed_articles)
    years = {f.value: f.count for f in everything.facets["year"]}
    expected: dict[str, int] = {}
    for a in seed_articles:
        key = a.published[:4] if a.published else "unknown"
        expected[key] = expected.get(key, 0) + 1
    assert years == expected
    dated = [a for a in seed_articles if a.published]
    newest = max(dated, key=lambda a: a.published or "")
    assert everything.hits[0].id == newest.id
    assert everything.hits[-1].published is None or all(a.published for a in seed_articles)


def _substrings(articles: list[Article]) -> st.SearchStrategy[tuple[Article, str]]:
    """(article, a substring of its title or body of 1..12 characters)."""

    @st.composite
    def pick(draw: st.DrawFn) -> tuple[Article, str]:
        art = draw(st.sampled_from(articles))
        text = draw(st.sampled_from([art.title, art.body]))
        assume(text)
        size = draw(st.integers(1, 12))
        start = draw(st.integers(0, max(0, len(text) - size)))
        return art, text[start : start + size]

    return pick()


def _as_query(s: str) -> str:
    """The substring as a user would type it: quoted when it holds operator syntax."""
    chunks = s.split()
    operator = any(c.startswith("-") or c == "OR" or "title:" in c.lower() for c in chunks)
    if '"' in s or not operator:
        return s if '"' not in s else s.replace('"', " ")
    return f'"{s}"'


def _found(searcher: Searcher, q: str, art: Article) -> bool:
    r = searcher.search(SearchRequest(q=q, per_page=100))
    return any(art.id == h.id or art.id in {a.id for a in h.also_at} for h in r.hits)


def test_recall_any_verbatim_substring_finds_its_article(
    searcher: Searcher, seed_articles: list[Article]
) -> None:
    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(_substrings(seed_articles), st.sampled_from(["as is", "s2t", "t2s"]))
    def check(pair: tuple[Article, str], script: str) -> None:
        art, s = pair
        query = s
        if script == "s2t":
            query = S2T.convert(s)
        elif script == "t2s":
            query = T2S.convert(s)
        # The promise is about folded text: a converted query must fold like the original.
        assume(fold(query) == fold(s) or _literal(query) == _literal(s))
        assume(_literal(query))
        assert _found(searcher, _as_query(query), art), (s, query)

    check()


def test_literal_matching_is_exactly_substring_search(
    searcher: Searcher, seed_articles: list[Article]
) -> None:
    """The n-gram postings find exactly the documents whose folded significant text holds
    the string: nothing missed (recall) and nothing extra (a chain of bigrams that only
    occur apart is not a match)."""
    from indexer.index.ngrams import significant
    from indexer.read.query import Term

    gen = searcher._current()
    stored = [gen.stored(d) for d in range(gen.n)]
    texts = {
        prefix: [significant(fold(doc[prefix])) for doc in stored] for prefix in ("title", "body")
    }

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(_substrings(seed_articles), st.integers(0, 3))
    def check(pair: tuple[Article, str], scramble: int) -> None:
        text = pair[1]
        if scramble and len(text) > 2:  # a chain of the same bigrams in another order
            text = text[scramble % len(text) :] + text[: scramble % len(text)]
        term = Term(text)
        assume(term.literal)
        for prefix in ("title", "body"):
            ours: set[int] = set()
            for part, offset in zip(gen.columns.parts, gen.columns.offsets, strict=True):
                ours |= {int(d) + offset for d in part.ngrams.literal_docs(prefix, term.literal)}
            want = {d for d, t in enumerate(texts[prefix]) if term.literal in t}
            assert ours == want, (prefix, text)

    check()


@pytest.mark.parametrize("q", ["科技创新", "稀土高新區", "呼包鄂乌", "R&D", "鄂尔多斯 科技", "新"])
def test_public_api_fallback_matches_block_reading(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch, q: str
) -> None:
    """Without Whoosh's W3 matcher internals the slow public-API path gives the same answers."""
    from indexer.read import postings

    fast = searcher.search(SearchRequest(q=q, per_page=50))
    uncached = Searcher(searcher.index_root, cache_size=0)
    monkeypatch.setattr(postings, "_fast", lambda m: False)
    slow = uncached.search(SearchRequest(q=q, per_page=50))
    assert [(h.id, h.score) for h in slow.hits] == [(h.id, h.score) for h in fast.hits]
    assert (slow.total, slow.facets) == (fast.total, fast.facets)
