"""Issue 10, faults: interrupted builds, failing writes and concurrent builds never leave a
mixed or partial output: the output folder is the old one or the new one, byte for byte."""

from __future__ import annotations

import datetime as dt
import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.config import Config
from pipeline.errors import OutputError
from tests.helpers import ctrl_c_once_forked, popen_interruptible, tree_digest, write_article

TODAY = dt.date(2026, 6, 1)


def make_corpus(folder: Path, count: int, title: str) -> None:
    for index in range(count):
        write_article(folder, f"post-{index:03d}.md", title=f"{title} {index}",
                      date=f"2026-05-{1 + index % 28:02d}", extra="tags: [sleep, recovery]",
                      body="Short walks may help. " * 40)


def build_in_subprocess(project: Path, articles: str = "articles") -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "--articles", articles,
         "--output", "output"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def two_versions(tmp_path: Path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A project whose output holds version A, plus the digest of version B."""
    make_corpus(tmp_path / "a", 60, "Version A")
    make_corpus(tmp_path / "b", 60, "Version B")
    for name in ("a", "b"):
        assert build_in_subprocess(tmp_path, name).wait() == 0
        (tmp_path / "output").rename(tmp_path / f"built-{name}")
    old, new = tree_digest(tmp_path / "built-a"), tree_digest(tmp_path / "built-b")
    (tmp_path / "built-a").rename(tmp_path / "output")
    return tmp_path, old, new


def test_failing_write_keeps_previous_output(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "articles", 5, "First")
    build(tmp_path / "articles", tmp_path / "output", Config(), today=TODAY)
    before = tree_digest(tmp_path / "output")
    make_corpus(tmp_path / "articles", 5, "Second")
    calls = {"n": 0}
    real_write = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OutputError, match="No space left on device"):
        build(tmp_path / "articles", tmp_path / "output", Config(), today=TODAY)
    monkeypatch.undo()
    assert tree_digest(tmp_path / "output") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pipeline-cache", "articles", "output"]
    build(tmp_path / "articles", tmp_path / "output", Config(), today=TODAY)
    assert tree_digest(tmp_path / "output") != before


def test_killed_builds_leave_old_or_new_output(two_versions) -> None:
    project, old, new = two_versions
    (project / "articles").symlink_to(project / "b")
    rng = random.Random(7)
    started = time.monotonic()
    for _ in range(8):
        process = build_in_subprocess(project)
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = tree_digest(project / "output")
        assert state in (old, new), "output is neither the old nor the new build"
        if state == new:  # go back to A so the next kill can land mid-swap again
            (project / "output").rename(project / "discard")
            subprocess.run(["rm", "-rf", str(project / "discard")], check=True)
            assert build_in_subprocess(project, "a").wait() == 0
            assert tree_digest(project / "output") == old
    assert time.monotonic() - started < 120
    assert build_in_subprocess(project).wait() == 0  # the next build succeeds
    assert tree_digest(project / "output") == new
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".output")]
    assert leftovers == []


def test_concurrent_builds_never_mix(two_versions) -> None:
    project, old, new = two_versions
    first = build_in_subprocess(project, "a")
    second = build_in_subprocess(project, "b")
    assert first.wait() == 0, first.stderr.read() if first.stderr else ""
    assert second.wait() == 0, second.stderr.read() if second.stderr else ""
    assert tree_digest(project / "output") in (old, new)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2,
                    reason="a build forks workers only with two cores or more")
def test_ctrl_c_stops_a_parallel_build_cleanly(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the terminal's group, workers included. A worker
    used to die with a traceback, and the build then waited for ever for its share; now
    the build stops at once, says so without a traceback, and leaves the old output."""
    make_corpus(tmp_path / "a", 320, "Version A")  # enough for two processes
    make_corpus(tmp_path / "b", 320, "Version B")
    assert build_in_subprocess(tmp_path, "a").wait() == 0
    before = tree_digest(tmp_path / "output")
    process = popen_interruptible(
        [sys.executable, "-m", "pipeline", "build", "--articles", "b", "--output", "output"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    out, err = ctrl_c_once_forked(process)
    assert process.returncode == 130, err
    assert b"Aborted" in err and b"Traceback" not in out + err, err.decode()
    assert tree_digest(tmp_path / "output") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker outlived the build
