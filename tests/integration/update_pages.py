"""Pages and probes the update tests share: small generated news pages, the ids holding a
text, orphan segment files, the stored fields, the CLI as a subprocess."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np

from indexer import write
from indexer.extract.pipeline import article_id
from indexer.index import layout
from indexer.read.query import Term
from indexer.read.searcher import Searcher
from tests.helpers import committed_fields

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
STORIES = FIXTURES / "stories"

PHRASES = (
    "自治区科技厅",
    "稀土新材料",
    "科技创新",
    "高质量发展",
    "重大专项",
    "包头市",
    "鄂尔多斯市",
    "研发投入",
    "企业创新主体",
    "成果转化",
    "人才引进",
    "创新平台",
    "产业链",
    "新能源",
    "关键技术攻关",
    "政策支持",
    "项目建设",
    "呼和浩特市",
    "科技型中小企业",
    "高新技术企业",
)


def page(i: int) -> str:
    """A small news page (menu, title, date and source line, three paragraphs, footer)."""
    rng = random.Random(i)

    def sentence() -> str:
        clauses = ("".join(rng.choice(PHRASES) for _ in range(3)) for _ in range(3))
        return "，".join(clauses) + f"，编号{i}第{rng.randint(1, 999)}项。"

    paras = ["".join(sentence() for _ in range(4)) for _ in range(3)]
    return (
        f"首页\n新闻中心\n第{i}号科技动态：{rng.choice(PHRASES)}取得新进展\n"
        f"发布时间：2023-{1 + i % 12:02d}-{1 + i % 28:02d} 来源：内蒙古日报\n\n"
        + "\n\n".join(paras)
        + "\n\n上一篇：无\n"
    )


def write_pages(folder: Path, numbers: range) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    rels = []
    for i in numbers:
        (folder / f"n{i:04d}.txt").write_text(page(i), encoding="utf-8")
        rels.append(f"{folder.name}/n{i:04d}.txt")
    return rels


def ids_holding(root: Path, text: str, title_only: bool = False) -> set[str]:
    """Ids of the live articles holding `text` verbatim (in titles only, if asked)."""
    gen = Searcher(root, cache_size=0)._current()
    anywhere, in_title = gen.term_masks(Term(text, title_only=title_only))
    mask = (in_title if title_only else anywhere) & gen.columns.live
    return {gen.stored(int(d))["id"] for d in np.flatnonzero(mask)}


def assert_no_orphan_files(root: Path) -> None:
    """Every segment file (n-gram postings included) belongs to a live segment, and no
    temporary folder or file is left."""
    gen_dir = layout.current_generation_dir(root)
    assert not [p for p in gen_dir.iterdir() if p.name.endswith(".tmp")]
    live = {s.segment_id() for s in write.open_index(root)._segments()}
    on_disk = {
        p.name.split(".")[0]
        for p in gen_dir.iterdir()
        if p.name.startswith("MAIN_") and "." in p.name
    }
    assert on_disk == live


def stored(root: Path) -> dict[str, dict]:
    return {d["id"]: d for d in committed_fields(root)}


def run_cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def seed_ids(corpus: Path) -> list[str]:
    return [article_id(p.name) for p in sorted(corpus.glob("*.txt"))]


def story_ids() -> tuple[str, str, str]:
    """Ids of the story fixtures: a government original, its edited copy, another article."""
    return (
        article_id("gov_portal_original.txt"),
        article_id("news_portal_copy_edited.txt"),
        article_id("same_topic_other_article.txt"),
    )
