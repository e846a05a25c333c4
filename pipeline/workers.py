"""The one worker pool: a list of work split into interleaved shares, the first done in this
process and the others in processes forked from it.

Forked workers inherit everything this process has loaded (compiled rules, the build's
templates and article views), so nothing is imported or sent twice; only each share's result
travels back, pickled. Systems without ``fork``, work too small to pay for a process, and a
process running other threads use this process alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PER_WORKER = 150  # items (files to check, articles to render) below which a worker costs more


def count_for(items: int, requested: int) -> int:
    """How many processes (this one included) to use; ``requested`` 0 means one per core."""
    if requested == 1 or sys.platform != "linux":
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return 1
    if threading.active_count() > 1:
        # A fork copies only the calling thread: a lock another thread held at that moment
        # (a stream's, an import's, a library's) stays held in the child for ever. ``pipeline
        # serve`` (a watcher and HTTP threads) left a render worker hung in a futex that way.
        return 1
    wanted = requested or len(os.sched_getaffinity(0))
    return max(1, min(wanted, items // PER_WORKER))


def map_shares(function: Callable[[list[T]], R], items: Sequence[T], count: int) -> list[R]:
    """``function`` of each of ``count`` interleaved shares of ``items``, in share order.

    Interleaved shares balance the load when long articles cluster in one folder. The
    function may be a closure over anything: forked workers inherit it, it is never pickled.
    An exception in a worker is raised here; a worker that dies (killed, out of memory) is
    reported as WorkerDied; on Ctrl-C, or any error here, the workers are stopped.
    """
    shares = [list(items[index::count]) for index in range(count)]
    if count == 1:
        return [function(shares[0])]
    # The collector would visit every object the workers inherit and so copy every page
    # that holds one: frozen, they are left alone (a 10,000-article build's render worker:
    # 118 MB -> 102 MB of private pages).
    gc.freeze()
    children: list[_Worker] = []
    try:
        with _interruptions_held():
            for share in shares[1:]:
                children.append(_Worker.start(function, share))
        first = function(shares[0])
        return [first, *(child.result() for child in children)]
    finally:
        for child in children:
            child.stop()
        gc.unfreeze()


_INTERRUPTIONS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _interruptions_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while workers start: one arriving between a fork and the
    worker's record here left the worker running after the build had stopped, and one
    reaching a worker before it set Ctrl-C aside printed a traceback. A worker starts with
    them held too, and lets them through once it ignores Ctrl-C."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTIONS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class WorkerDied(RuntimeError):
    """A worker process ended without sending its share's result."""


class _Worker:
    """One forked process computing one share, its result sent back through a pipe.

    multiprocessing.Pool was used before: a worker killed by Ctrl-C was silently replaced,
    and the build then waited for ever for the lost share's result.
    """

    def __init__(self, process: BaseProcess, results: Connection) -> None:
        self.process, self.results = process, results

    @classmethod
    def start(cls, function: Callable[[list[T]], R], share: list[T]) -> _Worker:
        context = multiprocessing.get_context("fork")
        results, sending = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(function, share, sending), daemon=True)
        process.start()
        sending.close()
        return cls(process, results)

    def result(self) -> Any:
        # Woken every 0.1 s: Ctrl-C's signal may reach another thread of this process, and
        # this thread would not see it while blocked on the pipe.
        while not self.results.poll(0.1):
            if not self.process.is_alive() and not self.results.poll():
                raise self._died()
        try:
            outcome, value = self.results.recv()
        except EOFError:
            raise self._died() from None
        if outcome == "raise":
            raise value
        return value

    def _died(self) -> WorkerDied:
        self.process.join()
        return WorkerDied(f"a worker process ended without its result "
                          f"(exit code {self.process.exitcode})")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.results.close()


def _work(function: Callable[[list[T]], R], share: list[T], results: Connection) -> None:
    # Ctrl-C reaches every process of the terminal's group: this one leaves it to the parent,
    # which stops it (SIGTERM; a handler inherited from ``pipeline serve`` is dropped).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTIONS)
    try:
        outcome: tuple[str, object] = ("return", function(share))
    except BaseException as exc:  # raised again in the parent, as Pool did
        outcome = ("raise", exc)
    try:
        results.send(outcome)
    except Exception as exc:  # an exception (or result) that cannot be pickled
        results.send(("raise", RuntimeError(f"a worker's outcome could not be sent back: "
                                            f"{outcome[1]!r} ({exc})")))
    results.close()
