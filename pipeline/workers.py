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
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PER_WORKER = 150  # items (files to check, articles to render) below which a worker costs more

_held: Callable[[list], object] | None = None  # the function forked workers run


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
    """
    shares = [list(items[index::count]) for index in range(count)]
    if count == 1:
        return [function(shares[0])]
    # The collector would visit every object the workers inherit and so copy every page
    # that holds one: frozen, they are left alone (a 10,000-article build's render worker:
    # 118 MB -> 102 MB of private pages).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(
                count - 1, initializer=_hold, initargs=(function,)) as pool:
            pending = pool.map_async(_run_held, shares[1:])
            first = function(shares[0])
            return [first, *pending.get()]
    finally:
        gc.unfreeze()


def _hold(function: Callable[[list], object]) -> None:
    global _held
    _held = function
    # The pool stops its workers with SIGTERM: a handler inherited from the parent (``pipeline
    # serve`` sets one to stop cleanly) would catch it, and the pool would wait for ever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_held(share: list) -> object:
    assert _held is not None
    return _held(share)
