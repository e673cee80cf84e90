"""documents: 《…》 policy titles and document numbers, one canonical form each."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.document_patterns import MAX_DOCUMENTS, TITLE_MAX
from indexer.extract.documents import canonical, document_numbers, documents, titles

BRACKETS = ["〔〕", "[]", "［］", "()", "（）", "【】", "〖〗", "﹝﹞"]
CANONICAL = re.compile(r"^[\u4e00-\u9fff]{2,12}〔(?:19|20)\d{2}〕[1-9]\d{0,4}号$")


@pytest.mark.parametrize("pair", BRACKETS)
def test_every_bracket_variant_folds_to_one_form(pair: str) -> None:
    text = f"按照内政发{pair[0]}2023{pair[1]}12号文件要求"
    assert document_numbers(text) == ["内政发〔2023〕12号"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("国办发〔2022〕第 007 号", ["国办发〔2022〕7号"]),  # 第, spaces and zeros go
        ("内政办发［２０２４］３号", ["内政办发〔2024〕3号"]),  # full-width digits
        ("內政發〔2023〕12號", ["内政发〔2023〕12号"]),  # traditional script
        (
            "根据内政发〔2023〕12号文件和内政办发〔2024〕3号",
            ["内政发〔2023〕12号", "内政办发〔2024〕3号"],
        ),
        ("《关于……的通知》（内科发〔2021〕5号）", ["内科发〔2021〕5号"]),
        ("各旗县区要按照内政办发〔2024〕3号文件要求", ["内政办发〔2024〕3号"]),
        ("〔2023〕12号", []),  # no issuer
        ("2023年12号", []),  # no brackets: a date, not a number
        ("内政发〔1875〕12号", []),  # not a year of this kind of document
    ],
)
def test_document_numbers(text: str, want: list[str]) -> None:
    assert document_numbers(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "近日,赤峰市印发《支持科技型企业高质量发展若干措施》。",
            ["支持科技型企业高质量发展若干措施"],
        ),
        ("《内蒙古自治区促进科技成果转化条例》", ["内蒙古自治区促进科技成果转化条例"]),
        ("印发《开放共享管理办法(试行)》", ["开放共享管理办法(试行)"]),
        ("贯彻《意见》精神,落实《通知》要求", []),  # back-references
        ("据《人民日报》报道", []),  # an outlet
        ("《推进新型研发机构集群建设》入选案例", []),  # a case study, not a document
        (
            "《關於印發〈內蒙古自治區科技計劃項目管理辦法〉的通知》",
            [
                "内蒙古自治区科技计划项目管理办法",
                "关于印发《内蒙古自治区科技计划项目管理办法》的通知",
            ],
        ),
        ("《政府工作报告》", ["政府工作报告"]),
    ],
)
def test_titles(text: str, want: list[str]) -> None:
    assert titles(text) == want


def test_documents_are_unique_title_first() -> None:
    got = documents(
        "赤峰市印发《科技创新若干措施》",
        "《科技创新若干措施》(赤政发〔2024〕8号)全文如下。赤政发[2024]8号",
    )
    assert got == ("科技创新若干措施", "赤政发〔2024〕8号")


def test_a_catalogue_page_keeps_a_bounded_number_of_documents() -> None:
    body = "、".join(f"《第{i}号管理办法》" for i in range(500))
    got = documents("", body)
    assert len(got) == MAX_DOCUMENTS and got[0] == "第0号管理办法"


_ISSUERS = st.sampled_from(["内政发", "内政办发", "国发", "国办发", "内科发", "包府发", "赤政字"])
_FILLER = st.text(alphabet="，。的科技创新年月日号和及 \n0123456789", max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    _ISSUERS,
    st.integers(1990, 2029),
    st.integers(1, 99999),
    st.sampled_from(BRACKETS),
    st.sampled_from(["", " ", "  "]),
    _FILLER,
    _FILLER,
)
def test_any_number_in_any_spelling_is_found_in_canonical_form(
    issuer: str, year: int, serial: int, pair: str, space: str, before: str, after: str
) -> None:
    number = f"{issuer}{pair[0]}{space}{year}{space}{pair[1]}{space}{serial:03d}{space}号"
    got = document_numbers(f"{before}，{number}。{after}")
    assert f"{issuer}〔{year}〕{serial}号" in got


_HOSTILE = st.text(
    alphabet="《》〈〉〔〕[]()（）【】号第年内政发办0123456789 \n条例办法", max_size=400
)


@settings(max_examples=200, deadline=None)
@given(_HOSTILE, _HOSTILE)
def test_any_text_gives_well_formed_bounded_documents(title: str, body: str) -> None:
    got = documents(title, body)
    assert len(got) <= MAX_DOCUMENTS and len(set(got)) == len(got)
    for value in got:
        assert CANONICAL.match(value) or (len(value) <= TITLE_MAX and _paired(value))


def _paired(value: str) -> bool:
    depth = 0
    for ch in value:
        depth += (ch == "《") - (ch == "》")
        if depth < 0:
            return False
    return depth == 0


def test_a_stray_inner_bracket_is_dropped_and_a_paired_one_kept() -> None:
    assert titles("《〈科技创新条例》") == ["科技创新条例"]
    assert titles("《关于印发〈促进科技成果转化办法〉的通知》") == [
        "促进科技成果转化办法",
        "关于印发《促进科技成果转化办法》的通知",
    ]


@pytest.mark.parametrize(
    "hostile",
    [
        "《" * 200_000,  # openings without a close
        ("《" + "内" * 99) * 2_000,  # titles one character short of closing
        "内政发〔2023" * 20_000,  # brackets that never close
        "〔2023〕" * 20_000 + "12号",  # a number with 20,000 bracketed years before it
        "内" * 200_000 + "〔2023〕12号",  # an issuer run 200,000 characters long
    ],
)
def test_hostile_pages_are_read_in_one_pass(hostile: str) -> None:
    """Each of these makes a backtracking pattern (《(.*?)》, .*〔) quadratic; here the work
    per character is bounded, so the call returns (and returns a bounded answer)."""
    got = documents("", hostile)
    assert len(got) <= MAX_DOCUMENTS


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("内政发[2023]12号", "内政发〔2023〕12号"),
        (" 内政发（2023）第012号 ", "内政发〔2023〕12号"),
        ("《内蒙古自治区促进科技成果转化条例》", "内蒙古自治区促进科技成果转化条例"),
        ("關於加快發展的意見", "关于加快发展的意见"),
        ("甲,乙办法", "甲，乙办法"),
    ],
)
def test_a_typed_document_filter_finds_the_stored_form(typed: str, stored: str) -> None:
    assert canonical(typed) == stored


@given(_ISSUERS, st.integers(1990, 2029), st.integers(1, 99999), st.sampled_from(BRACKETS))
def test_every_found_number_is_its_own_canonical_form(
    issuer: str, year: int, serial: int, pair: str
) -> None:
    (found,) = document_numbers(f"{issuer}{pair[0]}{year}{pair[1]}{serial}号")
    assert canonical(found) == found
