"""Checking a large folder on every core.

Loading and checking one article is independent of every other article, so workers forked
from this process (they inherit the loaded rules and configuration, nothing is re-imported)
each load and check a share of the files, and this process checks its own share meanwhile.
Only the findings and a slim copy of each article (no parsed tokens or HTML) travel back;
corpus rules (duplicate slugs), severities and suppressions are then applied here, exactly
as a single-process run applies them.

Small inputs, and systems without ``fork`` (where starting a worker means importing
everything again), are checked in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from pipeline.articles import Article, LoadResult, load_article
from pipeline.checks import (
    ArticleReport,
    check_article,
    finish,
    load_rules,
    run_checks,
    validate_rule_config,
)
from pipeline.config import Config
from pipeline.findings import Finding

Extra = Callable[[list[Article]], list[Finding]]
FILES_PER_WORKER = 150  # below this a worker's start-up costs more than it saves

_JOB: tuple[Config, Extra | None] | None = None  # set before forking; workers inherit it


def workers_for(files: int, requested: int) -> int:
    """How many processes (this one included) to use; ``requested`` 0 means one per core."""
    if requested == 1 or sys.platform != "linux":
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return 1
    cores = len(os.sched_getaffinity(0))
    wanted = requested or cores
    return max(1, min(wanted, files // FILES_PER_WORKER))


def _slim(result: LoadResult) -> LoadResult:
    if result.article is None:
        return result
    article = replace(result.article, tokens=[], inline=None, html="", text_blocks=[],
                      source_lines=[])
    return LoadResult(result.path, result.display_path, article, result.findings)


def _check_share(paths: list[Path]) -> tuple[list[LoadResult], list[ArticleReport],
                                              list[Finding]]:
    assert _JOB is not None
    config, extra = _JOB
    results = [load_article(path, config) for path in paths]
    reports = [check_article(result, config) for result in results]
    articles = [result.article for result in results if result.article is not None]
    return results, reports, (extra(articles) if extra else [])


def _worker(paths: list[Path]) -> tuple[list[LoadResult], list[ArticleReport], list[Finding]]:
    results, reports, extra = _check_share(paths)
    return [_slim(result) for result in results], reports, extra


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Let the garbage collector run less often while checking.

    Checking builds many small objects that all live to the end (every article's tokens);
    with the default thresholds the collector rescans them again and again, about a sixth
    of the whole run. Nothing here makes reference cycles that need prompt collection.
    """
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check_files(files: list[Path], config: Config, jobs: int = 0,
                extra: Extra | None = None) -> tuple[list[LoadResult], list[Finding]]:
    """Load and check ``files``; ``extra`` adds findings for a list of articles.

    With more than one process the returned articles are slim (no tokens, HTML or blocks):
    enough to report and fix, not to render.
    """
    with _fewer_collections():
        return _check_files(files, config, jobs, extra)


def _check_files(files: list[Path], config: Config, jobs: int,
                 extra: Extra | None) -> tuple[list[LoadResult], list[Finding]]:
    global _JOB
    load_rules()
    validate_rule_config(config)
    count = workers_for(len(files), jobs)
    if count == 1:
        results = [load_article(path, config) for path in files]
        articles = [result.article for result in results if result.article is not None]
        more = extra(articles) if extra else []
        return results, sorted({*run_checks(results, config), *more})
    shares = [files[i * len(files) // count:(i + 1) * len(files) // count]
              for i in range(count)]
    _JOB = (config, extra)
    try:
        with multiprocessing.get_context("fork").Pool(count - 1) as pool:
            pending = pool.map_async(_worker, shares[1:])
            parts = [_check_share(shares[0]), *pending.get()]
    finally:
        _JOB = None
    results = [result for part in parts for result in part[0]]
    reports = [report for part in parts for report in part[1]]
    more = [item for part in parts for item in part[2]]
    articles = [result.article for result in results if result.article is not None]
    return results, finish(reports, articles, config, more)
