"""The benchmark's results and their Markdown tables (rows, targets as ratios, scaling)."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.procs import Run

MB = 1_000_000


@dataclass
class Series:
    """Repeated runs of one measurement."""

    label: str
    seconds: list[float]
    cpu_seconds: list[float] = field(default_factory=list)  # empty where not meaningful
    max_rss: int | None = None  # bytes, wait4: the largest single process, worst run
    tree_peak: int | None = None  # bytes, summed process tree PSS, from a separate sampled run
    tree_rss: int | None = None  # bytes, summed process tree RSS (shared pages once per process)
    note: str = ""
    others: float | None = None  # CPUs other processes kept busy meanwhile (noise gauge)

    @classmethod
    def of(cls, label: str, runs: list[Run], note: str = "",
           others: float | None = None) -> Series:
        return cls(label, [r.seconds for r in runs], [r.cpu_seconds for r in runs],
                   max(r.max_rss for r in runs), note=note, others=others)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cores(self) -> float | None:
        """CPU time over wall time: about 2.0 means both cores of two were busy."""
        if not self.cpu_seconds:
            return None
        return statistics.median(self.cpu_seconds) / self.median


@dataclass
class Scale:
    articles: int
    seconds: list[float]
    memory: int  # bytes, peak of the summed process tree PSS
    max_single: int  # bytes, wait4's largest single process
    others: float | None = None  # CPUs other processes kept busy meanwhile
    rss_sum: int | None = None  # bytes, peak of the summed process tree RSS

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Target:
    """A goal of the issue. ``ratio`` is measured/budget for budgets (met at or under 1) and
    other tool/ours for comparisons (met at or over ``threshold``, e.g. 5 for Pelican)."""

    label: str
    measured: str
    goal: str
    ratio: float | None  # None: not measured in this run
    threshold: float = 1.0
    lower_is_better: bool = True

    @property
    def met(self) -> str:
        if self.ratio is None:
            return "n/a"
        ok = self.ratio <= self.threshold if self.lower_is_better else self.ratio >= self.threshold
        return "yes" if ok else "no"


@dataclass
class Results:
    articles: int
    seed: int
    repeat: int
    machine: dict[str, str]
    code: str  # fingerprint of pipeline/ and templates/ at the start (see ours.code_fingerprint)
    rows: list[Series] = field(default_factory=list)
    scaling: list[Scale] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def megabytes(value: int | None) -> str:
    return "" if value is None else f"{value / MB:.0f} MB"


def load(cpus: float | None) -> str:
    return "" if cpus is None else f"{cpus:.2f} CPU"


def machine() -> dict[str, str]:
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    nproc = len(os.sched_getaffinity(0))
    cores = f"{nproc}" + ("" if nproc == os.cpu_count() else f" (of {os.cpu_count()})")
    with open("/proc/meminfo", encoding="utf-8") as handle:
        total_kb = int(handle.readline().split()[1])
    return {"nproc": cores, "CPU": model, "memory": f"{total_kb / 1e6:.1f} GB",
            "Python": sys.version.split()[0], "kernel": platform.release(),
            "pipeline": _pipeline_version()}


def _pipeline_version() -> str:
    from pipeline import __version__

    repo = Path(__file__).resolve().parent.parent
    git = ["git", "-C", str(repo)]
    try:
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return __version__
    return f"{__version__} at {commit}" + (" with uncommitted changes" if dirty else "")


def markdown(results: Results) -> str:
    info = ", ".join(f"{key} {value}" for key, value in results.machine.items())
    lines = [
        f"Machine: {info}.",
        "",
        f"Corpus: {results.articles:,} articles (seed {results.seed}); median of "
        f"{results.repeat} runs unless the Runs column says otherwise.",
        "",
        "| Measurement | Runs | Median | Min – max | CPU / wall | Max RSS, largest process "
        "| Peak PSS, process tree | Peak RSS sum, process tree | Other load |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in results.rows:
        cores = "" if row.cores is None else f"{row.cores:.2f}"
        spread = f"{seconds(min(row.seconds))} – {seconds(max(row.seconds))}"
        label = row.label + (f" ({row.note})" if row.note else "")
        lines.append(f"| {label} | {len(row.seconds)} | {seconds(row.median)} | {spread} "
                     f"| {cores} | {megabytes(row.max_rss)} | {megabytes(row.tree_peak)} "
                     f"| {megabytes(row.tree_rss)} | {load(row.others)} |")
    if results.scaling:
        base = results.scaling[0]
        lines += ["", "Scaling (full cold build):", "",
                  "| Articles | Runs | Median | Per 1,000 articles | vs smallest, per article "
                  "| Peak memory (tree PSS) | Peak RSS sum | Largest single process "
                  "| Other load |",
                  "|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for row in results.scaling:
            per_k = row.median / row.articles * 1000
            growth = per_k / (base.median / base.articles * 1000)
            lines.append(f"| {row.articles:,} | {len(row.seconds)} | {seconds(row.median)} "
                         f"| {seconds(per_k)} | {growth:.2f}× | {megabytes(row.memory)} "
                         f"| {megabytes(row.rss_sum)} | {megabytes(row.max_single)} "
                         f"| {load(row.others)} |")
    if results.targets:
        scope = "" if results.articles == 1000 else (
            f"; the time goals are for 1,000 articles, this table has {results.articles:,}")
        lines += ["", f"Targets (issue 16{scope}):", "",
                  "| Target | Measured | Goal | Ratio | Met |", "|---|--:|--:|--:|:-:|"]
        for target in results.targets:
            ratio = "" if target.ratio is None else f"{target.ratio:.2f}×"
            lines.append(f"| {target.label} | {target.measured} | {target.goal} | {ratio} "
                         f"| {target.met} |")
    if results.notes:
        lines += ["", "Notes:", "", *[f"- {note}" for note in results.notes]]
    return "\n".join(lines) + "\n"
