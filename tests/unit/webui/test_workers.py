"""workers: the pure parts of serving from several processes: each worker's share of the
connection limit, how many workers serve, which worker may accept (the shared loads), the
signal-to-exit plumbing and the listening sockets bound before any fork. The live servers
are tested in tests/web/test_workers.py."""

from __future__ import annotations

import os
import signal
import socket

import pytest

from webui import workers


@pytest.mark.parametrize(
    ("limit", "count", "each"), [(500, 1, 500), (500, 2, 250), (500, 3, 167), (1, 4, 1)]
)
def test_each_worker_holds_its_share_of_the_connection_limit(limit, count, each):
    assert workers.share(limit, count) == each
    assert limit <= each * count < limit + count


def test_one_worker_where_there_is_no_fork(monkeypatch):
    assert workers.effective_workers(3) == (3 if workers.can_fork() else 1)
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    assert workers.effective_workers(3) == 1
    assert workers.effective_workers(None) == 1
    with pytest.raises(ValueError):
        workers.effective_workers(0)


def test_default_is_two_workers_per_cpu(monkeypatch):
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    monkeypatch.setattr(workers, "cpus", lambda: 3)
    assert workers.effective_workers(None) == workers.default_workers() == 6
    assert workers.effective_workers(2) == 2  # --workers still decides when given


def test_only_the_least_loaded_workers_accept():
    loads = workers.Loads(3)
    # A worker still starting counts 0: the first ones up wait for it, so no worker takes
    # every early connection.
    assert [loads.may_accept(n, 2) for n in range(3)] == [False, False, True]
    assert [loads.may_accept(n, 2) for n in range(3)] == [True, True, True]
    assert loads.may_accept(0, 3) is False  # 3 > the others' 2
    assert loads.may_accept(1, 3) is False
    assert loads.may_accept(2, 2) is True
    assert loads.may_accept(2, 3) is True  # all at 3: a tie accepts
    assert loads.may_accept(0, 3) is True


def test_loads_live_in_memory_a_fork_shares() -> None:
    loads = workers.Loads(2)
    loads.counts[1] = 5  # as another worker publishes its count
    assert loads.may_accept(0, 4) is True and loads.may_accept(0, 6) is False


def test_wake_others_writes_to_every_pipe_but_its_own_and_drain_empties_it() -> None:
    loads = workers.Loads(3)
    loads.wake_others(1)
    loads.wake_others(1)
    read_ends = [read_end for read_end, _ in loads.pipes]
    assert os.read(read_ends[0], 16) == b"ww"
    with pytest.raises(BlockingIOError):
        os.read(read_ends[1], 16)  # the acceptor does not wake itself
    workers.Loads.drain(read_ends[2])
    with pytest.raises(BlockingIOError):
        os.read(read_ends[2], 16)
    workers.Loads.drain(read_ends[2])  # an empty pipe: nothing to do, no error


def test_a_stop_signal_is_system_exit_inside_the_block_only() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit), workers._stop_on([signal.SIGTERM]):
        os.kill(os.getpid(), signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) == before


def test_describe_says_how_a_worker_ended() -> None:
    assert workers._describe(signal.SIGKILL) == f"killed by signal {int(signal.SIGKILL)}"
    assert workers._describe(3 << 8) == "exit status 3"


def test_bind_listens_on_a_port_the_kernel_picks_before_any_worker_exists() -> None:
    sockets = workers.bind("127.0.0.1", 0)
    try:
        [(host, port)] = workers.addresses(sockets)
        assert host == "127.0.0.1" and port > 0
        assert all(sock.get_inheritable() for sock in sockets)  # the forked workers use them
        with socket.create_connection((host, port), timeout=60):
            pass  # the backlog takes it: listening before anyone accepts
    finally:
        for sock in sockets:
            sock.close()
