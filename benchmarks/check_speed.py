#!/usr/bin/env python3
"""How fast is `pipeline check` on a large archive?

Generates N articles with the project's benchmark corpus (benchmarks/corpus.py: deterministic,
about 800 words each, headings, lists, a link, an image and the standard disclaimer) in a
temporary folder, then times:

* the library call ``check_paths(..., jobs=0)`` as the CLI makes it (first call in this
  process, then the best of the repeats), and with ``jobs=1`` (one process), and
* the CLI, ``pipeline check --no-cache <folder>``, as a subprocess (best of the repeats; this
  includes interpreter start-up and imports), and ``pipeline check <folder>`` once the
  results of the unchanged files are cached in ``.pipeline-cache/``.

``--from FOLDER`` times real prose instead: the Markdown files in FOLDER, copied in turn up to
``--count`` files (``tests/fixtures/blind_articles``: the articles written blind for the claim
evaluation, not for this benchmark; 108 of them when the README's figures were taken, 216 now,
so a comparison across sessions needs the same files). The generated corpus repeats 65 words;
prose that names conditions, medicines and effects in every paragraph is what the claim reader
pays for.

Usage: .venv/bin/python benchmarks/check_speed.py [--count 1000] [--repeat 5] [--keep DIR]
       [--rich | --from FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import VOCABULARY_DEFAULT, Vocabulary, generate
from pipeline.checks.runner import check_paths
from pipeline.config import Config


def copy_in_turn(sources: list[Path], folder: Path, count: int) -> None:
    if not sources:
        raise SystemExit("no Markdown files to copy")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for index in range(count):
        source = sources[index % len(sources)]
        (folder / f"{index:04d}-{source.name}").write_bytes(source.read_bytes())


def time_library(folder: Path, repeat: int, jobs: int) -> tuple[float, float, int, int]:
    times = []
    findings = files = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = check_paths([folder], Config(), jobs=jobs)
        times.append(time.perf_counter() - started)
        findings, files = len(result.findings), len(result.results)
    return times[0], min(times), files, findings


def time_cli(folder: Path, repeat: int, *options: str) -> tuple[float, int, str]:
    exe = Path(sys.executable).with_name("pipeline")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline"]
    times = []
    completed = None
    for _ in range(repeat):
        started = time.perf_counter()
        completed = subprocess.run([*command, "check", *options, str(folder)],
                                   capture_output=True, text=True, check=False, cwd=folder)
        times.append(time.perf_counter() - started)
    assert completed is not None
    last = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""
    return min(times), completed.returncode, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the articles here and keep them")
    parser.add_argument("--rich", action="store_true",
                        help="a 30,000-word vocabulary instead of 65 words (see corpus.py)")
    parser.add_argument("--from", dest="source", type=Path,
                        help="copy these Markdown files in turn instead of generating articles")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="pipeline-bench-")) / "articles"
    try:
        if args.source:
            copy_in_turn(sorted(args.source.glob("*.md")), folder, args.count)
        else:
            generate(folder, args.count, args.seed, Vocabulary.rich() if args.rich else
                     VOCABULARY_DEFAULT)
        articles = sorted(folder.glob("*.md"))
        words = sum(len(p.read_text(encoding="utf-8").split("\n---\n", 1)[1].split())
                    for p in articles)
        print(f"{len(articles)} articles, {words / max(1, len(articles)):.0f} words each on "
              f"average, in {folder}; {len(os.sched_getaffinity(0))} cores, load average "
              f"{os.getloadavg()[0]:.2f}")
        cold, best, files, findings = time_library(folder, args.repeat, jobs=0)
        print(f"library check_paths(jobs=0): first call {cold:.3f} s, best of {args.repeat} "
              f"{best:.3f} s ({files} files, {findings} findings)")
        _cold, single, _files, _findings = time_library(folder, max(1, args.repeat // 2), 1)
        print(f"library check_paths(jobs=1): best {single:.3f} s")
        cli_best, code, last = time_cli(folder, args.repeat, "--no-cache")
        print(f"CLI `pipeline check --no-cache`: best of {args.repeat} {cli_best:.3f} s "
              f"(exit status {code}: {last})")
        time_cli(folder, 1)  # fills the cache
        cached, code, last = time_cli(folder, args.repeat)
        print(f"CLI `pipeline check`, nothing changed since the last run: best of "
              f"{args.repeat} {cached:.3f} s (exit status {code}: {last})")
    finally:
        if args.keep is None:
            shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
