"""The goals of issue 16 (which tightened issue 9's), as ratios of this run's measurements."""

from __future__ import annotations

from benchmarks.report import MB, Results, Series, Target, megabytes, seconds

TARGETS = {"noop": 0.3, "edit": 0.6, "serve": 1.0, "check": 1.0,
           "help": 0.1}  # seconds, at 1,000 articles
MEMORY_TARGET = 250 * MB  # at 10,000 articles
PELICAN_SPEEDUP = 3.0
LINEAR_SLACK = 1.2  # per-article time at the largest size over the smallest, still "linear"


def row(results: Results, prefix: str) -> Series | None:
    return next((r for r in results.rows if r.label.startswith(prefix)), None)


def add_targets(results: Results) -> None:
    ours = row(results, "Full build")
    assert ours is not None
    for prefix, name, goal in (("Pelican 4.12: full", "Pelican", PELICAN_SPEEDUP),
                               ("Hugo", "Hugo", 1.0)):
        other = row(results, prefix)
        if other is not None:
            results.targets.append(Target(
                f"Full build: {name} / ours", f"ours {seconds(ours.median)}, "
                f"{name} {seconds(other.median)}", f"≥ {goal:g}×", other.median / ours.median,
                threshold=goal, lower_is_better=False))
    budgets = (("No-op", "noop"), ("Rebuild after", "edit"), ("`pipeline serve`", "serve"),
               ("`pipeline check --no", "check"),
               ("`pipeline check` again", "check"), ("`pipeline --help`", "help"))
    for prefix, key in budgets:
        found = row(results, prefix)
        if found is not None:
            results.targets.append(Target(found.label, seconds(found.median),
                                          f"< {seconds(TARGETS[key])}",
                                          found.median / TARGETS[key]))
    big = next((s for s in results.scaling if s.articles == 10_000), None)
    results.targets.append(Target(
        "Peak memory at 10,000 articles (process tree)",
        megabytes(big.memory) if big else "not run", f"< {megabytes(MEMORY_TARGET)}",
        big.memory / MEMORY_TARGET if big else None))
    if len(results.scaling) > 1:
        small, large = results.scaling[0], results.scaling[-1]
        growth = (large.median / large.articles) / (small.median / small.articles)
        results.targets.append(Target(
            f"Linear time: per-article time at {large.articles:,} / at {small.articles:,}",
            f"{growth:.2f}×", f"≤ {LINEAR_SLACK:g}×", growth, threshold=LINEAR_SLACK))
    nproc = int(results.machine["nproc"].split()[0])
    if ours.cores is not None and nproc > 1:
        results.targets.append(Target(
            "Cores used by the full build (CPU time / wall time)", f"{ours.cores:.2f}",
            f"≥ {0.75 * nproc:g} of {nproc}", ours.cores, threshold=0.75 * nproc,
            lower_is_better=False))
