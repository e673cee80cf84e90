"""pipeline over generated pages: portal furniture around a known article is removed
whatever its arrangement, and no input, bytes or markup soup, makes it raise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.pipeline import process_bytes
from indexer.models import Article, Skipped

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
