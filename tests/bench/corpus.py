"""The synthetic corpus every bench reads: N plain-text pages in the seeds' dump shape (menu,
title, date and source line, paragraphs, footer with the site's 版权所有 line), built from the
seed articles' sentences: 800-2,500 characters each, dates over five years (a few unknown),
20 sources, 10 sites, rare made-up terms sprinkled in, 5% written in traditional characters
and 5% republished on another site with a sentence dropped. Seeded, so a corpus is the same
on every machine (the shared 100,000-page corpus is `make_corpus(out, 100_000, seed=7)`).
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

SOURCES = [
    "内蒙古日报", "新华社", "青城融媒", "包头日报", "鄂尔多斯日报", "乌兰察布日报", "科技日报",
    "人民网", "正北方网", "内蒙古新闻网", "北方新报", "赤峰日报", "通辽日报", "呼伦贝尔日报",
    "巴彦淖尔日报", "乌海日报", "兴安日报", "锡林郭勒日报", "阿拉善日报", "中国科技网",
]  # fmt: skip
SITES = [
    "内蒙古自治区科学技术厅", "内蒙古自治区人民政府", "包头市科学技术局", "鄂尔多斯市科技局",
    "呼和浩特市科技局", "中宏网", "高新院", "乌兰察布市人民政府", "赤峰市科技局", "正北方网",
]  # fmt: skip
RARE_POOL = "钕铁硼镧铈镨钐铕钆铽镝钬铒铥镱镥钪钇锂钒钼铌锆镓锗铟铼氢碳硅"
MENU = ["首页", "新闻动态", "政策解读", "科技动态", "政务公开", "互动交流"]


def seed_text() -> tuple[list[str], list[str]]:
    """Sentences and titles of the seed articles, as our pipeline extracts them."""
    from indexer.extract.pipeline import iter_corpus, process_file
    from indexer.models import Article

    sentences: list[str] = []
    titles: list[str] = []
    for path in iter_corpus(SEEDS):
        art = process_file(path, SEEDS)
        if not isinstance(art, Article):
            continue
        titles.append(art.title)
        for s in re.findall(r"[^。！？\n]+[。！？]", art.body):
            s = s.strip()
            if 10 <= len(s) <= 160:
                sentences.append(s)
    return sentences, titles


def rare_terms(rng: random.Random, count: int = 300) -> list[str]:
    return ["".join(rng.choice(RARE_POOL) for _ in range(3)) for _ in range(count)]


def _vary_numbers(text: str, rng: random.Random) -> str:
    return re.sub(r"\d", lambda _: str(rng.randint(0, 9)), text)


def seed_paragraphs(rng: random.Random, sentences: Sequence[str]) -> list[str]:
    """800-2,500 characters of recombined seed sentences, numbers varied, 2-5 per paragraph."""
    target = rng.randint(800, 2500)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        para = "".join(_vary_numbers(rng.choice(sentences), rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        size += len(para)
    return paragraphs


def _body(sentences: list[str], rare: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """Paragraphs of recombined seed sentences, with one or two rare terms inserted."""
    paragraphs = seed_paragraphs(rng, sentences)
    inserted = [rng.choice(rare) for _ in range(rng.randint(1, 2))]
    for term in inserted:
        i = rng.randrange(len(paragraphs))
        cut = rng.randrange(len(paragraphs[i]))
        paragraphs[i] = paragraphs[i][:cut] + term + paragraphs[i][cut:]
    return paragraphs, inserted


def _page(title: str, date: str | None, source: str, site: str, paragraphs: list[str]) -> str:
    menu = "\n".join(f"  • {m}" for m in MENU)
    dateline = f"{date} 来源:{source}" if date else f"来源:{source}"
    body = "\n\n".join(f"  {p}" for p in paragraphs)
    return (
        f"{menu}\n{title}\n\n{dateline}\n{body}\n上一篇:关于开展科技计划项目申报的通知\n"
        f"下一篇:科技创新大会召开\n版权所有:{site}  主办单位:{site}\n蒙ICP备05003412号\n"
    )


def make_corpus(out: Path, n: int, seed: int = 7) -> dict[str, Any]:
    """Write n pages under out/ (100 per folder); return what the query mix needs."""
    import opencc

    rng = random.Random(seed)
    sentences, titles = seed_text()
    rare = rare_terms(rng)
    s2t = opencc.OpenCC("s2t")
    start = time.mktime((2020, 1, 1, 0, 0, 0, 0, 0, -1))
    span = 5 * 365 * 86400
    written = 0
    copies = 0
    used: Counter[str] = Counter()
    while written < n:
        paragraphs, inserted = _body(sentences, rare, rng)
        used.update(inserted)
        title = rng.choice(titles) if rng.random() < 0.1 else rng.choice(sentences)[:28]
        title = _vary_numbers(title.rstrip("。！？"), rng)
        ts = start + rng.random() * span
        date = None if rng.random() < 0.03 else time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts))
        text = _page(title, date, rng.choice(SOURCES), rng.choice(SITES), paragraphs)
        if rng.random() < 0.05:
            text = s2t.convert(text)
        versions = [text]
        if rng.random() < 0.05 and len(paragraphs) > 2:  # republished: a sentence dropped
            edited = paragraphs[:]
            edited.pop(rng.randrange(len(edited)))
            later = (
                None
                if date is None
                else time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts + rng.randint(0, 3) * 86400))
            )
            versions.append(_page(title, later, rng.choice(SOURCES), rng.choice(SITES), edited))
            copies += 1
        for version in versions:
            if written >= n:
                break
            folder = out / f"{written // 100:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{written:06d}.txt").write_text(version, encoding="utf-8")
            written += 1
    # Rare-word queries: the least used inserted terms (a few hundred files at N = 100k).
    rarest = [term for term, _ in sorted(used.items(), key=lambda kv: (kv[1], kv[0]))]
    return {"files": written, "copies": copies, "rare": rarest[:3]}
