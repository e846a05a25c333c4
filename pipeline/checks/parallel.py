"""Checking a large folder on every core.

Loading and checking one article is independent of every other article, so workers forked
from this process (they inherit the loaded rules and configuration, nothing is re-imported)
each load and check a share of the files, and this process checks its own share meanwhile.
Only the findings and a slim copy of each article (no text, parsed tokens or HTML) travel
back; corpus rules (duplicate slugs), severities and suppressions are then applied here,
exactly as a single-process run applies them. With a ``CheckCache``, files that did not
change since the last run are not checked again at all.

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
from pathlib import Path

from pipeline.articles import Article, LoadResult, load_article
from pipeline.checks import (
    ArticleReport,
    check_article,
    finish,
    load_rules,
    prepare_rules,
    validate_rule_config,
)
from pipeline.checks.check_cache import CheckCache
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
    article = result.article.without_tokens(rendering=False)
    return LoadResult(result.path, result.display_path, article, result.findings)


Share = tuple[list[tuple[LoadResult, ArticleReport]], list[Finding]]


def _check_share(paths: list[Path]) -> Share:
    """Each file's slim result and report, and the extra findings for the share's articles."""
    assert _JOB is not None
    config, extra = _JOB
    results = [load_article(path, config) for path in paths]
    reports = [check_article(result, config) for result in results]
    articles = [result.article for result in results if result.article is not None]
    more = extra(articles) if extra else []
    return [(_slim(result), report) for result, report in zip(results, reports, strict=True)], more


@contextmanager
def _no_collections() -> Iterator[None]:
    """Keep the cyclic garbage collector off while checking.

    Checking builds many small objects that all live to the end (every article's tokens), and
    the collector would rescan them again and again, about a twentieth of the run. Loading
    and checking make no reference cycles (a run over 1,000 articles leaves none to collect),
    so nothing accumulates meanwhile; plain reference counting frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_files(files: list[Path], config: Config, jobs: int = 0, extra: Extra | None = None,
                cache: CheckCache | None = None) -> tuple[list[LoadResult], list[Finding]]:
    """Load and check ``files``; ``extra`` adds findings for a list of articles (never
    cached). The returned articles are slim (no body text, tokens, HTML or text blocks):
    enough to report and fix, not to render. ``cache`` supplies the unchanged files' results.
    """
    global _JOB
    load_rules()
    validate_rule_config(config)
    with _no_collections():
        known = cache.lookup(files) if cache is not None else {}
        todo = [path for path in files if path not in known]
        count = workers_for(len(todo), jobs)
        shares = [todo[i * len(todo) // count:(i + 1) * len(todo) // count]
                  for i in range(count)]
        _JOB = (config, extra)
        try:
            if count == 1:
                parts = [_check_share(todo)]
            else:
                prepare_rules()  # compiled once here, shared by the forked workers
                with multiprocessing.get_context("fork").Pool(count - 1) as pool:
                    pending = pool.map_async(_check_share, shares[1:])
                    parts = [_check_share(shares[0]), *pending.get()]
        finally:
            _JOB = None
        done = dict(zip(todo, (entry for part in parts for entry in part[0]), strict=True))
        if cache is not None:
            for path, entry in done.items():
                cache.record(path, entry)
            cache.save()
        entries = [known[path] if path in known else done[path] for path in files]
        results = [result for result, _report in entries]
        more = [item for part in parts for item in part[1]]
        reused = [known[path][0].article for path in files if path in known]
        if extra is not None:
            more += extra([article for article in reused if article is not None])
        articles = [result.article for result in results if result.article is not None]
        return results, finish([report for _result, report in entries], articles, config, more)
