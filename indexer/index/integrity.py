"""Checksums of an index generation's files: damage is detected from a record, not guessed.

Where it sits: the writer (indexer/write/session.py) calls `record` after every Whoosh
commit (builds, update batches, the web's single-file calls), under the write lock;
readers (indexer/read/generation.py), writers (before they change anything) and
`python -m indexer check` (indexer/index/check.py) call `verify`.

What it records: `checksums.json` beside the Whoosh files holds, for the latest commit
(its TOC number), every file that commit consists of (its TOC and each segment's
files, the n-gram postings included) with size, mtime and sha256. Whoosh never rewrites
a segment file once written (deletions live in the TOC), so an entry stays true until
its segment is merged away; a commit hashes only the files it wrote. The record is
written to a temporary name, fsynced and renamed, so it is always whole. The manifest is
not in it: SQLite changes it in place with every batch and checks its own pages
(`PRAGMA quick_check`, run by `check`).

What each caller checks, and why: a full check reads every byte (about 0.8 s per GB
here), too much for a web server's reopen after every commit or for an update with
nothing to do. So opening (the searcher, an update, watch) stats each recorded file:
a size that differs is damage; an mtime that differs means the file was written after
its commit, so that file alone is hashed and compared (a copied index, whose mtimes all
changed, is hashed once per open but never refused). Any write through the file system
(a truncation, random bytes, a replaced TOC) is caught that way for the cost of one stat
per file. Decay on the disk that leaves the mtime alone is only seen by a full check
(`check`), which hashes everything.

A writer killed between its Whoosh commit and this record leaves the latest commit
unrecorded; the next writer records it (only that commit's files are hashed unseen),
as it rebuilds a manifest that lags the index.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.index.constants import PART_EXT
from indexer.index.whoosh_adapter import latest_toc_number, toc_name

RECORD = "checksums.json"
_CHUNK = 1 << 20

Entry = tuple[int, int, str]  # size, mtime_ns, sha256 hex


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: one line per damaged file; `recorded` is False when the
    latest commit (TOC) has no record yet (a writer stopped between the two)."""

    problems: tuple[str, ...] = ()
    recorded: bool = True
    files: int = 0
    bytes: int = 0
    toc_number: int = -1

    @property
    def sound(self) -> bool:
        return not self.problems


def segment_files(gen_dir: Path, segment_ids: Iterable[str]) -> list[str]:
    """Every file of the given segments (ids as Whoosh's `segment_id()`, `MAIN_<id>`;
    files `MAIN_<id>.<ext>`)."""
    prefixes = tuple(f"{sid}." for sid in segment_ids)
    if not prefixes:
        return []
    return sorted(
        n
        for n in os.listdir(gen_dir)
        if n.startswith(prefixes) and not n.endswith(PART_EXT) and f"{PART_EXT}." not in n
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(path: Path) -> Entry:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, file_sha256(path)


@dataclass
class _Record:
    toc_number: int
    files: dict[str, Entry] = field(default_factory=dict)


def _read(gen_dir: Path) -> _Record | None:
    """The record, or None when there is none; ValueError when it is unreadable."""
    try:
        raw = (gen_dir / RECORD).read_bytes()
    except FileNotFoundError:
        return None
    data = json.loads(raw)  # ValueError (JSONDecodeError, UnicodeDecodeError) if damaged
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise ValueError("not a checksum record")
    files = {str(k): (int(v[0]), int(v[1]), str(v[2])) for k, v in data["files"].items()}
    return _Record(int(data["generation"]), files)


def has_record(gen_dir: Path) -> bool:
    return (Path(gen_dir) / RECORD).exists()


def record(gen_dir: Path, toc_number: int, segment_ids: Iterable[str]) -> None:
    """Record the files of the commit with TOC number `toc_number` (its TOC and segments).

    Entries of unchanged files (same name, size and mtime) are kept from the previous
    record, so a commit hashes only what it wrote.
    """
    gen_dir = Path(gen_dir)
    try:
        old = _read(gen_dir)
    except ValueError:
        old = None
    previous = old.files if old else {}
    files: dict[str, Entry] = {}
    for name in [toc_name(toc_number), *segment_files(gen_dir, segment_ids)]:
        path = gen_dir / name
        st = path.stat()
        known = previous.get(name)
        if known and known[:2] == (st.st_size, st.st_mtime_ns):
            files[name] = known
        else:
            files[name] = _entry(path)
    # The key stays "generation": records written before the name changed still read.
    body = json.dumps({"generation": toc_number, "files": files}, indent=0, sort_keys=True)
    tmp = gen_dir / f".{RECORD}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, gen_dir / RECORD)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _check_file(path: Path, want: Entry, full: bool) -> str | None:
    """What is wrong with one recorded file, or None."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return f"{path.name}: missing"
    size, mtime_ns, digest = want
    if st.st_size != size:
        return f"{path.name}: {st.st_size} bytes where {size} were written"
    if (full or st.st_mtime_ns != mtime_ns) and file_sha256(path) != digest:
        return f"{path.name}: contents differ from those written (checksum mismatch)"
    return None


def verify(gen_dir: Path, *, full: bool = False, require: bool = True) -> Verdict:
    """Check a generation's files against its record (see the module docstring).

    `full` hashes every file; otherwise only files whose mtime moved are hashed.
    `require` makes a missing record a problem (writers and `check`: every generation
    this program writes has one); readers pass False, so a plain Whoosh index opens.
    Readers take no lock: a commit that lands meanwhile deletes the files of merged
    segments, so problems found while the TOC number moved are looked at again.
    """
    gen_dir = Path(gen_dir)
    for _ in range(3):
        before = latest_toc_number(gen_dir)
        verdict = _verify_once(gen_dir, full, require)
        if verdict.sound or latest_toc_number(gen_dir) == before:
            break
    return verdict


def _verify_once(gen_dir: Path, full: bool, require: bool) -> Verdict:
    latest = latest_toc_number(gen_dir)
    try:
        rec = _read(gen_dir)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return Verdict(problems=(f"{RECORD}: unreadable ({type(exc).__name__})",))
    if rec is None:
        missing = (f"{RECORD}: missing (no checksums were recorded for this index)",)
        return Verdict(problems=missing if require else (), recorded=False, toc_number=latest)
    if rec.toc_number > latest:
        return Verdict(problems=(f"{toc_name(rec.toc_number)}: missing",), toc_number=latest)
    current = rec.toc_number == latest
    problems, n, total = [], 0, 0
    for name, want in sorted(rec.files.items()):
        path = gen_dir / name
        if not current and not path.exists():
            continue  # merged away by the commit that the record has not caught up with
        what = _check_file(path, want, full)
        if what:
            problems.append(what)
        n += 1
        total += want[0]
    return Verdict(tuple(problems), current, n, total, latest)
