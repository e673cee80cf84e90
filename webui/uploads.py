"""Write endpoints' work: token check, reading an upload, storing it in the corpus, indexing.

Writes are off unless the operator configures a token (403 otherwise); the token is compared
in constant time. An upload is parsed *before* it is stored, so a file that is not an article
never lands in the corpus (422). Files go to `<corpus>/uploads/` under a sanitised name and
are written atomically, so `indexer update`/`watch` never see half a file.
"""

from __future__ import annotations

import errno
import hmac
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from flask import Request

from indexer.corpus import CORPUS_SUFFIXES, contained
from indexer.extract.pipeline import process_bytes
from indexer.index.errors import IndexDamaged, IndexLocked, IndexNotFound
from indexer.models import Skipped
from indexer.write import index_files, remove_ids
from webui.errors import ApiError, BadRequest, IndexUnavailable

log = logging.getLogger(__name__)

UPLOAD_DIR = "uploads"
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # UTF-8 bytes; under the usual 255-byte limit, with room for ".part" names
_UNSAFE = re.compile(r"[^\w.\-]+")


def _umask() -> int:
    """The process's umask. Read once, at import, before the server starts its threads:
    setting it to read it back is process-wide."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# An upload gets the mode any file written here gets (0644 under the usual umask 022).
FILE_MODE = 0o666 & ~_umask()
# One upload or deletion at a time, across threads and worker processes (webui/workers.py):
# the indexer serialises writers anyway, and this keeps "does this name exist yet" and
# "write it" from racing between two requests. A thread lock within the process, a file
# lock between processes (a hidden name in the corpus folder, so never taken for a page).
_write_lock = threading.Lock()
LOCK_NAME = ".uploads.lock"


@contextmanager
def exclusive(corpus: Path) -> Iterator[None]:
    """Hold the corpus's upload lock: no other thread or server process writes meanwhile."""
    with _write_lock:
        corpus.mkdir(parents=True, exist_ok=True)
        fd = os.open(
            corpus / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644
        )
        try:
            if fcntl is not None:  # no fcntl, no fork (Windows): one process, the thread lock
                fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes, or the process dies
            yield
        finally:
            os.close(fd)


def require_token(configured: str | None, headers: Mapping[str, str]) -> None:
    """403 when writes are disabled, 401 unless the request carries the configured token."""
    if not configured:
        raise ApiError(
            "写入接口未启用：服务器未配置令牌（--token 或 NEWS_API_TOKEN）",
            code="writes_disabled",
            status=403,
        )
    scheme, _, given = headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8"), configured.encode("utf-8")
    ):
        raise ApiError(
            "需要正确的令牌：Authorization: Bearer <token>", code="unauthorized", status=401
        )


def sanitise_filename(raw: str | None) -> str:
    """A safe single file name keeping Chinese characters, or `BadRequest`.

    Directory parts are dropped, anything but letters, digits, "-", "_" and "." becomes "_",
    leading dots go (no hidden files), and only .txt/.html/.htm are accepted.
    """
    if not raw or not raw.strip():
        raise BadRequest(
            "缺少文件名：用 multipart 字段 file，或 ?filename= / X-Filename",
            code="missing_filename",
        )
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).lstrip(".")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip("_") or f".{suffix.lower()}" not in CORPUS_SUFFIXES:
        raise ApiError(
            f"只接受 .txt、.html、.htm 文件，收到 {raw[:80]!r}",
            code="unsupported_file_type",
            status=415,
        )
    suffix = suffix.lower()
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1]
    return f"{cut_utf8(stem, MAX_NAME_BYTES - len(suffix) - 1)}.{suffix}"


