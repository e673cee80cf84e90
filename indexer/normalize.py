"""Display text versus search text.

Readers see the page's own characters (minus pinyin annotation noise). Search sees a folded
form: NFKC (full-width -> half-width), lower-case Latin, traditional -> simplified. Folding
happens inside the analyzer, so it must report, for every folded character, which display
characters it came from: highlights are cut from the display text with those offsets.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import numpy as np
import opencc

# A pinyin note is one syllable in parentheses right after a Han character, carrying a tone
# mark (區(qū), 經(jīng)). Requiring the tone mark keeps real parentheses such as (R&D), (京蒙),
# (试行) or (摘编自:...) untouched.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_NOTE = re.compile(
    r"(?<=[\u3400-\u9fff\uf900-\ufaff])"
    rf"[(（](?=[a-z{_TONED}]{{0,5}}[{_TONED}])[a-z{_TONED}]{{1,6}}[)）]"
)


def strip_pinyin_notes(text: str) -> str:
    """Remove pinyin annotations that converters leave after characters: 區(qū) -> 區."""
    return PINYIN_NOTE.sub("", text)


def _t2s_chars(chars: list[str]) -> list[str]:
    """Simplified form of each character on its own.

    Conversion is per character, never per phrase: OpenCC's phrase rules depend on the
    neighbours (乾隆 keeps 乾, a lone 乾 becomes 干), and search must fold a query
    substring exactly as it folded that substring inside the article.
    """
    converter = opencc.OpenCC("t2s")
    # Newlines never occur inside a phrase rule, so one call converts each line alone.
    out = converter.convert("\n".join(chars)).split("\n")
    return [o if len(o) == 1 else c for c, o in zip(chars, out, strict=True)]


_CJK_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)


# NFKC and lower() change no code point above this one (planes 3 to 16 are CJK extensions,
# tags and private use: a test checks the whole range against this Python's Unicode data).
# Stopping the scan here saves 0.15 s of every process start (a web worker, a CLI command).
LAST_CHANGED = 0x2FFFF


def _build_tables() -> tuple[dict[int, str], re.Pattern[str], list[str]]:
    """One translate table for the whole fold, and a pattern for length-changing characters.

    Most text folds character for character, so `str.translate` does the work in C and
    offsets stay the identity; only text holding an expanding character (… ① ㎡) takes
    the slow path.
    """
    table: dict[int, str] = {}
    odd: list[str] = []  # characters whose fold is longer than one character
    for cp in range(LAST_CHANGED + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch).lower()
        if folded == ch:
            continue
        if len(folded) == 1:
            table[cp] = folded
        else:
            odd.append(ch)
    # Traditional -> simplified on top of NFKC: compose, so translate() is one pass.
    han = [chr(cp) for lo, hi in _CJK_RANGES for cp in range(lo, hi + 1)]
    han_start = [table.get(ord(c), c) for c in han]
    for ch, simple in zip(han, _t2s_chars(han_start), strict=True):
        if simple != ch:
            table[ord(ch)] = simple
    return table, re.compile("[" + "".join(map(re.escape, odd)) + "]"), odd


_FOLD_TABLE, _LENGTH_CHANGING, _EXPANDING = _build_tables()


def _array_tables() -> tuple[dict[int, str], np.ndarray, np.ndarray]:
    """The fold of every character as one translate table (expansions included) and as
    arrays for numpy: the code point each character folds to, and which ones expand."""
    full: dict[int, str] = dict(_FOLD_TABLE)
    codes = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    expands = np.zeros(sys.maxunicode + 1, dtype=bool)
    for cp, folded in _FOLD_TABLE.items():
        codes[cp] = ord(folded)
    for ch in _EXPANDING:
        full[ord(ch)] = _fold_expanding_char(ch)
        expands[ord(ch)] = True
    return full, codes, expands


def _fold_expanding_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower().translate(_FOLD_TABLE)


_FULL_TABLE, _FOLD_CODES, _EXPANDS = _array_tables()
# Traditional -> simplified alone (the CJK part of the fold), for facet_key.
_T2S_TABLE = {
    cp: v for cp, v in _FOLD_TABLE.items() if any(lo <= cp <= hi for lo, hi in _CJK_RANGES)
}


def facet_key(value: str) -> str:
    """How facet values (outlet and portal names) compare: NFKC width folding and
    traditional -> simplified, but not lower case, so the key still reads as a name:
    包頭日報 and 包头日报 are one outlet, ＣＣＴＶ and CCTV one, and CCTV stays CCTV."""
    return unicodedata.normalize("NFKC", value).translate(_T2S_TABLE).strip()


_NUMPY_MIN = 256  # shorter texts: str.translate costs less than the array round trip


def fold(text: str) -> str:
    """Search form of `text` (see module docstring). Same result as fold_with_offsets()[0].

    Computed without offsets. Indexing folds each body several times, so long texts go
    through numpy (one table lookup per code point: 0.02 ms instead of 0.56 ms for a
    3,500-character body, against str.translate's dict lookup per character); text
    holding an expanding character (… ① ㎡), or a lone surrogate, takes str.translate with
    the expansions in its table.
    """
    if len(text) >= _NUMPY_MIN:
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:
            return text.translate(_FULL_TABLE)
        if not _EXPANDS[codes].any():
            return _FOLD_CODES[codes].tobytes().decode("utf-32-le")
    return text.translate(_FULL_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Fold `text`; return the folded string and where each folded character came from.

    The second value is None when folding kept every character in place (the common case,
    where folded[i] comes from text[i]); otherwise a list `origin` with one entry per
    folded character plus a final len(text). Use `display_span` rather than reading it.
    Folding is context-free: fold(a + b) == fold(a) + fold(b).
    """
    if not _LENGTH_CHANGING.search(text):
        return text.translate(_FOLD_TABLE), None
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if _LENGTH_CHANGING.match(ch):
            folded = _fold_expanding_char(ch)
        else:
            folded = ch.translate(_FOLD_TABLE)
        parts.append(folded)
        origin.extend([i] * len(folded))
    origin.append(len(text))
    return "".join(parts), origin


# Each expanding character's fold as code points, for fold_codes.
_EXPANSION_CODES = {
    ord(ch): np.frombuffer(_fold_expanding_char(ch).encode("utf-32-le"), dtype=np.uint32)
    for ch in _EXPANDING
}


def fold_codes(text: str) -> tuple[np.ndarray, np.ndarray | None]:
    """fold_with_offsets as numpy arrays: the folded text's code points (uint32), and
    `origin` (None when every character folds in place), the same entries as there.

    Highlighting folds every hit's text to find its matches: per character in Python that
    was most of a request's time; as a table lookup over the code points it is a few
    array operations, with a Python step only for each expanding character (… ① ㎡).
    Lone surrogates pass through unchanged, as in fold_with_offsets.
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _FOLD_CODES[codes]
    where = np.flatnonzero(_EXPANDS[codes])
    if not len(where):
        return folded, None
    pieces = [_EXPANSION_CODES[cp] for cp in codes[where].tolist()]
    sizes = np.ones(len(codes), dtype=np.int64)
    sizes[where] = [len(piece) for piece in pieces]
    origin = np.repeat(np.arange(len(codes), dtype=np.int64), sizes)
    out = folded[origin]
    starts = np.cumsum(sizes) - sizes
    for start, piece in zip(starts[where].tolist(), pieces, strict=True):
        out[start : start + len(piece)] = piece
    return out, np.append(origin, len(codes))


def codes_text(codes: np.ndarray) -> str:
    """The string of an array of code points (lone surrogates included)."""
    return np.asarray(codes, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def display_span(origin: list[int] | np.ndarray | None, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of folded text back to the display text it came from."""
    if origin is None:
        return start, end
    if end <= start:
        return int(origin[start]), int(origin[start])
    last_src = int(origin[end - 1])
    # The span ends after the source character of its last folded character.
    src_end = int(origin[end]) if origin[end] > last_src else last_src + 1
    return int(origin[start]), src_end
