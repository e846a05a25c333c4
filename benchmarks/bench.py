"""The benchmark of issues 9 and 16: our CLI against Pelican, Hugo and the floor, on one corpus.

Run it as ``benchmarks/run [options]`` from a clone. Progress goes to stderr, the Markdown
report to stdout; both the report and the raw numbers are also saved under
``benchmarks/.work/`` (results.md, results.json), with every command's log.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import corpus, floor, procs, serve_edit, vs_hugo, vs_pelican
from benchmarks.ours import BUILD, CHECK, HELP, Project, code_fingerprint, differences
from benchmarks.report import (
    MB,
    Results,
    Scale,
    Series,
    machine,
    markdown,
    seconds,
)
from benchmarks.targets import add_targets

# Where the build cache lives, relative to the project folder (articles/ and output/ are in
# it). Cold builds delete every one of these; the no-op and one-article rows keep them.
CACHE_PATHS = (".pipeline-cache", "output/.pipeline-cache")
WORK = Path(__file__).resolve().parent / ".work"  # default; --work moves it
HOME_CACHE = Path.home() / ".cache"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, help="corpus size of the full table "
                        "(default 1000; --quick: 200)")
    parser.add_argument("--sizes", help="comma-separated corpus sizes of the scaling rows "
                        "(default 1000,5000,10000; --quick: 200,400)")
    parser.add_argument("--repeat", type=int, help="runs per timed row (default 5; --quick: 2)")
    parser.add_argument("--help-repeat", type=int, help="runs of `pipeline --help` "
                        "(default 10; --quick: 2)")
    parser.add_argument("--scale-repeat", type=int, default=3,
                        help="at most this many cold builds per scaling size (default 3)")
    parser.add_argument("--scale-budget", type=float, default=60.0,
                        help="seconds per scaling size after which no further run starts, so "
                        "slow builds at 10,000 articles run once (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 200 articles, 2 repetitions")
    parser.add_argument("--no-pelican", action="store_true", help="skip Pelican")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo")
    parser.add_argument("--work", type=Path, default=WORK,
                        help="work folder for corpora, outputs, Pelican's venv, logs and "
                        "results (default benchmarks/.work; e.g. a folder in /dev/shm to take "
                        "the disk out of the numbers)")
    args = parser.parse_args(argv)
    quick = args.quick
    args.articles = args.articles or (200 if quick else 1000)
    args.sizes = sorted({int(s) for s in (args.sizes or ("200,400" if quick else
                                                         "1000,5000,10000")).split(",")})
    args.repeat = args.repeat or (2 if quick else 5)
    args.help_repeat = args.help_repeat or (2 if quick else 10)
    if min(args.articles, *args.sizes) < 5 or args.repeat < 1 or args.help_repeat < 1:
        parser.error("sizes must be at least 5 articles and repeats at least 1")
    return args


def series(key: str, label: str, count: int, cmd: list[str], cwd: Path, logs: Path, *,
           before: Callable[[int], None] | None = None,
           after: Callable[[int, Path], None] | None = None, note: str = "") -> Series:
    """Run ``cmd`` ``count`` times; ``before`` and ``after`` (untimed) prepare and verify."""
    runs = []
    load = procs.OtherLoad()
    for index in range(count):
        if before:
            before(index)
        log = logs / f"{key}-{index + 1}.log"
        run = procs.run(cmd, cwd=cwd, log=log)
        if after:
            after(index, log)
        runs.append(run)
        progress(f"  {key} {index + 1}/{count}: {seconds(run.seconds)}")
    return Series.of(label, runs, note, load.cpus())


def make_corpus(work: Path, size: int, seed: int) -> Path:
    started = time.perf_counter()
    shutil.rmtree(work / f"n{size}" / "logs", ignore_errors=True)  # no stale logs of old runs
    folder = corpus.generate(work / f"n{size}" / "corpus", size, seed)
    progress(f"corpus: {size:,} articles in {time.perf_counter() - started:.1f} s")
    return folder


def cold_memory(project: Project, count: int, logs: Path) -> procs.Run:
    """One more cold build, sampled for memory (sampling costs CPU, so it is never timed)."""
    project.clean()
    log = logs / "memory.log"
    run = procs.run(BUILD, cwd=project.root, log=log, sample_memory=True)
    project.verify_build(log, count)
    progress(f"  memory: {run.peak_memory / MB:.0f} MB (tree PSS), "
             f"{(run.tree_rss_peak or 0) / MB:.0f} MB (tree RSS sum), "
             f"{run.max_rss / MB:.0f} MB (largest process)")
    return run


def measure_ours(results: Results, args: argparse.Namespace, source: Path) -> Project:
    n, repeat = args.articles, args.repeat
    base = args.work / f"n{n}"
    logs = base / "logs"
    project = Project(base / "ours", CACHE_PATHS)
    project.make(source)
    progress(f"ours ({n:,} articles):")

    procs.run(HELP, cwd=project.root, log=logs / "help-warmup.log")  # page cache, .pyc
    help_row = series("help", "`pipeline --help`", args.help_repeat, HELP, project.root, logs)
    # Cold: as in CI on a fresh clone. Then as an editor re-runs it: results of unchanged
    # files come from .pipeline-cache/ (the untimed first run fills it).
    check_row = series("check", "`pipeline check --no-cache`, whole corpus", repeat,
                       [*CHECK, "--no-cache"], project.root, logs)
    procs.run(CHECK, cwd=project.root, log=logs / "recheck-warmup.log")
    recheck_row = series("recheck", "`pipeline check` again, nothing changed", repeat, CHECK,
                         project.root, logs)

    def verify(_: int, log: Path) -> None:
        project.verify_build(log, n)

    cold = series("cold", "Full build, cold (no output, no cache)", repeat, BUILD,
                  project.root, logs, before=lambda _: project.clean(), after=verify)
    reference = project.digest()
    memory = cold_memory(project, n, logs)
    cold.tree_peak = memory.peak_memory
    cold.tree_rss = memory.tree_rss_peak
    same_as_reference(results, project, reference, "a second cold build of the same corpus")

    def same_output(index: int, log: Path) -> None:
        verify(index, log)
        same_as_reference(results, project, reference, f"the no-op rebuild (see {log})")

    noop = series("noop", "No-op rebuild (nothing changed)", repeat, BUILD, project.root, logs,
                  after=same_output)
    markers: list[bytes] = []
    step = max(1, n // repeat)

    def edit(index: int) -> None:
        markers.append(project.edit((17 + index * step) % n, index + 1))

    def edited(index: int, log: Path) -> None:
        verify(index, log)
        if not project.contains(markers[-1]):
            raise RuntimeError(f"the edit {markers[-1].decode()!r} is not in the output after "
                               f"the rebuild; see {log}")

    edits = series("edit", "Rebuild after editing one article", repeat, BUILD, project.root,
                   logs, before=edit, after=edited, note="a different article each run")
    # A fast rebuild that is wrong is not fast: the cached result must equal a cold build.
    incremental = project.digest()
    project.clean()
    procs.run(BUILD, cwd=project.root, log=logs / "cold-after-edits.log")
    same_as_reference(results, project, incremental,
                      "a cold build of the edited corpus, against the one-article rebuilds,")
    serve_row = measure_serve(args, source, repeat)
    results.rows += [cold, noop, edits, serve_row, check_row, recheck_row, help_row]
    results.scaling.append(Scale(n, cold.seconds, memory.peak_memory, memory.max_rss,
                                 rss_sum=memory.tree_rss_peak))
    return project


def measure_serve(args: argparse.Namespace, source: Path, repeat: int) -> Series:
    """``pipeline serve`` on a copy of the corpus: each edit's time until its page shows it."""
    folder = args.work / f"n{args.articles}" / "serve"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder / "articles")
    load = procs.OtherLoad()
    first, times = serve_edit.measure(folder, repeat, echo=progress)
    shutil.rmtree(folder, ignore_errors=True)
    return Series("`pipeline serve`: one article edited, until its page shows it", times,
                  note=f"first page after {seconds(first)}", others=load.cpus())