def cut_utf8(text: str, limit: int) -> str:
    """The longest prefix of `text` whose UTF-8 encoding fits in `limit` bytes, never
    half a character: file systems limit names in bytes (255), and a Chinese character
    takes three."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def read_upload(req: Request) -> tuple[str, bytes]:
    """(sanitised name, bytes) from a multipart field "file" or a raw body with a filename.

    Reading the body enforces MAX_CONTENT_LENGTH (Werkzeug raises 413 past it).
    """
    if req.mimetype == "multipart/form-data":
        upload = req.files.get("file")
        if upload is None:
            raise BadRequest("multipart 请求缺少字段 file", code="missing_file")
        name = sanitise_filename(upload.filename)
        data = upload.read()
    else:
        # Header values are Latin-1 on the wire, so a Chinese name comes percent-encoded.
        header = unquote(req.headers.get("X-Filename", ""), errors="replace")
        name = sanitise_filename(req.args.get("filename") or header)
        data = req.get_data(cache=False)
    if not data:
        raise ApiError("文件为空", code="not_an_article", status=422)
    return name, data


def parse_replace(raw: str | None) -> bool:
    """The `replace` query parameter: absent or false-like keeps the default (no replace)."""
    if raw is None or raw.strip().lower() in ("", "0", "false", "no"):
        return False
    if raw.strip().lower() in ("1", "true", "yes"):
        return True
    raise ApiError("参数 replace 只能是 true 或 false", code="bad_request", status=400)


def store_and_index(
    data: bytes,
    name: str,
    *,
    corpus: str | Path,
    index_root: str | Path,
    searcher: Any,
    replace: bool = False,
) -> tuple[dict[str, Any], bool]:
    """Parse, store and index one upload; return (article record, whether it was new).

    The same bytes posted again under the same name return the existing record (200).
    Different bytes under a taken name are a 409, so an upload never silently replaces a
    file, unless the caller asks for it (`replace`): then the file is overwritten and the
    article re-indexed under the same id (200). A replacement that is not an article
    leaves the old file and article in place.
    """
    corpus = Path(corpus)
    relpath = f"{UPLOAD_DIR}/{name}"
    parsed = process_bytes(data, relpath)
    if isinstance(parsed, Skipped):
        raise ApiError(f"不是可收录的文章：{parsed.reason}", code="not_an_article", status=422)
    target = corpus / UPLOAD_DIR / name
    with exclusive(corpus):
        created = True
        previous: bytes | None = None
        if target.exists():
            created = False
            old = target.read_bytes()
            if old != data:
                if not replace:
                    raise ApiError(
                        f"文件 {relpath} 已存在且内容不同；请先删除旧文章、换一个文件名，"
                        "或加参数 replace=true 替换它",
                        code="conflict",
                        status=409,
                    )
                previous = old
        try:
            with _store_errors():
                if created or previous is not None:
                    _atomic_write(target, data)
                report = index_files(Path(index_root), corpus, [target])
            reasons = [reason for path, reason in report.skipped if path == relpath]
            if reasons:
                raise ApiError(f"不是可收录的文章：{reasons[0]}", code="not_an_article", status=422)
        except BaseException:
            # A refused or failed upload leaves the corpus as it was: no file the index
            # does not hold (a retry is then a new upload, 201), and a replaced file's
            # old bytes back (the index kept the old article too).
            _undo_store(target, created, previous)
            raise
    record = searcher.article(parsed.id)
    if record is None:
        raise ApiError("文件已保存，但索引中还找不到这篇文章", code="index_failed", status=500)
    log.info("uploaded %s as %s", relpath, parsed.id)
    return record, created


def remove(record: dict[str, Any], *, corpus: str | Path, index_root: str | Path) -> None:
    """Delete the article's file (if it is inside the corpus) and its index entry.

    The file goes first: if removing the index entry then fails, the next `indexer update`
    sees the file gone and finishes the job.
    """
    target = contained(corpus, record["path"])
    with exclusive(Path(corpus)):
        if target is not None:
            target.unlink()
        with _store_errors():
            remove_ids(Path(index_root), [record["id"]])
    log.info("deleted %s (%s)", record["id"], record["path"])


def _undo_store(target: Path, created: bool, previous: bytes | None) -> None:
    """Put the corpus back as it was before a failed upload (best effort: the disk may
    still be full, and then the next `indexer update` sees what is there)."""
    try:
        if created:
            target.unlink(missing_ok=True)
        elif previous is not None:
            _atomic_write(target, previous)
    except OSError as exc:
        log.warning("could not undo the upload of %s: %s", target, exc)


@contextmanager
def _store_errors() -> Iterator[None]:
    """The writer's "busy", "damaged", "missing" and a full disk as statuses a client can
    act on (retry, rebuild, build, free space).

    The writer's own messages name server paths: they go to the log, not to the client.
    """
    try:
        yield
    except IndexLocked as exc:
        log.warning("upload refused: %s", exc)
        raise ApiError(
            "索引正忙：另一个写入正在进行，请稍后重试", code="index_busy", status=503
        ) from exc
    except IndexDamaged as exc:
        log.warning("upload refused: %s", exc)
        raise IndexUnavailable("索引已损坏：请重新运行 python -m indexer build 重建索引") from exc
    except IndexNotFound as exc:  # an OSError too: before the full-disk clause
        log.warning("upload refused: %s", exc)
        raise IndexUnavailable("索引不存在：请先运行 python -m indexer build") from exc
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        log.warning("upload failed: %s", exc)
        raise ApiError(
            "磁盘已满：文件未保存，也未收录；请腾出空间后重试",
            code="insufficient_storage",
            status=507,
        ) from exc


def _atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename: readers see all or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)  # mkstemp makes 0600; corpus pages are 0644
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
