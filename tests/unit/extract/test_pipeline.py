"""pipeline: file -> Article or Skipped, corpus walking, ids and hashes; the CLI's edge."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import cli
from indexer.extract import budget as budget_module
from indexer.extract.budget import Budget
from indexer.extract.pipeline import (
    MAX_FILE_BYTES,
    article_id,
    content_hash,
    iter_corpus,
    process_bytes,
    process_file,
)
from indexer.models import Article, Skipped
from tests.unit.extract.pages import PROSE

ROOT = Path(__file__).resolve().parents[3]


def test_article_id_is_blake2b_of_relpath() -> None:
    assert article_id("a/b.txt") == hashlib.blake2b(b"a/b.txt", digest_size=8).hexdigest()
    assert len(article_id("x")) == 16


def test_content_hash_ignores_width_script_and_spacing() -> None:
    expected = hashlib.sha256("科技创新,r&d".encode()).hexdigest()
    assert content_hash("科技 創新，Ｒ＆Ｄ") == content_hash("科技创新,\nR&D") == expected


def test_max_file_bytes() -> None:
    assert MAX_FILE_BYTES == 20 * 1024 * 1024


def test_iter_corpus_sorted_recursive_without_hidden_or_temp(tmp_path: Path) -> None:
    names = [
        "b.txt",
        "a.html",
        "sub/c.htm",
        "sub/deep/d.TXT",
        ".hidden.txt",
        ".git/e.txt",
        "f.txt.part",
        "g.tmp",
        "h.txt~",
        "i.pdf",
        "j.json",
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_corpus(tmp_path)]
    assert found == ["a.html", "b.txt", "sub/c.htm", "sub/deep/d.TXT"]


def test_process_bytes_gives_article_with_hashes() -> None:
    data = f"标题在此处\n2024-01-02 来源:甲报\n{PROSE}".encode("gbk")
    result = process_bytes(data, "sub/p.txt")
    assert isinstance(result, Article)
    assert (result.id, result.path, result.title, result.published, result.sources) == (
        article_id("sub/p.txt"),
        "sub/p.txt",
        "标题在此处",
        "2024-01-02",
        ("甲报",),
    )
    assert result.body == PROSE
    assert result.encoding == "gb18030"
    assert result.file_hash == hashlib.sha256(data).hexdigest()
    assert result.content_hash == content_hash(PROSE)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01binary", "binary file (contains NUL bytes)"),
        (b"\x80\xff\x80", "not text: neither UTF-8 nor GB18030"),
        ("• 首页\n• 新闻\n上一篇:没有了".encode(), "no article text found"),
        (b"<html><body><script>x()</script></body></html>", "no article text found"),
        (b"<html><head><title>t</title>", "no article text found"),
    ],
)
def test_process_bytes_skips_with_reason(data: bytes, reason: str) -> None:
    result = process_bytes(data, "x.html")
    assert result == Skipped(
        path="x.html", reason=reason, file_hash=hashlib.sha256(data).hexdigest()
    )


def test_process_file_relpath_from_corpus_root(tmp_path: Path) -> None:
    (tmp_path / "portal").mkdir()
    page = tmp_path / "portal" / "p.txt"
    page.write_text(f"标题在此处\n日期:2024-01-02\n{PROSE}", encoding="utf-8")
    result = process_file(page, tmp_path)
    assert isinstance(result, Article)
    assert (result.path, result.id) == ("portal/p.txt", article_id("portal/p.txt"))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing.txt", "cannot read file: No such file or directory"),
        ("adir", "is a directory"),
    ],
)
def test_process_file_never_raises_for_bad_paths(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / "adir").mkdir()
    assert process_file(tmp_path / name, tmp_path) == Skipped(path=name, reason=reason)


def test_process_file_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert process_file(fifo, tmp_path) == Skipped(path="pipe.txt", reason="not a regular file")


def test_process_file_skips_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = process_file(big, tmp_path)
    assert isinstance(result, Skipped)
    assert result.reason == f"file too large (52428800 bytes; limit {MAX_FILE_BYTES})"


@pytest.mark.parametrize(
    ("name", "title", "published"),
    [
        ("menu_block.txt", "包头市建成稀土新材料中试基地", "2024-03-02"),
        ("footer_block.txt", "呼伦贝尔市推广黑土地保护性耕作技术", "2023-05-18T09:00"),
        ("repeated_body.txt", "乌兰察布市大数据产业发展提速", "2023-09-01T10:30"),
        ("gbk_page.txt", "赤峰市举办科技成果展", "2023-12-05"),
        ("bom_page.txt", "阿拉善盟开展沙产业技术培训", "2024-01-15T14:00"),
        ("traditional_pinyin.txt", "包頭高新區舉辦創新創業大賽", "2023-07-11"),
        ("no_title.txt", "锡林郭勒盟近日启动智慧牧场建设试点", "2024-06-01"),
        ("no_date.txt", "兴安盟培育农业科技示范户", None),
        ("news_page.html", "赤峰市出台支持科技型企业发展若干措施", "2024-03-08T09:30"),
        ("gb2312_declared_utf8.html", "乌海市举办科技成果转化对接会", "2023-06-16"),
        ("truncated.html", "二连浩特口岸科技通关改革", "2024-08-08"),
    ],
)
def test_fixture_pages(fixtures_dir: Path, name: str, title: str, published: str | None) -> None:
    result = process_file(fixtures_dir / name, fixtures_dir)
    assert isinstance(result, Article)
    assert (result.title, result.published) == (title, published)
    assert result.title_inferred is (name == "no_title.txt")


@pytest.mark.parametrize(
    ("name", "first", "last", "absent"),
    [
        ("menu_block.txt", "包头市稀土新材料", "50项以上。", ["网站首页", "科技动态"]),
        ("footer_block.txt", "今年,呼伦贝尔市", "落实到位。", ["上一篇", "编辑", "ICP", "地址"]),
        ("repeated_body.txt", "今年上半年", "数据中心集聚区。", ["长辈版", "发展提速"]),
        ("traditional_pinyin.txt", "本次大賽", "二等獎4個。", ["(xiàng)", "首頁", "achie"]),
        (
            "news_page.html",
            "近日,赤峰市",
            "突破300家。",
            ["责任编辑", "相关新闻", "分享到", "a1.jpg"],
        ),
    ],
)
def test_fixture_bodies(
    fixtures_dir: Path, name: str, first: str, last: str, absent: list[str]
) -> None:
    result = process_file(fixtures_dir / name, fixtures_dir)
    assert isinstance(result, Article)
    assert result.body.startswith(first)
    assert result.body.endswith(last)
    assert result.body.count(last) == 1
    assert [a for a in absent if a in result.body] == []


BAD = ["empty.txt", "whitespace_only.txt", "binary_page.txt", "undecodable.txt", "menu_only.txt"]


def test_cli_reports_bad_files_one_line_each(
    fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(fixtures_dir / n) for n in [*BAD, "gbk_page.txt", "truncated.html"]]
    assert cli.main(["extract", *paths]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [json.loads(line) for line in out]
    assert [(r["path"], r.get("error")) for r in rows] == [
        ("empty.txt", "empty file"),
        ("whitespace_only.txt", "empty file (whitespace only)"),
        ("binary_page.txt", "binary file (contains NUL bytes)"),
        ("undecodable.txt", "not text: neither UTF-8 nor GB18030"),
        ("menu_only.txt", "no article text found"),
        ("gbk_page.txt", None),
        ("truncated.html", None),
    ]


def test_cli_exit_code_nonzero_only_when_every_file_failed(
    fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["extract", *(str(fixtures_dir / n) for n in BAD)]) == 1
    assert len(capsys.readouterr().out.splitlines()) == len(BAD)


def test_cli_subprocess_large_and_bad_files_no_traceback(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    paths = [big, fixtures_dir / "empty.txt", fixtures_dir / "binary_page.txt", tmp_path / "nope"]
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "extract", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [json.loads(line)["error"] for line in proc.stdout.splitlines()]
    assert errors == [
        f"file too large (52428800 bytes; limit {MAX_FILE_BYTES})",
        "empty file",
        "binary file (contains NUL bytes)",
        "cannot read file: No such file or directory",
    ]


# --- a page assembled from portal furniture around a known article ------------------------

_MENUS = [
    ["  • 首页", "  • 新闻中心", "  • 政务公开", "  • 互动交流"],
    ["- 網站首頁", "- 新聞中心", "- 科技政策"],
    ["首页 | 机构概况 | 政务公开 | 政务服务"],
    [],
]
_CRUMBS = ["当前位置:首页 > 科技动态 > 工作动态", "您的位置:首页 > 新闻", ""]
_WIDGETS = [["字体:[ 大 | 中 | 小 ]", "分享到:", "打印本页"], ["【字号:大 中 小】【打印】"], []]
_DATELINES = [
    ("发布日期:2023-12-05 22:45 来源:内蒙古日报", "2023-12-05T22:45", ("内蒙古日报",)),
    ("2022-09-29 09:03:12 来源:科技厅网站", "2022-09-29T09:03:12", ("科技厅网站",)),
    ("来源:高新院 日期:2023-01-18 点击:次", "2023-01-18", ("高新院",)),
    ("作者: 2024/01/25 10:20 0收藏", "2024-01-25T10:20", ()),
    ("信息来源:包头日报   发布时间:2023年11月20日", "2023-11-20", ("包头日报",)),
]
_TITLES = [
    "包头市建成稀土新材料中试基地",
    "聚焦“五大任务” 推动高质量发展 | 牢牢抓住科技创新这个“牛鼻子”",
]
_PARAGRAPHS = [
    "今年以来,自治区科技厅积极指导各盟市落实一体化发展规划,成效明显。",
    "会议要求,各旗县市区要进一步完善科技特派员选派机制,推动工作提质增效。",
    "据介绍,此次批准建设的技术创新中心由行业龙头企业牵头,联合高校共同组建。",
    "“科技让治沙从‘人海战术’走向‘精准施策’。”有关负责人说。",
    "全市技术合同成交额突破10亿元,同比增长28%,提前完成“十四五”目标。",
]
_SUBHEADINGS = ["厚植创新沃土 政策精准赋能", "呼和浩特市", "一、总体要求"]
_FOOTERS = [
    ["上一篇:没有了", "下一篇:某某新闻", "编辑:魏源", "审核:蔡旭东"],
    ["【责任编辑:张丽】", "相关阅读", "  • 内蒙古科技成果转化步伐加快"],
    ["主办单位:内蒙古自治区科学技术厅 蒙ICP备05003125号", "地址:呼和浩特市 电话:0471-0000000"],
    [
        "  • 最新资讯",
        "  • 我市争取到中央引导地方科技发展资金950万元",
        "×",
        "扫一扫下载APP,体验更多功能!",
    ],
]


@st.composite
def _portal_page(draw: st.DrawFn) -> tuple[str, str, str, tuple[str, ...], list[str]]:
    body = draw(st.lists(st.sampled_from(_PARAGRAPHS), min_size=1, max_size=5, unique=True))
    inner = list(body)
    if len(inner) > 1 and draw(st.booleans()):
        inner.insert(draw(st.integers(1, len(inner) - 1)), draw(st.sampled_from(_SUBHEADINGS)))
    title = draw(st.sampled_from(_TITLES))
    dateline, published, sources = draw(st.sampled_from(_DATELINES))
    lines = [
        *draw(st.sampled_from(_MENUS)),
        draw(st.sampled_from(_CRUMBS)),
        "",
        title,
        dateline,
        *draw(st.sampled_from(_WIDGETS)),
        "",
    ]
    for paragraph in inner:
        lines += [paragraph, draw(st.sampled_from(["", "图片", "1.jpg"]))]
    lines += draw(st.sampled_from(_FOOTERS))
    return "\n".join(lines), title, published, sources, inner


@settings(max_examples=150, deadline=None)
@given(_portal_page())
def test_furniture_around_an_article_is_removed(
    page: tuple[str, str, str, tuple[str, ...], list[str]],
) -> None:
    text, title, published, sources, body = page
    result = process_bytes(text.encode("utf-8"), "p.txt")
    assert isinstance(result, Article)
    assert (result.title, result.title_inferred, result.published) == (title, False, published)
    assert result.sources == sources
    assert result.body == "\n".join(body)


_MARKUP = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<body>",
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<br>",
            "<li>",
            "<a>",
            "</a>",
            "<script>",
            "<!--",
            "-->",
            "<![CDATA[",
            "<?xml",
            "&nbsp;",
            "&#xD800;",
            "<table><td>",
            "发布时间:2024-01-02",
            "来源:甲报",
            _PARAGRAPHS[0],
            "上一篇:无",
            "\x0c",
            "\ufeff",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.binary(max_size=300), _MARKUP.map(str.encode)),
    st.sampled_from(["a.html", "a.txt"]),
)
def test_process_bytes_never_raises(data: bytes, relpath: str) -> None:
    result = process_bytes(data, relpath)
    assert isinstance(result, Article | Skipped)
    if isinstance(result, Article):
        assert result.body.strip()


# --- the per-page extraction budget --------------------------------------------------------

_PAGE = f"标题在此处\n2024-01-02 来源:甲报\n{PROSE}\n".encode()
_REPEATED = ("标题在此处\n2024-01-02 来源:甲报\n" + "稀土创新科技发展。\n" * 1_000).encode()


class _Ticks:
    """A clock that moves `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_page_over_its_time_budget_is_skipped_with_the_stage() -> None:
    result = process_bytes(_PAGE, "slow.txt", Budget(seconds=2.5, clock=_Ticks(1.0)))
    assert result == Skipped(
        path="slow.txt",
        reason="extraction took longer than 2.5 s (stopped at body selection)",
        file_hash=hashlib.sha256(_PAGE).hexdigest(),
    )


def test_a_page_over_its_step_budget_is_skipped() -> None:
    result = process_bytes(_REPEATED, "many.txt", Budget(steps=100))
    assert isinstance(result, Skipped)
    assert result.reason == "extraction needed more than 100 steps (stopped at repeated blocks)"


def test_a_page_over_its_size_budget_is_skipped_before_any_stage() -> None:
    result = process_bytes(_PAGE, "big.txt", Budget(max_chars=20))
    assert isinstance(result, Skipped)
    assert result.reason == f"page too long to extract: {len(_PAGE.decode())} characters (limit 20)"


def test_within_budget_the_page_is_an_article() -> None:
    result = process_bytes(
        _REPEATED, "many.txt", Budget(seconds=2.5, clock=_Ticks(0.0), steps=10**6)
    )
    assert isinstance(result, Article)
    assert result.body.split("\n") == ["稀土创新科技发展。"] * 3


def test_module_limits_reach_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """update's workers and the upload API build their Budget() from the module's limits."""
    monkeypatch.setattr(budget_module, "MAX_EXTRACT_CHARS", 10)
    result = process_bytes(_PAGE, "big.txt")
    assert isinstance(result, Skipped) and result.reason.startswith("page too long to extract")
