"""The floor: the least any build of this corpus could cost on this machine.

Read every file of the articles folder, then write as many files, of the same sizes and at
the same relative paths, as our output folder holds, into a fresh scratch folder. Done in
this process, so it excludes interpreter start-up; no fsync, like the build.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from pathlib import Path


def output_files(output: Path, exclude: Iterable[Path] = ()) -> list[tuple[Path, int]]:
    """(relative path, size) of every file in ``output``, skipping any cache folder in it."""
    skipped = [path.resolve() for path in exclude]
    files = []
    for path in sorted(output.rglob("*")):
        if path.is_file() and not any(path.resolve().is_relative_to(s) for s in skipped):
            files.append((path.relative_to(output), path.stat().st_size))
    return files


def measure(articles: Path, files: list[tuple[Path, int]], scratch: Path) -> float:
    sources = sorted(path for path in articles.rglob("*") if path.is_file())
    block = memoryview(b"x" * max((size for _, size in files), default=0))
    shutil.rmtree(scratch, ignore_errors=True)
    started = time.perf_counter()
    read = sum(len(path.read_bytes()) for path in sources)
    made: set[Path] = set()
    for relative, size in files:
        target = scratch / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with open(target, "wb") as handle:
            handle.write(block[:size])
    elapsed = time.perf_counter() - started
    shutil.rmtree(scratch)
    if read == 0:
        raise RuntimeError(f"the floor read nothing from {articles}")
    return elapsed
