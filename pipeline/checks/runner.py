"""The one way articles are checked, by ``pipeline check`` and ``pipeline build`` alike.

Each file is a unit of work: load it, run every per-article rule and, for a build, make the
view the renderers read. A unit whose inputs did not change is taken from the cache (its key
is the file's bytes, the path it is reported under, the configuration and the code); the
others are spread over worker processes forked from this one, which inherit the loaded and
compiled rules instead of importing them again. Only slim copies travel back (no tokens, no
body text). Image files, corpus rules (duplicate slugs), configured severities and
suppressions then run here, over every file, so a parallel or cached run reports exactly what
a serial one does.

Small inputs, and systems without ``fork`` (where a worker would import everything again),
are checked in this process.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import workers
from pipeline.articles import Article, LoadResult, find_article_files, load_article
from pipeline.cache import CACHE_DIR, Store, digest, file_digest, package_fingerprint
from pipeline.checks import (
    ArticleReport,
    check_article,
    finish,
    load_rules,
    prepare_rules,
    validate_rule_config,
)
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.findings import Finding, has_errors

if TYPE_CHECKING:  # the renderers' imports (Jinja) are not needed to check
    from pipeline.assets import Asset
    from pipeline.render.context import ArticleView

@dataclass(slots=True)
class Checked:
    """What checking one file gives: the slim article, its report, and its view if asked."""

    result: LoadResult
    report: ArticleReport
    view: ArticleView | None = None
    # The view's digest, made with it: it is part of the key of every file that shows the
    # article, and hashing 1,000 views again on every build cost 0.3 s.
    view_key: bytes = b""


@dataclass
class CheckRun:
    results: list[LoadResult]  # one per file, in order; articles are slim copies
    findings: list[Finding]
    assets: dict[str, Asset] = field(default_factory=dict)  # images, by web-root path
    views: dict[Path, ArticleView] = field(default_factory=dict)  # with ``views=True``
    view_keys: dict[Path, bytes] = field(default_factory=dict)  # each view's digest
    fresh: set[Path] = field(default_factory=set)  # checked in this run, not from the cache

    @property
    def articles(self) -> list[Article]:
        return [r.article for r in self.results if r.article is not None]

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def check_paths(paths: list[Path], config: Config, *, jobs: int = 1,
                cache_folder: Path | None = None) -> CheckRun:
    """``pipeline check``: every Markdown file under ``paths``. ``jobs`` other than 1 (0: one
    per core) spreads a large folder over processes; ``cache_folder`` keeps the results in
    its ``.pipeline-cache/check.pickle`` for the next run."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    files = find_article_files(paths)
    if not files:
        # A CI gate pointed at the wrong folder must not pass by checking nothing.
        raise UsageError(f"no Markdown articles (*.md) in {', '.join(map(str, paths))}; "
                         "pass the folders or files to check")
    store = Store(cache_folder / CACHE_DIR / "check.pickle") if cache_folder else None
    run = check_files(files, config, jobs=jobs, store=store)
    if store is not None:
        store.save()
    return run


def check_files(files: list[Path], config: Config, *, jobs: int = 1,
                store: Store | None = None, digests: Mapping[Path, bytes] | None = None,
                views: bool = False) -> CheckRun:
    """Check ``files`` (reported under the paths as given). ``store`` supplies and receives
    the units; ``digests`` are the files' digests where the caller read them already (a file
    without one is never taken from the store). ``views``: make each article's view too."""
    load_rules()
    validate_rule_config(config)
    keys: dict[Path, bytes] = {}
    if store is not None:
        base = digest("checked", package_fingerprint(), config.model_dump_json(), views)
        for path in files:
            known = digests.get(path) if digests is not None else _digest_or_none(path)
            if known is not None:
                keys[path] = digest(base, str(path), known)
    with _no_collections():
        done: dict[Path, Checked] = {}
        if store is not None:
            for path, key in keys.items():
                unit = store.get(key)
                if isinstance(unit, Checked) and _body_kept(unit):
                    done[path] = unit
        todo = [path for path in files if path not in done]
        for path, unit in zip(todo, _check_all(todo, config, jobs, views), strict=True):
            done[path] = unit
            if store is not None and path in keys:
                store.put(keys[path], unit)
        units = [done[path] for path in files]
        run = _finish(units, config)
        run.fresh = set(todo)
        return run


def _body_kept(unit: Checked) -> bool:
    """A cached view's body is still where it was kept (someone may have cleaned up)."""
    if unit.view is None or unit.view.body.key is None:
        return True
    from pipeline.body import Body

    return Body.folder is not None and (Body.folder / unit.view.body.key.hex()).is_file()


def _digest_or_none(path: Path) -> bytes | None:
    try:
        return file_digest(path)
    except OSError:
        return None  # unreadable: loading it reports why


def _finish(units: list[Checked], config: Config) -> CheckRun:
    """What needs every file at once: image files (never cached, they are not the article's
    bytes), corpus rules, severities and suppressions."""
    from pipeline import assets

    results = [unit.result for unit in units]
    articles = [result.article for result in results if result.article is not None]
    images = assets.collect(articles)
    findings = finish([unit.report for unit in units], articles, config, images.findings)
    views = {unit.result.path: unit.view for unit in units if unit.view is not None}
    keys = {unit.result.path: unit.view_key for unit in units if unit.view is not None}
    return CheckRun(results, findings, images.files, views, keys)


def check_one(path: Path, config: Config, views: bool) -> Checked:
    """Load and check one file; the parsed tokens and body text are dropped once used."""
    result = load_article(path, config)
    report = check_article(result, config)
    if result.article is None:
        return Checked(result, report)
    view, view_key = None, b""
    if views:
        from pipeline.body import Body
        from pipeline.render.context import make_view

        view = make_view(result.article, config)
        view_key = digest(view)
        view = replace(view, body=Body.keep(view.html, view.blocks))
    article = result.article.without_tokens(rendering=False)
    return Checked(LoadResult(result.path, result.display_path, article, result.findings),
                   report, view, view_key)


def _check_all(paths: list[Path], config: Config, jobs: int, views: bool) -> list[Checked]:
    count = workers.count_for(len(paths), jobs)
    if count > 1:
        prepare_rules()  # compiled once here, shared by the forked workers
    parts = workers.map_shares(
        lambda share: [check_one(path, config, views) for path in share], paths, count)
    by_path = {unit.result.path: unit for part in parts for unit in part}
    return [by_path[path] for path in paths]


@contextmanager
def _no_collections() -> Iterator[None]:
    """Keep the cyclic garbage collector off while checking.

    Checking builds many small objects that all live to the end, and the collector would
    rescan them again and again, about a twentieth of the run. Loading and checking make no
    reference cycles (a test holds this), so nothing accumulates meanwhile; plain reference
    counting frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
