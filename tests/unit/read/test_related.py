"""Related stories: the article's words, their scores over the index, and the stories chosen."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as windex

from indexer.index.schema import build_schema
from indexer.read import related
from indexer.read.ranking import bm25
from indexer.read.searcher import Searcher
from tests.unit.read.small_index import Doc, add_docs, add_docs_by_whoosh, write_index
from tests.unit.read.test_ranking import _docs


def test_title_words_weigh_more_and_numbers_and_single_characters_not_at_all() -> None:
    counts = related.article_word_counts("稀土产业", "稀土项目在2024年落地。区里稀土")
    assert counts["稀土"] == related.TITLE_WEIGHT + 2
    assert counts["产业"] == related.TITLE_WEIGHT
    assert "2024" not in counts and "区" not in counts


def test_only_the_start_of_a_long_body_is_read() -> None:
    body = "发展" * (related.BODY_CHARS // 2) + "肉苁蓉"
    counts = related.article_word_counts("", body)
    assert "肉苁蓉" not in counts
    assert counts["发展"] == related.BODY_CHARS // 2


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = write_index(tmp_path_factory.mktemp("ix"), _docs(0, 150))
    add_docs(windex.open_dir(str(root)), _docs(150, 170))
    return Searcher(root)


WORDS = ["稀土", "产业", "发展", "科技", "新闻", "不在索引里"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True))
def test_word_scores_are_the_searchers_bm25f_over_both_fields(
    searcher: Searcher, words: list[str]
) -> None:
    with searcher._using() as gen:
        assert len(gen.searcher.reader().leaf_readers()) == 2
        pairs = [(field, w) for w in words for field in related.FIELDS]
        expected = bm25(gen, pairs, np.arange(gen.n))
        assert related.word_scores(gen, words) == pytest.approx(expected, rel=1e-9)


def test_document_frequencies_are_the_indexs_and_kept_per_generation(
    searcher: Searcher, tmp_path
) -> None:
    """The frequency Whoosh's own writer and searcher give for the same documents."""
    reference = windex.create_in(str(tmp_path), build_schema())
    add_docs_by_whoosh(reference, _docs(0, 150))
    add_docs_by_whoosh(reference, _docs(150, 170))
    with searcher._using() as gen, reference.searcher() as whoosh_searcher:
        got = related.doc_frequencies(gen, ["稀土", "不在索引里"])
        assert got == [whoosh_searcher.doc_frequency("body", "稀土"), 0]
        assert got[0] > 100
        assert related._frequencies[gen]["稀土"] == got[0]


STORY_DOCS = [
    Doc("s1", "肉苁蓉种植技术", "阿拉善肉苁蓉种植技术推广。肉苁蓉产业增收。", group="s1"),
    Doc(
        "s2",
        "肉苁蓉种植技术",
        "阿拉善肉苁蓉种植技术推广。肉苁蓉产业增收。",
        group="s1",
        canonical=False,
    ),
    Doc("o1", "肉苁蓉深加工", "肉苁蓉深加工项目投产,产业链延伸。", group="o1"),
    Doc("o2", "肉苁蓉深加工", "肉苁蓉深加工项目投产,产业链延伸。", group="o1", canonical=False),
    Doc("o3", "种植技术培训", "种植技术培训班开班。", group="o3"),
    Doc("x1", "稀土新材料", "稀土新材料园区落成。", group="x1"),
]


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return Searcher(write_index(tmp_path_factory.mktemp("stories"), STORY_DOCS))


def test_related_stories_leave_out_the_own_story_and_show_each_story_once(
    stories: Searcher,
) -> None:
    with stories._using() as gen:
        ids = {gen.stored(d)["id"]: d for d in range(gen.n)}
        found = related.related_docnums(gen, ids["s1"], gen.stored(ids["s1"]))
        names = [gen.stored(d)["id"] for d in found]
    # Each other story once, by its canonical member; not the article's own copies; not a
    # story sharing no word with it.
    assert sorted(names) == ["o1", "o3"]


def test_an_article_sharing_no_word_has_no_related_stories(stories: Searcher) -> None:
    with stories._using() as gen:
        ids = {gen.stored(d)["id"]: d for d in range(gen.n)}
        assert related.related_docnums(gen, ids["x1"], gen.stored(ids["x1"])) == []


@given(
    st.dictionaries(st.sampled_from(WORDS), st.integers(1, 50), min_size=1),
    st.integers(0, 120),
)
def test_the_budget_keeps_the_rarest_words_that_fit_and_always_one(
    frequencies: dict[str, int], budget: int
) -> None:
    words = list(frequencies)
    kept = related.within_budget(words, [frequencies[w] for w in words], budget)
    assert kept == [w for w in words if w in kept]  # in the order given
    rarest = min(words, key=lambda w: (frequencies[w], w))
    assert rarest in kept
    assert len(kept) == 1 or sum(frequencies[w] for w in kept) <= budget
    left_out = [frequencies[w] for w in words if w not in kept]
    assert all(df >= max(frequencies[w] for w in kept) for df in left_out)


def test_scoring_reads_the_postings_of_the_words_within_budget_only(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    scores = related.word_scores

    def spy(gen, words):
        read.extend(words)
        return scores(gen, words)

    monkeypatch.setattr(related, "word_scores", spy)
    monkeypatch.setattr(related, "POSTINGS_BUDGET", 1)
    with searcher._using() as gen:
        doc = gen.stored(3)
        related.related_docnums(gen, 3, doc)
        assert len(read) == 1
        read.clear()
        monkeypatch.setattr(related, "POSTINGS_BUDGET", 10**9)
        related.related_docnums(gen, 3, doc)
        assert len(read) > 1
