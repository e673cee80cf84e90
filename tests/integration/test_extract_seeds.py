"""The five seed pages through the whole extraction pipeline: the facts they must give."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer import cli
from indexer.extract.pipeline import article_id, iter_corpus, process_file
from indexer.models import Article

SEVEN_OUTLETS = (
    "青城融媒",
    "包头日报",
    "鄂尔多斯日报",
    "乌兰察布日报",
    "巴彦淖尔政府网",
    "乌海日报",
    "通达融媒",
)

# (seed prefix, title or None when inferred, published, sources, site, body start, body end)
EXPECTED = [
    (
        "000",
        "聚焦盟市两会 | 科技创新是焦点 “突围”工程成热词",
        "2024-01-25T10:20",
        SEVEN_OUTLETS,
        "创新内蒙古",
        "1月中旬开始,",
        "营造“近悦远来”人才生态。",
    ),
    (
        "001",
        "2022年,“呼包鄂乌”一体化发展中的“科技力量”",
        "2022-09-29T09:03:12",
        ("内蒙古自治区科学技术厅网站",),
        "中宏网",
        "今年以来,自治区科技厅",
        "初级技术经纪人289人。",
    ),
    (
        "002",
        "聚焦“五大任务” 推动高质量发展 | 牢牢抓住科技创新这个“牛鼻子”",
        "2023-12-05T22:45",
        ("内蒙古日报",),
        "内蒙古自治区科学技术厅",
        "《意见》原文:",
        "定能越走越宽。",
    ),
    (
        "003",
        "鄔軍軍:以科技創新驅動高質量發展 向國家級高新區50強邁進",
        "2023-01-18",
        ("高新院",),
        "高新院",
        "“目標昭示方向",
        "鄔軍軍說。",
    ),
    (
        "004",
        None,
        None,
        (),
        "鄂尔多斯国家级文化和科技融合示范基地管委会",
        "连续上榜全国科技创新百强城市;",
        "科技支撑。",
    ),
]

NEVER_IN_BODY = [
    "发展和改革委员会",
    "网站首页",
    "最新资讯",
    "高新院新聞",
    "上一篇",
    "编辑:魏源",
    "审核:",
    "ICP",
    "扫一扫",
    "字体:",
    "打印本页",
    "微信图片_",
    "1.jpg",
]
PINYIN_NOTE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")


def _seed(seeds_dir: Path, prefix: str) -> Path:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*"))
    return path


@pytest.fixture(scope="module")
def articles(seeds_dir: Path) -> dict[str, Article]:
    out = {}
    for path in iter_corpus(seeds_dir):
        result = process_file(path, seeds_dir)
        assert isinstance(result, Article), result
        out[path.name[:3]] = result
    return out


@pytest.mark.parametrize(
    ("prefix", "title", "published", "sources", "site", "start", "end"), EXPECTED
)
def test_seed_metadata_and_body_bounds(
    articles: dict[str, Article],
    prefix: str,
    title: str | None,
    published: str | None,
    sources: tuple[str, ...],
    site: str,
    start: str,
    end: str,
) -> None:
    article = articles[prefix]
    if title is None:
        assert article.title_inferred is True
        assert article.title == "连续上榜全国科技创新百强城市"
    else:
        assert (article.title, article.title_inferred) == (title, False)
    assert article.published == published
    assert article.sources == sources
    assert article.site == site
    assert article.body.startswith(start)
    assert article.body.endswith(end)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_body_has_no_boilerplate(articles: dict[str, Article], prefix: str) -> None:
    body = articles[prefix].body
    assert [s for s in NEVER_IN_BODY if s in body] == []
    assert "图片" not in body.split("\n")
    assert PINYIN_NOTE.findall(body) == []


def test_body_rendered_twice_appears_once(articles: dict[str, Article]) -> None:
    body = articles["002"].body
    assert body.count("定能越走越宽。") == 1
    assert body.count("《意见》原文:") == 1
    assert body.count("转盘式挤奶机。") == 1


def test_subheadings_and_captions_stay_in_body(articles: dict[str, Article]) -> None:
    assert "\n包头市\n推动创新驱动战略\n" in articles["000"].body
    assert "\n厚植创新沃土 政策精准赋能\n" in articles["004"].body


def test_ids_paths_and_hashes(seeds_dir: Path, articles: dict[str, Article]) -> None:
    for prefix, article in articles.items():
        path = _seed(seeds_dir, prefix)
        assert article.path == path.name
        assert article.id == article_id(path.name)
        assert len(article.content_hash) == 64
        assert len(article.file_hash) == 64
    assert len({a.content_hash for a in articles.values()}) == 5


def test_cli_extract_prints_the_table(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in iter_corpus(seeds_dir)]
    assert cli.main(["extract", *paths]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["path"][:3] for r in rows] == ["000", "001", "002", "003", "004"]
    assert [r["published"] for r in rows] == [e[2] for e in EXPECTED]
    assert [r["site"] for r in rows] == [e[4] for e in EXPECTED]
    assert rows[4]["title_inferred"] is True
    assert rows[3]["sources"] == ["高新院"]
