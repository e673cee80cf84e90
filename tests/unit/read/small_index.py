"""A small hand-made index for the read side's tests: documents written as every segment is
(FastWriter, index/fields.py), one story published three times among them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from whoosh import index as windex
from whoosh.index import Index

from indexer.index.fields import article_fields
from indexer.index.schema import build_schema
from indexer.models import Article
from indexer.write import stories
from indexer.write.segment_writer import FastWriter


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str
    published: str = ""
    sources: tuple[str, ...] = ()
    site: str = ""
    group: str = ""
    canonical: bool = True


def _article(d: Doc) -> tuple[Article, dict]:
    """The Article of a Doc and its Whoosh document."""
    article = Article(
        id=d.id,
        path=f"{d.id}.txt",
        title=d.title,
        title_inferred=False,
        published=d.published or None,
        sources=d.sources,
        site=d.site or None,
        body=d.body,
        content_hash="h-" + d.id,
        file_hash="f-" + d.id,
    )
    where = stories.Assignment(d.group or d.id, d.canonical)
    return article, article_fields(article, where)


def add_docs(ix: Index, docs: list[Doc]) -> None:
    """Commit `docs` as one new segment, written as every index segment is (FastWriter)."""
    w = FastWriter(ix)
    for d in docs:
        w.add_article(*_article(d))
    w.commit(merge=False)


def add_docs_by_whoosh(ix: Index, docs: list[Doc]) -> None:
    """Commit `docs` as one new segment through Whoosh's own writer: a reference that keeps
    the word fields' postings in Whoosh's term file, for comparing scores with Whoosh's."""
    with ix.writer() as w:
        w.merge = False
        for d in docs:
            w.add_document(**_article(d)[1])


def write_index(path: Path, docs: list[Doc]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    add_docs(windex.create_in(str(path), build_schema()), docs)
    return path


DOCS = [
    # One story published three times: a1 canonical; a3 lightly edited (mentions 石墨烯).
    Doc(
        "a1",
        "包头稀土高新区发展",
        "稀土产业蓬勃发展。新材料项目落地。",
        "2023-03-05T10:00",
        ("内蒙古日报",),
        "站甲",
        "a1",
        True,
    ),
    Doc(
        "a2",
        "包头稀土高新区发展",
        "稀土产业蓬勃发展。新材料项目落地。",
        "2023-03-06",
        ("新华社",),
        "站乙",
        "a1",
        False,
    ),
    Doc(
        "a3",
        "包头稀土高新区发展",
        "稀土产业蓬勃发展。石墨烯项目落地。",
        "2023-04-01",
        ("内蒙古日报", "新华社"),
        "站丙",
        "a1",
        False,
    ),
    Doc(
        "b",
        "科技突围工程",
        "呼和浩特市实施科技突围工程。稀土也有提及。",
        "2024-01-25",
        ("青城融媒",),
        "站甲",
    ),
    Doc(
        "c",
        "鄂尔多斯科技新政",
        "突围" * 1 + "出台科技新政30条。全市R&D经费投入达到53.2亿元。",
        "2022-12-31",
        (),
        "站乙",
    ),
    Doc(
        "d",
        "無日期的文章",
        "高新區(qū)新聞：鄔軍軍說稀土高新區要進入50強。".replace("(qū)", ""),
        "",
        ("高新院",),
        "站丙",
    ),
    Doc("e", "突围", "标题就是这个词。", "2021-06-01", (), "站丁"),
]


def ids(result) -> list[str]:
    return [h.id for h in result.hits]


def facet(result, name: str) -> dict[str, int]:
    return {f.value: f.count for f in result.facets[name]}


def whoosh_postings(reader, field: str, term: str | bytes) -> tuple[list[int], list[float]]:
    """A term's documents and weights as Whoosh's own matcher gives them, one call per
    posting: the reference our array readers and writers are checked against."""
    m = reader.postings(field, term)
    while hasattr(m, "child"):
        m = m.child
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights
