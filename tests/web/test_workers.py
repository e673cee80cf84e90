"""`python -m webui --workers N`: several processes on one port, one index, one corpus.

Which worker holds a connection is read from the kernel's socket tables (Linux /proc), not
inferred from timing; the live tests are skipped where there is no /proc or no fork.
Every wait is a bounded wait for a condition that must come true.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.helpers import HANG_GUARD, wait_for, webui_process
from webui import workers

from .conftest import TOKEN

PIDS = re.compile(r"(\d+) worker processes: (?P<pids>[\d ]+)")
ARTICLE_TEXT = (Path(__file__).resolve().parent / "data" / "upload_article.txt").read_bytes()

live_only = pytest.mark.skipif(
    not (workers.can_fork() and Path("/proc/net/tcp").exists()),
    reason="needs fork and Linux /proc to tell which worker holds a connection",
)


# --- live servers --------------------------------------------------------------------------


def worker_pids(output) -> list[int]:
    """The workers' pids, from the parent's "N worker processes: ..." line."""
    assert wait_for(lambda: PIDS.search(output.text()), HANG_GUARD), output.text()
    return [int(p) for p in PIDS.search(output.text())["pids"].split()]


def owner(conn: http.client.HTTPConnection, port: int, pids: list[int]) -> int:
    """The pid of the worker holding the server side of `conn` (Linux /proc)."""
    client_port = conn.sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == port and int(remote.split(":")[1], 16) == client_port:
            inode = fields[9]
    assert inode is not None, "no server socket for this connection"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except FileNotFoundError:  # a descriptor closed while listing
                continue
    raise AssertionError(f"no worker holds socket {inode}")


def search(conn: http.client.HTTPConnection, q: str) -> dict:
    conn.request("GET", f"/api/search?q={quote(q)}")
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, body[:200]
    return json.loads(body)


def connections(port: int, count: int) -> list[http.client.HTTPConnection]:
    """`count` keep-alive connections, opened one after another, each answered once."""
    opened = []
    for _ in range(count):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_GUARD)
        search(conn, "稀土")
        opened.append(conn)
    return opened


@pytest.fixture
def writable(tmp_path: Path, seeds_dir: Path) -> tuple[Path, Path]:
    from indexer.write import build

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    build(corpus, tmp_path / "index")
    return tmp_path / "index", corpus


@live_only
def test_connections_spread_over_the_workers(real_index: Path, real_corpus: Path):
    """Four keep-alive clients on two workers: two each, not all on whichever accepted
    first, so concurrent searches run on both cores."""
    with webui_process(real_index, real_corpus, "--workers", "2") as (port, output):
        assert "2 workers" in output.text()
        pids = worker_pids(output)
        assert len(pids) == 2
        opened = connections(port, 4)
        try:
            owners = [owner(conn, port, pids) for conn in opened]
            assert sorted(owners.count(pid) for pid in pids) == [2, 2]
            for conn in opened:  # and each still answers on its connection
                assert search(conn, "稀土")["total"] > 0
        finally:
            for conn in opened:
                conn.close()


@live_only
def test_an_upload_through_one_worker_is_found_through_every_worker(writable):
    """The commit one worker makes is seen by the other's searcher on its next request."""
    index, corpus = writable
    with webui_process(index, corpus, "--workers", "2", "--token", TOKEN) as (port, output):
        pids = worker_pids(output)
        opened = connections(port, 2)
        try:
            by_worker = {owner(conn, port, pids): conn for conn in opened}
            assert sorted(by_worker) == sorted(pids)
            assert [search(c, "草原云计算")["total"] for c in opened] == [0, 0]
            writer = opened[0]
            writer.request(
                "POST",
                "/api/articles?filename=cloud.txt",
                body=ARTICLE_TEXT,
                headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"},
            )
            response = writer.getresponse()
            record = json.loads(response.read())
            assert response.status == 201, record
            for conn in opened:
                found = search(conn, "草原云计算")
                assert [h["id"] for h in found["hits"]] == [record["id"]]
        finally:
            for conn in opened:
                conn.close()


def gone(pid: int) -> bool:
    """Whether the process has ended (exited, or a zombie its parent has yet to reap)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


@live_only
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_ends_every_worker(real_index: Path, real_corpus: Path, sig):
    """Ctrl-C (SIGINT) or SIGTERM to the server: the parent ends its workers, waits for
    them and exits 0."""
    with webui_process(real_index, real_corpus, "--workers", "2") as (port, output):
        pids = worker_pids(output)
        assert len(pids) == 2
        parent = _parent_of(pids[0])
        connections(port, 2)  # both workers up and serving
        os.kill(parent, sig)
        try:
            assert wait_for(lambda: all(gone(pid) for pid in [parent, *pids]), HANG_GUARD)
        finally:
            _kill_left(pids)


def _parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


@live_only
def test_workers_end_when_the_parent_is_killed(real_index: Path, real_corpus: Path):
    """SIGKILL leaves the parent no chance to end its workers: they notice and exit."""
    with webui_process(real_index, real_corpus, "--workers", "2") as (port, output):
        pids = worker_pids(output)
        connections(port, 2)
        os.kill(_parent_of(pids[0]), signal.SIGKILL)
        try:
            assert wait_for(lambda: all(gone(pid) for pid in pids), HANG_GUARD)
        finally:
            _kill_left(pids)


def _kill_left(pids: list[int]) -> None:
    """A failing test leaves no worker running."""
    for pid in pids:
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)
