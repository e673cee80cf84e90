"""Which policies an article mentions (`documents`): 《…》 titles and document numbers.

A per-article fact computed after extraction, from the title and body, and stored for the
`document` facet, so an analyst can list every story that mentions one policy.

- A title in 《…》 is a document when its last words say what kind of document it is
  (条例, 办法, 意见, 通知, 规划, …: DOCUMENT_KINDS), so 《人民日报》 (an outlet) and a
  book or a slogan are not; a back-reference such as 《意见》 or 《通知》 (the kind word
  alone) names no particular document. A title quoted inside a title
  (《关于印发〈……办法〉的通知》) is a document too: it is the policy itself.
- A document number is an issuer's code, the year in brackets and a serial number:
  内政发〔2023〕12号. Pages write the brackets as 〔〕, [], ［］, （）, (), 【】, 〖〗 or
  ﹝﹞; all fold to 〔〕 (the form GB/T 9704 prescribes), full-width digits and spaces go,
  and leading zeros of the serial drop, so one document is one facet value.

Values are compared in their facet form (normalize.facet_key: width and script folded),
so a traditional page and a simplified one name the same document.

Cost is linear in the page: every pattern is a bounded run of a negated class or an
anchor followed by fixed-width parts (no nested quantifiers, nothing to backtrack over),
the issuer is read from at most ISSUER_MAX characters before the bracket, and an article
keeps at most MAX_DOCUMENTS values.
"""

from __future__ import annotations

from indexer.extract import document_patterns as PD
from indexer.normalize import facet_key, fold

__all__ = ["canonical", "documents", "document_numbers", "titles"]


def _clean_title(raw: str) -> str | None:
    # A comma separates values in the stored field: one inside a title stays full-width.
    title = PD.SPACE.sub("", facet_key(raw)).replace(",", "，")
    if not PD.NOTE.sub("", title).endswith(PD.KIND_SUFFIXES):
        return None
    if title in PD.DOCUMENT_KINDS or len(title) < 4:
        return None  # 《意见》, 《通知》: a back-reference, not a title
    return title


def titles(text: str) -> list[str]:
    """Policy titles quoted in 《…》 (and 〈…〉 inside them), in order, in facet form."""
    found: list[str] = []
    for m in PD.TITLE.finditer(text):
        raw = m.group(1)
        for inner in PD.INNER_TITLE.finditer(raw):
            if (title := _clean_title(inner.group(1))) is not None:
                found.append(title)
        if (title := _clean_title(_inner_quotes(raw))) is not None:
            found.append(title)
    return found


def _inner_quotes(raw: str) -> str:
    """A title's inner 〈…〉 as 《…》 when they pair up; a stray one is a typo and goes, so a
    value never holds an unmatched bracket (《〈…条》 is the title …条)."""
    depth = 0
    for ch in raw:
        depth += (ch == "〈") - (ch == "〉")
        if depth < 0:
            break
    if depth == 0:
        return raw.replace("〈", "《").replace("〉", "》")
    return raw.replace("〈", "").replace("〉", "")


def document_numbers(text: str) -> list[str]:
    """Document numbers in canonical form (内政发〔2023〕12号), in order."""
    # Full-width digits and brackets to ASCII, script to simplified; fold() rather than
    # facet_key() because it is one numpy lookup on a long body (issuer codes are Han).
    folded = fold(text)
    found: list[str] = []
    previous_end = 0  # an issuer never reaches back into the number before it
    for m in PD.NUMBER.finditer(folded):
        start = max(previous_end, m.start() - PD.ISSUER_MAX - 2)
        previous_end = m.end()
        before = PD.SPACE.sub("", folded[start : m.start()])
        issuer = PD.ISSUER.search(before)
        if issuer is None:
            continue
        code = PD.LEAD_WORDS.sub("", issuer.group())
        if len(code) < 2:
            continue
        found.append(f"{code}〔{m.group(1)}〕{int(m.group(2))}号")
    return found


def documents(title: str, body: str) -> tuple[str, ...]:
    """Every document an article mentions, once each, at most MAX_DOCUMENTS: the title's
    first, then the body's; in each, titles in order, then numbers in order."""
    seen: dict[str, None] = {}
    for text in (title, body):
        for value in titles(text) + document_numbers(text):
            seen.setdefault(value, None)
    return tuple(seen)[: PD.MAX_DOCUMENTS]


def canonical(value: str) -> str:
    """A document as someone types it (a filter parameter) in the form the index stores:
    内政发[2023]12号 is 内政发〔2023〕12号, 《……条例》 is ……条例."""
    text = PD.SPACE.sub("", facet_key(value))
    numbers = document_numbers(text)
    if len(numbers) == 1 and text.endswith("号") and len(text) <= PD.ISSUER_MAX + 16:
        return numbers[0]
    if text.startswith("《") and text.endswith("》"):
        text = text[1:-1]
    return text.replace(",", "，")
