"""Several server processes on one listening socket, so searches use every core.

A search is CPU-bound Python: in one process, the GIL lets one request run at a time, so
requests/s stay flat however many clients come; and two requests sharing one process cost
more CPU each than two in two processes (default_workers), so by default there are two
workers per CPU. The parent binds the listening sockets
once (port 0 picks a free port, named in the "serving" line before any worker starts),
then forks `workers` children; each is a full waitress server over the inherited sockets
(the kernel hands each new connection to one of the processes waiting in accept), with
its own app and `Searcher`, which notices new index commits by itself as in one process.
Writes stay correct across processes because every writer takes the index's file lock
(indexer/write/lock.py) and uploads take a file lock of their own (webui/uploads.py).

The parent only supervises: Ctrl-C or SIGTERM ends every worker, and a worker that dies
ends the server with status 1 (whatever supervises the server restarts it whole, rather
than this process respawning a crashing worker in a loop). A worker whose parent is gone
(killed with SIGKILL) notices within a second and exits, so no worker outlives it.
Where there is no fork (Windows), or with one worker, the same server runs in-process.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import signal
import socket
from collections.abc import Callable, Sequence
from typing import Any

from indexer.write.workers import cores

log = logging.getLogger("webui")

# Worker processes per CPU when --workers is not given (default_workers says why two).
WORKERS_PER_CPU = 2

# The signals that end the server; a worker turns each into SystemExit, which waitress's
# run loop catches to shut its threads down.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def can_fork() -> bool:
    """Whether worker processes are possible here (POSIX; not Windows)."""
    return hasattr(os, "fork")


def cpus() -> int:
    """The CPUs this process may run on (one definition, the writer's)."""
    return cores()


def default_workers() -> int:
    """WORKERS_PER_CPU workers per CPU this process may run on.

    Two requests in one process cost more than two in two processes: waitress hands each
    request from its I/O thread to a worker thread and back, and with two requests in
    flight those hand-offs queue behind the other request's Python for the GIL (measured
    with tests/bench/load.py on 2 cores: server CPU per request up by half, context
    switches per request tripled, at 4 clients on 2 workers; flat on 4 workers). With
    twice as many workers as cores, up to that many concurrent clients each get a process
    of their own (connections go to the least loaded worker, `Loads`), for the memory of
    the extra workers: mostly pages shared with the parent and the mapped index files.
    """
    return WORKERS_PER_CPU * cpus()


def effective_workers(requested: int | None) -> int:
    """The number of processes that will serve: `requested` (None: default_workers), or
    1 where there is no fork."""
    wanted = default_workers() if requested is None else requested
    if wanted < 1:
        raise ValueError(f"workers must be at least 1, not {wanted}")
    return wanted if can_fork() else 1


def share(limit: int, workers: int) -> int:
    """Each worker's part of a server-wide connection limit, so all of them together
    hold at most `limit` (+ workers - 1) connections: the limit stays the server's."""
    return max(1, -(-limit // workers))


def bind(host: str, port: int, backlog: int = 1024) -> list[socket.socket]:
    """Listening sockets for host:port, as waitress would bind them (every address the
    host name resolves to), before any worker exists."""
    from waitress.adjustments import Adjustments

    sockets = []
    try:
        for family, socktype, proto, sockaddr in Adjustments(host=host, port=port).listen:
            sock = socket.socket(family, socktype, proto)
            sockets.append(sock)
            if os.name == "posix":  # on Windows SO_REUSEADDR would let another bind steal it
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(sockaddr)
            sock.listen(backlog)
            sock.set_inheritable(True)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def addresses(sockets: Sequence[socket.socket]) -> list[tuple[str, int]]:
    """(host, port) each socket listens on (the port the kernel picked for port 0)."""
    return [(str(s.getsockname()[0]), int(s.getsockname()[1])) for s in sockets]


class Loads:
    """Open connections per worker, in memory shared by all of them (mapped before the
    fork), so each worker accepts only while it holds no more than any other.

    A browser or an HTTP client keeps its connection open for many requests, and a
    connection stays with the worker that accepted it: left to the kernel, four clients
    may all land on one worker while another idles, and their searches queue under one
    GIL. Accepting on the least loaded worker spreads connections evenly (never more than
    one apart once each has been served), so concurrent clients use every core.

    A worker that stopped listening sleeps in poll until one of its own connections
    stirs; after each accept, the acceptor wakes the others through a pipe each, so one
    that has become the least loaded listens again at once, not at its next timeout.
    """

    def __init__(self, workers: int) -> None:
        self._map = mmap.mmap(-1, workers * 8)
        self.counts = memoryview(self._map).cast("q")
        self.pipes = [os.pipe() for _ in range(workers)]
        for read_end, write_end in self.pipes:
            os.set_blocking(read_end, False)
            os.set_blocking(write_end, False)

    def may_accept(self, worker: int, open_connections: int) -> bool:
        """Publish this worker's count; whether it is (one of) the least loaded."""
        self.counts[worker] = open_connections
        return open_connections <= min(self.counts)

    def wake_others(self, worker: int) -> None:
        for n, (_, write_end) in enumerate(self.pipes):
            if n != worker:
                with contextlib.suppress(BlockingIOError):  # full: a wake is pending
                    os.write(write_end, b"w")

    @staticmethod
    def drain(fd: int) -> None:
        """Empty a wake pipe's read end (non-blocking)."""
        with contextlib.suppress(BlockingIOError):
            while os.read(fd, 4096):
                pass


def serve(
    make_server: Callable[[Sequence[socket.socket], int], Any],
    sockets: Sequence[socket.socket],
    workers: int,
) -> int:
    """Run `make_server(sockets, worker_count).run()` in `workers` processes (in this one
    when workers is 1); the exit status once every worker has ended."""
    if workers == 1:
        with _stop_on(STOP_SIGNALS):
            make_server(sockets, 1).run()
        return 0
    loads = Loads(workers)
    pids: dict[int, int] = {}  # pid -> worker number
    status = 0
    try:
        with _stop_on(STOP_SIGNALS):
            for n in range(workers):
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child's side, seen through its answers
                    _child(make_server, sockets, workers, n, loads)
                pids[pid] = n
            log.info("%d worker processes: %s", workers, " ".join(map(str, pids)))
            pid, code = os.wait()
            log.error("worker %d (pid %d) ended: %s", pids.pop(pid), pid, _describe(code))
            status = 1
    except SystemExit:
        pass  # Ctrl-C or SIGTERM: end the workers, status 0
    finally:
        _end(pids)
    return status


def _child(
    make_server: Callable[[Sequence[socket.socket], int], Any],
    sockets: Sequence[socket.socket],
    workers: int,
    n: int,
    loads: Loads,
) -> None:  # pragma: no cover - runs in a forked process
    """Worker n's whole life; never returns into the parent's code."""
    code = 0
    parent = os.getppid()
    try:
        with _stop_on(STOP_SIGNALS):
            server = make_server(sockets, workers)
            _supervise(server, parent, n, loads)
            server.run()
    except SystemExit:
        pass
    except BaseException:
        log.exception("worker %d failed", os.getpid())
        code = 1
    finally:
        logging.shutdown()
        os._exit(code)


def _supervise(server: Any, parent: int, n: int, loads: Loads) -> None:
    """Hook into waitress's loop, which asks the server before every poll (at least once a
    second, its poll timeout) whether to accept: exit once the parent is gone (no worker
    outlives a killed parent), and accept only as the least loaded worker (`Loads`)."""
    from waitress import wasyncore

    readable, handle_accept = server.readable, server.handle_accept
    channels = server._map  # waitress's own connection count is len() of this map

    def accepting() -> bool:
        if os.getppid() != parent:
            raise SystemExit(0)
        ready = readable()  # first: it also closes connections idle for too long
        return loads.may_accept(n, len(channels)) and ready

    def accept() -> None:
        handle_accept()
        loads.wake_others(n)

    class Wake(wasyncore.file_dispatcher):
        """This worker's end of its wake pipe, in its poll set: a byte ends the poll."""

        def writable(self) -> bool:
            return False

        def handle_read(self) -> None:
            loads.drain(self._fileno)

    Wake(loads.pipes[n][0], map=channels)
    server.readable, server.handle_accept = accepting, accept


@contextlib.contextmanager
def _stop_on(signals: Sequence[signal.Signals]):
    """Turn each signal into SystemExit while the block runs (KeyboardInterrupt would be
    logged as a crash by some libraries; SystemExit is what waitress's loop expects)."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    previous = {sig: signal.signal(sig, stop) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _end(pids: dict[int, int]) -> None:
    """SIGTERM every worker still running and wait for each (signals held off meanwhile,
    so a second Ctrl-C cannot leave a worker behind)."""
    with _ignoring(STOP_SIGNALS):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


@contextlib.contextmanager
def _ignoring(signals: Sequence[signal.Signals]):
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _describe(code: int) -> str:
    if os.WIFSIGNALED(code):
        return f"killed by signal {os.WTERMSIG(code)}"
    return f"exit status {os.waitstatus_to_exitcode(code)}"
