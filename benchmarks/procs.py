"""Running one measured command: wall time, CPU time and peak memory of its process tree.

Every command runs under ``launch.py``, a tiny intermediate process that times it and reaps
it with ``wait4`` (see there for why). Two ways to see memory, for different purposes:

* ``wait4`` (every run, free): the kernel reports the command's CPU time including the worker
  processes it waited for, and ``ru_maxrss``, the peak RSS of the *largest single process*
  among them. With parallel workers that is a lower bound, not a sum. Its floor is the
  launcher's own size, about 10 MB.
* ``/proc`` sampling (memory runs only): every few milliseconds the command's whole process
  tree is found by parent pid in ``/proc/*/stat``, and each process's proportional set size
  (PSS, from ``/proc/<pid>/smaps_rollup``) is summed; the peak of that sum is reported. PSS
  splits a page shared by several processes between them, so the pages forked workers share
  copy-on-write with the main process count once: the sum is the memory the tree really
  holds. The peak of the summed resident set sizes (RSS), which counts a shared page once
  per process and so overstates a forked tree, is kept beside it. Scanning ``/proc`` costs
  CPU, so sampled runs are never the timed ones.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.005
LAUNCHER = Path(__file__).with_name("launch.py")


class CommandFailed(RuntimeError):
    """A measured command exited non-zero: its numbers would be meaningless."""


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock, spawn to reaping, timed inside the launcher
    cpu_seconds: float  # user + system, the process and every worker it waited for
    max_rss: int  # bytes; wait4's ru_maxrss: the largest single process of the tree
    tree_peak: int | None = None  # bytes; sampled peak of the summed tree PSS
    tree_rss_peak: int | None = None  # bytes; sampled peak of the summed tree RSS

    @property
    def peak_memory(self) -> int:
        # Sampling can miss a short spike between two samples; the kernel's own counter cannot.
        return max(self.tree_peak or 0, self.max_rss)


def run(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path, log: Path,
        sample_memory: bool = False) -> Run:
    """Run ``cmd`` to completion, its output into ``log``; raise CommandFailed if it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    result = log.with_suffix(".rusage")
    result.unlink(missing_ok=True)
    with log.open("wb") as out:
        launcher = subprocess.Popen([sys.executable, "-S", "-I", LAUNCHER, result, *cmd],
                                    cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
        tree_peak, tree_rss_peak = _sample_until_exit(launcher.pid) if sample_memory \
            else (None, None)
        launched = launcher.wait()
    if launched != 0 or not result.exists():
        raise CommandFailed(f"could not run {cmd[0]}: {_tail(log)}")
    seconds, cpu, max_rss, status = result.read_text(encoding="ascii").split()
    if int(status) != 0:
        raise CommandFailed(f"{' '.join(map(str, cmd))} (in {cwd}) exited with status "
                            f"{status}; last output:\n{_tail(log)}")
    return Run(seconds=float(seconds), cpu_seconds=float(cpu), max_rss=int(max_rss),
               tree_peak=tree_peak, tree_rss_peak=tree_rss_peak)


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:]


def _exited(pid: int) -> bool:
    # WNOWAIT leaves the zombie in place for Popen.wait() to reap.
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _sample_until_exit(launcher: int) -> tuple[int, int]:
    """Peaks of the summed PSS and of the summed RSS of the command's tree."""
    pss_peak = rss_peak = 0
    while not _exited(launcher):
        pss, rss = descendants_memory(launcher)  # the command's tree, not the launcher
        pss_peak, rss_peak = max(pss_peak, pss), max(rss_peak, rss)
        time.sleep(SAMPLE_SECONDS)
    return pss_peak, rss_peak


def descendants_memory(root: int) -> tuple[int, int]:
    """Proportional and resident bytes of all the descendants of ``root``, right now."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:  # the process ended while we looked
            continue
        # Fields after "(comm)", which may itself hold spaces or parentheses: state ppid ...
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(name))
    pss = rss = 0
    todo = list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        found = _rollup(pid)
        pss, rss = pss + found[0], rss + found[1]
        todo.extend(children.get(pid, ()))
    return pss, rss


def _rollup(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in bytes of one process; zeros if it ended while we looked."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return pss, rss


def busy_seconds() -> tuple[float, float]:
    """(CPU seconds the whole machine has been busy, CPU seconds this process and its reaped
    children used): their change over a run shows how much other work shared the machine."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: idle and iowait are not busy.
    busy = sum(fields[:8]) - fields[3] - fields[4]
    own = sum(getattr(resource.getrusage(who), name)
              for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for name in ("ru_utime", "ru_stime"))
    return busy / os.sysconf("SC_CLK_TCK"), own


class OtherLoad:
    """How many CPUs other processes kept busy since this was made: a noise gauge."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.busy, self.own = busy_seconds()

    def cpus(self) -> float:
        busy, own = busy_seconds()
        wall = time.perf_counter() - self.started
        return max(0.0, (busy - self.busy) - (own - self.own)) / wall if wall > 0 else 0.0
