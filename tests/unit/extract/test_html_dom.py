"""html_dom: parsing any markup, the text model html_page and html_meta share, taking an
element out, the measures taken once from the leaves up, and pages nested deeper than
any real page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from indexer.extract import html_dom as D
from indexer.extract import patterns as P
from indexer.extract.lines import prose_chars


def _page(html: str) -> D.Element:
    page = D.parse(html)
    assert page is not None
    return page


def test_markup_with_no_element_parses_to_nothing() -> None:
    assert D.parse("") is None
    assert D.parse("   \n ") is None


def test_an_xml_prolog_naming_an_encoding_is_still_parsed() -> None:
    page = _page('<?xml version="1.0" encoding="gbk"?><html><body><p>正文</p></body></html>')
    assert D.text_of(page) == "正文"


def test_comments_and_processing_instructions_are_not_text_but_what_follows_is() -> None:
    p = _page("<p>前<!-- 注释 -->后<?php echo 1 ?>尾</p>").find(".//p")
    assert list(D.strings(p)) == ["前", "后", "尾"]


def test_script_style_template_and_ruby_annotations_are_not_prose() -> None:
    html = (
        "<p>甲<script>var a;</script>乙<style>p{}</style>丙<template>模板</template>"
        "<ruby>字<rt>zi</rt><rp>(</rp></ruby>丁</p>"
    )
    p = _page(html).find(".//p")
    assert D.text_of(p) == "甲乙丙字丁"
    # Asked about directly, an annotation still holds no prose.
    assert D.text_of(p.find(".//rt")) == ""


def test_text_of_joins_with_the_separator_given() -> None:
    h1 = _page("<h1>一级<span>标题</span></h1>").find(".//h1")
    assert D.text_of(h1, " ") == "一级 标题"


def test_removing_an_element_keeps_the_text_after_it_a_node_of_its_own() -> None:
    """The text on either side must not run together: a line break inside one text node
    is joined between Chinese characters, one between two nodes is not."""
    p = _page("<p>前\n<script>x</script>\n后</p>").find(".//p")
    D.remove(p.find("script"))
    assert list(D.strings(p)) == ["前\n", "\n后"]


def test_unusual_tag_and_attribute_names_parse() -> None:
    page = _page('<body><wb:share-button @click="x">分享</wb:share-button><o:p>段</o:p></body>')
    assert D.text_of(page) == "分享段"


def test_a_page_nested_past_the_limit_keeps_all_its_text_in_order() -> None:
    """Past 2,048 elements libxml2 would drop the rest of the page; past MAX_DEPTH the
    elements below are read as text, so nothing is lost and the tree stays shallow."""
    deep = 3 * D.MAX_DEPTH
    html = (
        "<body><p>开头</p>" + "<span>" * deep + "中间<b>粗</b>字" + "</span>" * deep + "<p>结尾</p>"
    )
    page = _page(html + "</body>")
    assert D.depth(page) <= D.MAX_DEPTH
    assert D.text_of(page) == "开头中间粗字结尾"


def test_a_page_just_within_the_limit_keeps_its_elements() -> None:
    depth = D.MAX_DEPTH - 3  # with <html> and <body>
    page = _page("<body>" + "<i>" * depth + "字" + "</i>" * depth + "</body>")
    assert D.depth(page) == D.MAX_DEPTH - 1
    assert D.text_of(page) == "字"


_TAGS = st.sampled_from(["div", "p", "span", "a", "td", "rt", "b", "li"])
_TEXT = st.text(alphabet="中文，。 a\n", max_size=6)


def _tree(depth: int = 0) -> st.SearchStrategy[str]:
    leaf = _TEXT
    if depth >= 3:
        return leaf
    node = st.builds(
        lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag}>",
        _TAGS,
        st.lists(st.one_of(leaf, st.deferred(lambda: _tree(depth + 1))), max_size=4),
    )
    return st.one_of(leaf, node)


@settings(max_examples=200, deadline=None)
@given(st.lists(_tree(), max_size=5))
def test_measures_agree_with_each_elements_own_text(parts: list[str]) -> None:
    """What `measure` adds up from the leaves is what each element's text says: its prose,
    its punctuation marks, and the prose of the links inside it."""
    page = _page("<html><body>" + "".join(parts) + "</body></html>")
    sizes = D.measure(page, prose_chars, P.PROSE_PUNCT)
    for el in page.iter(etree.Element):
        text = D.text_of(el)
        assert sizes.prose[el] == prose_chars(text)
        assert sizes.marks[el] == len(P.PROSE_PUNCT.findall(text))
        assert sizes.linked[el] == sum(prose_chars(D.text_of(a)) for a in el.iterdescendants("a"))


def test_own_strings_are_the_text_between_the_child_elements() -> None:
    div = _page("<div>前<p>段</p>中<!-- 注释 -->后</div>").find(".//div")
    assert D.own_strings(div) == "前中后"
