"""Duplicate stories: signatures, the threshold on realistic fixtures, grouping, canonical."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.pipeline import process_file
from indexer.write import stories as grouping
from indexer.write.stories import Assignment, Member

STORIES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "stories"


@pytest.fixture(scope="module")
def stories():
    return {p.stem: process_file(p, STORIES) for p in sorted(STORIES.glob("*.txt"))}


def _member(doc_id: str, body: str, **kw) -> Member:
    return Member(
        id=doc_id,
        path=kw.pop("path", f"{doc_id}.txt"),
        content_hash=kw.pop("content_hash", ""),
        signature=grouping.signature(body),
        **kw,
    )


def test_republished_copy_is_a_duplicate(stories) -> None:
    a, b = stories["gov_portal_original"], stories["news_portal_copy_edited"]
    assert a.content_hash != b.content_hash  # a sentence dropped, one reworded
    sim = grouping.similarity(grouping.signature(a.body), grouping.signature(b.body))
    assert sim >= 0.75
    assert sim >= grouping.SIMILAR


def test_same_topic_different_article_is_not(stories) -> None:
    other = grouping.signature(stories["same_topic_other_article"].body)
    for name in ("gov_portal_original", "news_portal_copy_edited"):
        assert grouping.similarity(grouping.signature(stories[name].body), other) < 0.2


def test_raw_pages_with_chrome_still_match(stories) -> None:
    raw = {p.stem: p.read_text(encoding="utf-8") for p in STORIES.glob("*.txt")}
    sim = grouping.similarity(
        grouping.signature(raw["gov_portal_original"]),
        grouping.signature(raw["news_portal_copy_edited"]),
    )
    assert sim >= grouping.SIMILAR


@pytest.mark.parametrize(
    ("members", "winner"),
    [
        # earliest date wins
        ([("a", "2024-03-18", False, 1, "x"), ("b", "2024-03-17", False, 0, None)], "b"),
        # unknown dates last
        ([("a", None, False, 3, "x"), ("b", "2024-03-20", True, 0, None)], "b"),
        # same date: a title read from the page beats an inferred one
        ([("a", "2024-03-18", True, 3, "x"), ("b", "2024-03-18", False, 0, None)], "b"),
        # then more sources
        ([("a", "2024-03-18", False, 1, "x"), ("b", "2024-03-18", False, 2, None)], "b"),
        # then a known site
        ([("b", "2024-03-18", False, 1, None), ("a", "2024-03-18", False, 1, "x")], "a"),
        # then path order
        ([("b", "2024-03-18", False, 1, "x"), ("a", "2024-03-18", False, 1, "x")], "a"),
    ],
)
def test_canonical_rule(members, winner) -> None:
    ms = [
        Member(i, f"{i}.txt", "h", b"", published=d, title_inferred=t, n_sources=n, site=s)
        for i, d, t, n, s in members
    ]
    got = grouping.assign([ms])
    assert got[winner] == Assignment(group=winner, canonical=True)
    assert sum(w.canonical for w in got.values()) == 1
    assert {w.group for w in got.values()} == {winner}


def test_group_all_on_fixtures(stories) -> None:
    ms = [
        Member(
            a.id,
            a.path,
            a.content_hash,
            grouping.signature(a.body),
            a.published,
            a.title_inferred,
            len(a.sources),
            a.site,
        )
        for a in stories.values()
    ]
    got = grouping.group_all(ms)
    gov = stories["gov_portal_original"].id
    copy = stories["news_portal_copy_edited"].id
    other = stories["same_topic_other_article"].id
    # The government page was published first (09:30 vs 15:02): it is canonical.
    assert got[gov] == Assignment(gov, True)
    assert got[copy] == Assignment(gov, False)
    assert got[other] == Assignment(other, True)


def test_exact_duplicates_group_by_content_hash_even_when_empty() -> None:
    ms = [
        Member("a", "a.txt", "same", grouping.signature(""), "2024-01-02"),
        Member("b", "b.txt", "same", grouping.signature(""), "2024-01-01"),
        Member("c", "c.txt", "other", grouping.signature("")),
    ]
    got = grouping.group_all(ms)
    assert got["a"] == Assignment("b", False)
    assert got["b"] == Assignment("b", True)
    assert got["c"] == Assignment("c", True)


def _article_text(rng: random.Random, words: list[str], n: int) -> str:
    return "".join(rng.choice(words) for _ in range(n))


def test_grouping_scales_by_banding_and_finds_planted_copies() -> None:
    rng = random.Random(7)
    vocab = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    bodies = {f"d{i:04d}": _article_text(rng, vocab, 400) for i in range(400)}
    # Plant 20 copies with a tenth of the text replaced.
    for i in range(20):
        src = bodies[f"d{i:04d}"]
        cut = rng.randrange(0, 360)
        bodies[f"copy{i:02d}"] = src[:cut] + _article_text(rng, vocab, 40) + src[cut + 40 :]
    ms = [_member(k, v) for k, v in bodies.items()]
    pairs = grouping.candidate_pairs(ms)
    assert len(pairs) < 200  # not all 87,000 pairs: banding keeps it near-linear
    got = grouping.group_all(ms)
    for i in range(20):
        assert got[f"copy{i:02d}"].group == got[f"d{i:04d}"].group
    assert sum(w.canonical for w in got.values()) == 400


def test_regroup_promotes_when_canonical_leaves_and_splits_bridges() -> None:
    base = "内蒙古自治区科技厅召开稀土新材料重大科技专项推进会总结年度进展部署重点任务" * 3
    a = _member("a", base, published="2024-01-01")
    b = _member("b", base + "新增一句说明", published="2024-01-02")
    c = _member("c", base + "另一处改写", published="2024-01-03")
    full = grouping.group_all([a, b, c])
    assert full == {
        "a": Assignment("a", True),
        "b": Assignment("a", False),
        "c": Assignment("a", False),
    }
    without_a = grouping.regroup([], affected_groups={"a": [b, c]})
    assert without_a == {"b": Assignment("b", True), "c": Assignment("b", False)}
    # a arrives again: it links to the existing group (as candidate b) and takes it over
    back = grouping.regroup([a], [b], {"b": [b, c]}, {"b": "b", "c": "b"})
    assert back == full


def test_regroup_ignores_candidates_that_are_not_duplicates() -> None:
    body = "内蒙古自治区科技厅召开稀土新材料重大科技专项推进会总结年度进展部署重点任务" * 3
    other = _member("x", "包头市举办科技成果对接会签约项目三十个涉及新能源新材料装备制造" * 3)
    new = _member("n", body, published="2024-01-01")
    got = grouping.regroup([new], [other], {"x": [other]}, {"x": "x"})
    assert got == {"n": Assignment("n", True), "x": Assignment("x", True)}


def test_union_find_sets() -> None:
    uf = grouping.UnionFind("abcde")
    uf.union("a", "b")
    uf.union("d", "c")
    uf.union("b", "d")
    assert sorted(sorted(s) for s in uf.sets()) == [["a", "b", "c", "d"], ["e"]]


def test_similarity_is_symmetric_and_one_for_self(stories) -> None:
    sigs = [grouping.signature(a.body) for a in stories.values()]
    for x, y in itertools.product(sigs, repeat=2):
        assert grouping.similarity(x, y) == grouping.similarity(y, x)
    assert all(grouping.similarity(s, s) == 1.0 for s in sigs)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_links_check_exactly_the_pairs_a_build_checks(seed: int) -> None:
    """New-to-existing links are the candidate_pairs of a build that pass same_story:
    an update links exactly what group_all would, and never pairs outside the bands."""
    rng = random.Random(seed)
    vocab = [chr(c) for c in range(0x4E00, 0x4E00 + 300)]  # small: many band collisions
    bodies = {f"d{i:03d}": _article_text(rng, vocab, 120) for i in range(120)}
    for i in range(30):  # copies with a few characters changed, some exact
        src = bodies[f"d{i:03d}"]
        cut = rng.randrange(0, 100)
        bodies[f"c{i:02d}"] = src if i % 5 == 0 else src[:cut] + "改写" + src[cut + 2 :]
    ms = [
        _member(k, v, content_hash=str(hash(v)) if k.startswith("c") or int(k[1:]) < 30 else "")
        for k, v in bodies.items()
    ]
    new, old = ms[-30:], ms[:-30]
    got = set(grouping.story_links(new, old))
    members = new + old
    want = {
        (members[i].id, members[j].id)
        for i, j in grouping.candidate_pairs(members)
        if i < len(new) <= j and grouping.same_story(members[i], members[j])
    }
    assert got == want and got


def test_band_keys_many_equals_band_keys(stories) -> None:
    sigs = [grouping.signature(a.body) for a in stories.values()]
    sigs += [grouping.signature(f"稀土新材料{i}号项目") for i in range(50)]
    many = grouping.band_keys_many(np.stack([np.frombuffer(s, dtype=np.uint32) for s in sigs]))
    assert [row.tolist() for row in many] == [grouping.band_keys(s) for s in sigs]


def _pairs_by_buckets(members: list[Member]) -> set[tuple[int, int]]:
    """The candidate rule spelled out: i < j sharing a content hash or a band key."""
    keys = [
        set(grouping.band_keys(m.signature))
        | ({("c", m.content_hash)} if m.content_hash else set())
        for m in members
    ]
    return {(i, j) for i, j in itertools.combinations(range(len(members)), 2) if keys[i] & keys[j]}


# Bodies from a few shared stems (many equal band keys), empty bodies, equal and missing
# content hashes: (stem, repeats of a suffix, content hash) per member.
DRAFTS = st.lists(
    st.tuples(
        st.sampled_from(["", "稀土", "稀土新材料产业", "科技创新稀土新材料产业发展"]),
        st.integers(0, 5),
        st.sampled_from(["", "h1", "h2"]),
    ),
    max_size=14,
)


def _drafted(drafts: list[tuple[str, int, str]]) -> list[Member]:
    return [
        _member(f"m{i}", body + "项目" * k, content_hash=h) for i, (body, k, h) in enumerate(drafts)
    ]


@settings(max_examples=60, deadline=None)
@given(DRAFTS)
def test_candidate_arrays_are_the_bucket_pairs(drafts: list[tuple[str, int, str]]) -> None:
    """Bodies from a few shared stems (many equal band keys, empty bodies, equal and
    missing content hashes): the numpy pairs are exactly those of the rule, sorted."""
    ms = _drafted(drafts)
    left, right = grouping.candidate_arrays(ms)
    want = _pairs_by_buckets(ms)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == sorted(want)
    assert grouping.candidate_pairs(ms) == want


@settings(max_examples=40, deadline=None)
@given(DRAFTS)
def test_streamed_grouping_has_the_components_of_all_accepted_candidate_pairs(
    drafts: list[tuple[str, int, str]],
) -> None:
    """group_members judges each column's pairs as they are made; its stories must be the
    connected components of every candidate pair that same_story accepts."""
    ms = _drafted(drafts)
    uf = grouping.UnionFind(m.id for m in ms)
    for i, j in grouping.candidate_pairs(ms):
        if grouping.same_story(ms[i], ms[j]):
            uf.union(ms[i].id, ms[j].id)
    want = sorted(sorted(s) for s in uf.sets())
    assert sorted(sorted(m.id for m in g) for g in grouping.group_members(ms)) == want


SLOT = st.sampled_from(["equal", "low byte only", "different"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 2**24 - 1), min_size=grouping.NUM_HASHES, max_size=grouping.NUM_HASHES),
    st.lists(SLOT, min_size=grouping.NUM_HASHES, max_size=grouping.NUM_HASHES),
    st.sampled_from(["", "h1", "h2"]),
    st.sampled_from(["", "h1"]),
    st.booleans(),
)
def test_array_rule_is_same_story_even_when_low_bytes_agree(
    base: list[int], slots: list[str], hash_a: str, hash_b: str, empty: bool
) -> None:
    """_accepted's low-byte prefilter never rejects a pair same_story accepts: slots that
    differ only above their low byte count as different, and the count near the threshold
    (any mix of equal, low-byte-equal and different slots) decides the same way."""
    a = np.array([v << 8 | 7 for v in base], dtype=np.uint32)
    other = {"equal": 0, "low byte only": 1 << 8, "different": 1 << 8 | 1}
    b = a ^ np.array([other[s] for s in slots], dtype=np.uint32)
    if empty:
        a = np.full(grouping.NUM_HASHES, grouping.EMPTY, dtype=np.uint32)
    ms = [
        Member(id="a", path="a.txt", content_hash=hash_a, signature=a.tobytes()),
        Member(id="b", path="b.txt", content_hash=hash_b, signature=b.tobytes()),
    ]
    rule = grouping._rule_arrays(grouping._keys(ms))
    left, _ = grouping._accepted(rule, np.array([0]), np.array([1]))
    assert (left == [0]) == grouping.same_story(ms[0], ms[1])