def same_as_reference(results: Results, project: Project, reference: dict[str, str],
                      what: str) -> None:
    digest = project.digest()
    if digest != reference:
        edited = "" if code_fingerprint() == results.code else (
            " (the pipeline code was edited during the benchmark: run it again)")
        raise RuntimeError(f"{what} changed the output{edited}: "
                           f"{differences(reference, digest)}")


def measure_floor(results: Results, project: Project, repeat: int) -> None:
    files = floor.output_files(project.output, project.cache_paths())
    scratch = project.root.parent / "floor"
    load = procs.OtherLoad()
    times = [floor.measure(project.articles, files, scratch) for _ in range(repeat)]
    total = sum(size for _, size in files)
    results.rows.append(Series(
        f"Floor: read the articles, write {len(files):,} files / {total / MB:.1f} MB", times,
        note="in-process, no start-up", others=load.cpus()))
    progress(f"floor: {seconds(min(times))} best")


def measure_pelican(results: Results, args: argparse.Namespace, source: Path) -> None:
    try:
        pelican = vs_pelican.ensure_venv(args.work / "pelican-venv")
    except (OSError, RuntimeError) as exc:
        raise RuntimeError(f"{exc}\n(run with --no-pelican to skip Pelican)") from exc
    results.machine["Pelican"] = vs_pelican.version(pelican)
    n, base = args.articles, args.work / f"n{args.articles}"
    project = base / "pelican"
    vs_pelican.make_project(source, project)
    progress(f"Pelican ({n:,} articles):")
    cmd = vs_pelican.command(pelican)

    def verify(_: int, __: Path) -> None:
        vs_pelican.check_output(project, n)

    results.rows.append(series(
        "pelican-cold", "Pelican 4.12: full build, cold (no output, no cache)", args.repeat,
        cmd, project, base / "logs", before=lambda _: vs_pelican.clean(project), after=verify))
    results.rows.append(series(
        "pelican-noop", "Pelican 4.12: no-op rebuild (content cache)", args.repeat, cmd,
        project, base / "logs", after=verify))


