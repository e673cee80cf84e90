"""First stage: bytes on disk -> RawPage (decoded text, page kind, raw hash).

Decoding trusts the bytes, not the page's word: crawls store UTF-8 under a gb2312
declaration and GBK under none, so a BOM wins, then strict UTF-8, then GB18030 (a superset
of GBK and GB2312). Anything that is not text ends here as UnreadablePage.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
from pathlib import Path

from indexer.extract.patterns import (
    MAX_CONTROL_RATIO,
    MAX_FILE_BYTES,
    MAX_REPLACED,
    MAX_REPLACED_SHARE,
    MAX_SHORT_REPLACED_SHARE,
    MIN_REPLACED,
    SNIFF_BYTES,
)
from indexer.models import RawPage

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<!--|<div|<p[\s>])", re.I
)
_ANY_TAG = re.compile(rb"<(?:[a-z][a-z0-9]*[\s/>]|!--|!doctype)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnreadablePage(Exception):
    """A file that cannot become text: empty, too large, binary or undecodable."""


def file_hash(data: bytes) -> str:
    """sha256 of the raw bytes: what incremental indexing compares to spot a changed file."""
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """Decode page bytes; return (text, encoding name).

    A BOM decides when present. Without one, NUL bytes mean binary (no Chinese text
    encoding produces them), then strict UTF-8, then strict GB18030. A page that is one of
    the two but for a handful of invalid bytes (a crawler that cut a character in half, a
    character outside GB2312 saved as junk) is decoded with those bytes replaced, by the
    encoding that needs fewer replacements, and the name says how many were; more than a
    handful means the bytes are not text.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise UnreadablePage(f"bytes do not match their {name} byte-order mark") from exc
    if b"\x00" in data[:SNIFF_BYTES] or b"\x00" in data:
        raise UnreadablePage("binary file (contains NUL bytes)")
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise UnreadablePage("binary file (control characters in decoded text)")
        return text, name
    text, name, bad = min(
        (_decode_replacing(data, name) for name in ("utf-8", "gb18030")), key=lambda x: x[2]
    )
    short = min(MIN_REPLACED, MAX_SHORT_REPLACED_SHARE * len(text))
    allowed = min(MAX_REPLACED, max(short, MAX_REPLACED_SHARE * len(text)))
    if bad > allowed or _looks_binary(text):
        raise UnreadablePage("not text: neither UTF-8 nor GB18030")
    log.warning("decoded as %s with %d invalid bytes replaced", name, bad)
    return text, f"{name} ({bad} invalid bytes replaced)"


def _decode_replacing(data: bytes, name: str) -> tuple[str, str, int]:
    """(text, encoding, how many replacement characters the text holds): invalid bytes
    become U+FFFD."""
    text = data.decode(name, errors="replace")
    return text, name, text.count("\ufffd")


def _looks_binary(text: str) -> bool:
    """True when control characters are too common for any real page."""
    sample = text[: SNIFF_BYTES * 4]
    return bool(sample) and len(_CONTROL.findall(sample)) > MAX_CONTROL_RATIO * len(sample)


def page_kind(relpath: str, data: bytes) -> str:
    """Kind "html" for .html/.htm files holding tags, and for any file that opens with
    markup; "text" otherwise."""
    head = data[:SNIFF_BYTES].lstrip(codecs.BOM_UTF8)
    if relpath.lower().endswith((".html", ".htm", ".xhtml", ".shtml")):
        # A crawler may save a text dump under .html: without any tag it is text.
        return "html" if _ANY_TAG.search(head) else "text"
    return "html" if _HTML_START.match(head) else "text"


def load_bytes(data: bytes, relpath: str) -> RawPage:
    """Turn a file's bytes into a RawPage, or raise UnreadablePage saying why not."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadablePage(f"file too large ({len(data)} bytes; limit {MAX_FILE_BYTES})")
    if not data.strip():
        raise UnreadablePage("empty file")
    text, encoding = decode(data)
    if not text.strip():
        raise UnreadablePage("empty file (whitespace only)")
    kind = page_kind(relpath, data)
    log.debug("loaded %s as %s (%s)", relpath, kind, encoding)
    return RawPage(path=relpath, text=text, kind=kind, encoding=encoding, file_hash=file_hash(data))


def read_limited(path: Path) -> bytes:
    """Read a file whole unless it is over the size limit, which is checked first.

    The size is taken from the open handle and the read is bounded, so a file that grows
    between stat and read still cannot make us hold more than the limit in memory.
    """
    if path.exists() and not path.is_dir() and not path.is_file():
        # Opening a FIFO or a device would block or never end.
        raise UnreadablePage("not a regular file")
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise UnreadablePage(f"file too large ({size} bytes; limit {MAX_FILE_BYTES})")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadablePage(f"file too large (over {MAX_FILE_BYTES} bytes)")
    return data
