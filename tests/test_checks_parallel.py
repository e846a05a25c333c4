"""Large folders are checked in worker processes with the same findings as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import workers
from pipeline.checks import runner
from pipeline.checks.runner import check_paths
from pipeline.config import Config
from tests.helpers import write_article

REPO = Path(__file__).resolve().parent.parent


def test_parallel_and_single_process_agree(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(workers, "PER_WORKER", 2)
    bodies = ["It cures colds.", "See http://example.org/x for more.",
              "<!-- pipeline-disable-next-line medical-claim: quoted -->\nIt cures flu.",
              "Walking helps. Click here to book.", "![](https://example.org/a.png)"]
    for index in range(10):
        extra = "slug: same" if index in (3, 7) else "summary: ''" if index == 4 else ""
        write_article(tmp_path, f"a{index}.md", body=bodies[index % len(bodies)], extra=extra)
    (tmp_path / "broken.md").write_text("no front matter\n")
    single = check_paths([tmp_path], Config(), jobs=1)
    assert workers.count_for(11, 2) == 2
    several = check_paths([tmp_path], Config(), jobs=2)
    assert several.findings == single.findings
    assert {f.rule for f in single.findings} >= {
        "medical-claim", "link", "dangling-link-text", "image-alt", "duplicate-slug",
        "front-matter", "summary-missing"}
    assert [r.display_path for r in several.results] == [r.display_path for r in single.results]


def test_small_inputs_stay_in_this_process() -> None:
    assert workers.count_for(10, 0) == 1
    assert workers.count_for(100_000, 1) == 1


def test_a_process_running_other_threads_never_forks(tmp_path: Path) -> None:
    """A fork copies only the forking thread, so a lock another thread holds stays held in the
    child: ``pipeline serve`` (watcher and HTTP threads) once left a worker hung that way."""
    import threading

    assert workers.count_for(100_000, 2) == 2
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers.count_for(100_000, 2) == 1
        assert workers.map_shares(len, list(range(10)), 1) == [10]
    finally:
        stop.set()
        other.join()
    assert workers.count_for(100_000, 2) == 2


def test_workers_stop_whatever_sigterm_handler_the_parent_set() -> None:
    """The pool stops its workers with SIGTERM. ``pipeline serve`` catches SIGTERM to stop
    cleanly, and its first build forks: workers that kept the handler would never stop, and
    the build would wait for them for ever (it did, before workers reset it)."""
    import signal
    import subprocess
    import sys

    program = (
        "import signal\n"
        "from pipeline import workers\n"
        "def parents(*_): pass\n"
        "signal.signal(signal.SIGTERM, parents)\n"
        "def handler(share): return str(getattr(signal.getsignal(signal.SIGTERM), '__name__',\n"
        "                                       signal.getsignal(signal.SIGTERM)))\n"
        "print(workers.map_shares(handler, list(range(10)), 2))\n")
    # In a process of its own: without the reset, the pool can wait for its worker for ever.
    done = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # The first share runs in the parent, with its handler; the worker's is the default.
    assert done.stdout.strip() == f"['parents', '{signal.SIG_DFL}']"


def test_checking_leaves_no_reference_cycles() -> None:
    """The collector is off while checking (runner.py): that is safe only while loading and
    checking articles, good and broken ones, make no cyclic garbage."""
    import gc

    folders = [REPO / "articles", REPO / "tests" / "fixtures" / "checks",
               REPO / "tests" / "fixtures" / "foundation"]
    files = [path for folder in folders for path in sorted(folder.rglob("*.md"))]
    assert len(files) > 20
    gc.collect()
    gc.disable()
    try:
        run = runner.check_files(files, Config(), jobs=1)
        assert run.findings and len(run.results) == len(files)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    """A worker killed mid-share (out of memory, a signal) once left the build waiting for
    ever: multiprocessing.Pool replaced it silently and its share's result never came."""
    import os

    def share_length(share: list[int]) -> int:
        if 1 in share:
            os._exit(3)
        return len(share)

    with pytest.raises(workers.WorkerDied, match="exit code 3"):
        workers.map_shares(share_length, [0, 1], 2)


def test_a_worker_exception_is_raised_here() -> None:
    def failing(share: list[int]) -> int:
        if 1 in share:
            raise ValueError(f"share {share}")
        return len(share)

    with pytest.raises(ValueError, match=r"share \[1\]"):
        workers.map_shares(failing, [0, 1], 2)