def measure_hugo(results: Results, args: argparse.Namespace, source: Path) -> None:
    hugo, why = vs_hugo.ensure_hugo()
    if hugo is None:
        results.notes.append(f"Hugo skipped: {why}.")
        progress(f"Hugo skipped: {why}")
        return
    results.machine["Hugo"] = vs_hugo.version(hugo)
    n, base = args.articles, args.work / f"n{args.articles}"
    project = base / "hugo"
    vs_hugo.make_project(source, project)
    progress(f"Hugo ({n:,} articles):")

    def verify(_: int, __: Path) -> None:
        vs_hugo.check_output(project, n)

    results.rows.append(series(
        "hugo-cold", f"Hugo {results.machine['Hugo']}: full build, cold", args.repeat,
        vs_hugo.command(hugo, project), project, base / "logs",
        before=lambda _: vs_hugo.clean(project), after=verify))


def measure_scale(results: Results, args: argparse.Namespace, size: int) -> None:
    base = args.work / f"n{size}"
    project = Project(base / "ours", CACHE_PATHS)
    project.make(make_corpus(args.work, size, args.seed))
    progress(f"scaling ({size:,} articles):")
    runs: list[procs.Run] = []
    started, load = time.perf_counter(), procs.OtherLoad()
    while len(runs) < args.scale_repeat:
        project.clean()
        log = base / "logs" / f"cold-{len(runs) + 1}.log"
        run = procs.run(BUILD, cwd=project.root, log=log)
        project.verify_build(log, size)
        runs.append(run)
        progress(f"  cold {len(runs)}: {seconds(run.seconds)}")
        if time.perf_counter() - started + run.seconds > args.scale_budget:
            break
    others = load.cpus()
    memory = cold_memory(project, size, base / "logs")
    results.scaling.append(Scale(size, [r.seconds for r in runs], memory.peak_memory,
                                 memory.max_rss, others, memory.tree_rss_peak))
    project.clean()  # the large outputs are not needed again; the corpus is regenerated


def home_caches() -> set[str]:
    if not HOME_CACHE.is_dir():
        return set()
    return {p.name for p in HOME_CACHE.iterdir() if "pipeline" in p.name.lower()}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = Results(args.articles, args.seed, args.repeat, machine(), code_fingerprint())
    caches_before = home_caches()
    load = procs.OtherLoad()
    source = make_corpus(args.work, args.articles, args.seed)
    try:
        project = measure_ours(results, args, source)
        measure_floor(results, project, args.repeat)
        if not args.no_pelican:
            measure_pelican(results, args, source)
        if not args.no_hugo:
            measure_hugo(results, args, source)
        for size in args.sizes:
            if size != args.articles:
                measure_scale(results, args, size)
    except (procs.CommandFailed, RuntimeError) as exc:
        progress(f"benchmark FAILED: {exc}")
        return 1
    results.scaling.sort(key=lambda s: s.articles)
    add_targets(results)
    strays = project.strays()
    if strays:
        results.notes.append(f"The build left {', '.join(strays)} in the project folder: if it "
                             "is a cache, add it to CACHE_PATHS in benchmarks/bench.py, or the "
                             "cold rows are not cold.")
    if code_fingerprint() != results.code:
        results.notes.append("The pipeline code or templates changed during this run: the rows "
                             "measured different versions; run it again.")
    new_caches = home_caches() - caches_before
    if new_caches:
        results.notes.append(f"New folders in {HOME_CACHE}: {', '.join(sorted(new_caches))}; "
                             "cold builds do not delete them.")
    elapsed = time.perf_counter() - started
    results.notes.append(
        f"Whole benchmark: {elapsed:.0f} s. Other processes kept {load.cpus():.2f} of the "
        f"{len(os.sched_getaffinity(0))} CPUs busy meanwhile (machine busy time in /proc/stat "
        "minus the benchmark's own CPU time; per row in the Other load column); above about "
        "0.1 the timings are noisy.")
    text = markdown(results)
    (args.work / "results.md").write_text(text, encoding="utf-8")
    raw = json.dumps(dataclasses.asdict(results), indent=2) + "\n"
    (args.work / "results.json").write_text(raw, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
