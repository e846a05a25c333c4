"""Orchestration: load -> check -> render -> verify -> write, as a library API."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import shutil
import time
import zoneinfo
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ContentError, UsageError
from pipeline.findings import Finding

if TYPE_CHECKING:
    import jinja2

    # Imported where used instead: a build with nothing to do never loads the parser stack.
    from pipeline.articles import Article
    from pipeline.cache import FolderDigests, Store
    from pipeline.checks.runner import CheckRun
    from pipeline.compose import EditionPlan
    from pipeline.config import Config
    from pipeline.editions import History
    from pipeline.output import Manifest, Stored, Tree
    from pipeline.render.context import RenderContext


@dataclass
class BuildResult:
    output: Path
    files: dict[str, int]  # relative path -> size in bytes
    published: list[str]
    drafts: list[str]
    scheduled: list[str]
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # e.g. a corrupt cache that was rebuilt
    up_to_date: bool = False  # nothing changed since the last build: nothing was rewritten
    edition: int | None = None  # the newsletter edition built, if any
    edition_slugs: list[str] = field(default_factory=list)
    # No newsletter: no article is new since this sent edition (everything else was built).
    nothing_new_since: int | None = None
    written: int = 0  # files whose bytes were written; the others were already in place
    # How big the newsletter's HTML is against Gmail's clipping limit, if one was built: kept
    # here so that reporting a build that changed nothing loads no renderer.
    newsletter_size: str | None = None


def today_in(config: Config) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(config.site.timezone)).date()


def publishable(articles: list[Article], today: dt.date, tz: dt.tzinfo) -> list[Article]:
    """Published articles, newest first; ties broken by slug so order never depends on disk."""
    chosen = [a for a in articles if a.is_published(today, tz)]
    return sorted(chosen, key=lambda a: (-a.date.timestamp(), a.slug))


def plan_next_edition(articles_dir: Path, config: Config, history: History,
                      today: dt.date | None = None) -> EditionPlan[Article]:
    """What the next edition would hold if built now (articles that fail to load are left
    out: the build itself would stop on them)."""
    from pipeline.articles import load_articles
    from pipeline.compose import next_edition

    if not articles_dir.is_dir():
        raise UsageError(f"articles folder not found: {articles_dir}")
    today = today or today_in(config)
    tz = zoneinfo.ZoneInfo(config.site.timezone)
    loaded = [r.article for r in load_articles([articles_dir], config) if r.article is not None]
    return next_edition(publishable(loaded, today, tz), history, config.newsletter, tz, today)


def render_into(tree: Tree, ctx: RenderContext, store: Store, jobs: int,
                changed: Collection[int] = ()) -> None:
    """Every file of every output kind, into ``tree``.

    First each article's own files (its page, its posts), shared out over worker processes
    (``jobs`` as for checking), each share proven to carry its disclaimers as soon as it is
    written; what a worker wrote and remembered comes back to this process. Then the files of
    the whole publication (lists, topics, feeds, newsletter, spreadsheet), here, from the
    article views and what the workers remembered, never from another kind's bytes.
    """
    from pipeline import verify, workers
    from pipeline.render import renderers

    kinds = renderers()

    def articles(share: list[int]
                 ) -> tuple[tuple[Manifest, int], tuple[dict[bytes, object], set[bytes]]]:
        tree_mark, store_mark = tree.mark(), store.mark()
        for renderer in kinds:
            for path, data in renderer.render_articles(ctx, share):
                tree.add(path, data)
        added = tree.since(tree_mark)
        verify.prove(added[0], ctx, tree.read)
        return added, store.since(store_mark)

    count = workers.count_for(len(ctx.articles), jobs)
    # The articles that changed (``changed``, indexes) go first, so that after a small edit
    # this process, not a newly forked one, renders them: a fork would compile the
    # templates again and import the posts' counting libraries while this one waited.
    first = set(changed)
    order = [*sorted(first), *(index for index in range(len(ctx.articles)) if index not in first)]
    # The first article is rendered before any fork: the templates are compiled and the
    # posts' counting libraries imported once, into memory the workers then share instead of
    # each making its own (peak memory of a 10,000-article build: 13 MB less).
    articles(order[:1])
    shares = workers.map_shares(articles, order[1:], count)
    for added, remembered in shares[1:]:  # the first share was done in this process
        tree.merge(added)
        store.merge(remembered)
    whole = dataclasses.replace(ctx, written=tree)
    for renderer in kinds:
        for path, data in renderer.render(whole):
            tree.add(path, data)


def build(
    articles_dir: Path,
    output_dir: Path,
    config: Config,
    *,
    templates_dir: Path | None = None,
    today: dt.date | None = None,
    since: dt.date | None = None,
    editions_dir: Path | None = None,
    use_cache: bool = True,
    cache: Store | None = None,
    jobs: int = 0,
    progress: Callable[[str], None] = lambda message: None,
    config_file: Path | None = None,
    digests: FolderDigests | None = None,
) -> BuildResult:
    """Check every article, render every output, verify it, and swap it into ``output_dir``.

    The newsletter is the next edition after those recorded in ``editions_dir`` (see
    pipeline.compose; without records, edition 1); ``since`` picks its articles by date
    instead. ``today`` (default: today in ``[site] timezone``) decides which articles are
    published and is the edition's date. ``use_cache``
    reuses work from the previous build whose inputs did not change (``.pipeline-cache/``
    beside the output), or from ``cache`` if given (a store kept in memory by ``serve``);
    ``jobs`` is the number of processes (0: one per core, 1: serial).
    Raises ContentError (with the findings) if any check fails: nothing is written then.
    """
    from pipeline.body import Body, CacheDamaged

    arguments = dict(templates_dir=templates_dir, today=today, since=since,
                     editions_dir=editions_dir, jobs=jobs, progress=progress,
                     config_file=config_file, digests=digests)
    store = cache
    if store is None and use_cache:
        from pipeline.cache import Store

        store = Store.open(output_dir)
    try:
        return _build(articles_dir, output_dir, config, store, **arguments)  # type: ignore[arg-type]
    except CacheDamaged as exc:
        # A body file went missing or bad mid-way: the bytes are what a build without the
        # cache gives, only slower, and the next build keeps the bodies afresh.
        if Body.folder is not None:
            shutil.rmtree(Body.folder, ignore_errors=True)
        Body.folder = None
        result = _build(articles_dir, output_dir, config, None, **arguments)  # type: ignore[arg-type]
        result.notes.append(f"the cache was damaged ({exc}); built without it")
        return result
    finally:
        Body.folder = None


def _build(articles_dir: Path, output_dir: Path, config: Config, cache: Store | None, *,
           templates_dir: Path | None, today: dt.date | None, since: dt.date | None,
           editions_dir: Path | None, jobs: int, progress: Callable[[str], None],
           config_file: Path | None, digests: FolderDigests | None) -> BuildResult:
    from pipeline import cache as build_cache
    from pipeline import output
    from pipeline.body import Body

    started = time.perf_counter()
    if since is not None:
        config = config.model_copy(
            update={"newsletter": config.newsletter.model_copy(update={"since": since})})
    if not articles_dir.is_dir():
        raise UsageError(f"articles folder not found: {articles_dir}")
    protected = [articles_dir] + [folder for folder in (templates_dir, editions_dir) if folder]
    output.check_output_dir(output_dir, protected)
    dated, today = today is not None, today or today_in(config)
    store = cache or build_cache.Store.disabled()
    # With a cache, each article's body waits in a file of it until a renderer needs it.
    Body.folder = build_cache.cache_folder(output_dir, "bodies") if store.enabled else None
    inputs = _Inputs.read(articles_dir, templates_dir, config, today, editions_dir,
                          digests or build_cache.FolderDigests())
    outputs_key = build_cache.digest("outputs", inputs.key, str(output_dir.resolve()))
    unchanged = _unchanged(store.summary(), outputs_key, output_dir)
    if unchanged is not None:
        unchanged.seconds = time.perf_counter() - started
        unchanged.up_to_date = True
        unchanged.notes = []
        return unchanged

    from pipeline import verify
    from pipeline.editions import load_history

    history = load_history(editions_dir)  # a broken record stops the build before any work
    count = sum(1 for name in inputs.article_digests if name.endswith(".md"))
    progress(f"checking {count:,} articles in {articles_dir}/ ...")
    checked = _check_for_build(articles_dir, config, store, inputs, jobs)
    if not checked.ok:
        # The files checked are worth keeping: an editor fixes one error and runs the build
        # again, which would otherwise check the whole archive afresh each time.
        store.save(partial=True)
        raise ContentError("build stopped: fix the errors above; nothing was written",
                           checked.findings)
    articles = checked.articles
    tz = zoneinfo.ZoneInfo(config.site.timezone)
    published = publishable(articles, today, tz)

    from pipeline.render.context import ArticleView as ArticleViewType
    from pipeline.render.context import RenderContext

    views = [checked.views[a.path] for a in published]
    # Made with each view: an article view is in many keys (its page, its neighbours', its
    # posts, the list pages that show it).
    view_keys = {id(checked.views[a.path]): checked.view_keys[a.path] for a in published}

    def part_key(part: object) -> object:
        if not isinstance(part, ArticleViewType):
            return part
        if id(part) not in view_keys:
            view_keys[id(part)] = build_cache.digest(part)
        return view_keys[id(part)]

    def key(parts: tuple[object, ...]) -> bytes:
        return build_cache.digest(inputs.render_key, *map(part_key, parts))

    def memo(parts: tuple[object, ...], compute):  # type: ignore[no-untyped-def]
        return store.memo(key(parts), compute)

    def reuse(parts: tuple[object, ...], compute: Callable[[], bytes]) -> bytes | Stored:
        # A rendered file is remembered by its size and digest, not its bytes: those are on
        # disk, and holding them would grow the cache and the build with the archive.
        file_key = key(("file", *parts))
        known = store.get(file_key)
        if known is not None:
            return output.Stored(*known, compute)
        data = compute()
        store.put(file_key, (len(data), output.digest_of(data)))
        return data

    from pipeline.compose import next_edition

    edition = next_edition(views, history, config.newsletter, tz, today)
    # Each image's digest, read with the inputs: an image that did not change is taken from
    # the previous output, never read or written again (the first edit after a cold build
    # wrote all 1,000 images of the benchmark's archive).
    assets = {path: dataclasses.replace(asset, digest=inputs.article_digests.get(
        os.path.relpath(asset.source, articles_dir))) for path, asset in checked.assets.items()}
    # Compiled templates are kept for the next process; serve keeps its environment instead.
    compiled = build_cache.cache_folder(output_dir, "templates") if (
        store.enabled and not store.resident) else None
    env = _environment(templates_dir, inputs.render_key, compiled)
    ctx = RenderContext(config, views, env, assets, memo,
                        history, edition, reuse, key)
    # What the output and the spare hold, as written: the spare is patched into the next tree.
    last_key = build_cache.digest("last-output", str(output_dir.resolve()))
    spare_key = build_cache.digest("spare", str(output_dir.resolve()))
    previous = store.get(last_key) if store.enabled else None
    with output.build_lock(output_dir):
        output.check_output_dir(output_dir, protected)
        tree = output.Tree(output_dir,
                           build_cache.spare_folder(output_dir) if store.enabled else None,
                           store.get(spare_key) if store.enabled else None,
                           previous if isinstance(previous, dict) else None)
        progress(f"rendering {len(published):,} published articles into {output_dir}/ ...")
        try:
            render_into(tree, ctx, store, jobs,
                        {index for index, article in enumerate(published)
                         if article.path in checked.fresh})
            tree.finish()
            progress(f"proving the disclaimers are in {len(tree.manifest):,} files ...")
            verify.prove(tree.manifest, ctx, tree.read)
        except BaseException:
            tree.abandon()
            raise
        tree.swap()
    manifest, written = tree.manifest, tree.written
    result = BuildResult(
        output=output_dir,
        files={path: size for path, (size, _mtime, _digest) in sorted(manifest.items())},
        published=[a.slug for a in published],
        drafts=sorted(a.slug for a in articles if a.draft),
        scheduled=sorted(a.slug for a in articles
                         if not a.draft and a.local_date(tz) > today),
        findings=checked.findings,
        notes=[store.warning] if store.warning else [],
        edition=edition.number if edition.articles else None,
        edition_slugs=[article.slug for article in edition.articles],
        nothing_new_since=edition.last_sent if edition.nothing_new else None,
        written=written,
        newsletter_size=_newsletter_size(manifest),
    )
    if store.enabled:
        store.put(last_key, manifest)
        store.put(spare_key, previous if isinstance(previous, dict) else {})
        # Without a date given, a later run can tell "nothing changed" from the files alone.
        quick = None if config_file is None or dated else (
            _quick_key(inputs.sources, articles_dir, output_dir, config_file, since,
                       editions_dir), str(editions_dir) if editions_dir else None,
            config.site.timezone, today)
        store.set_summary((outputs_key, manifest, result, quick))
        store.save()
        if Body.folder is not None:
            build_cache.prune(Body.folder, {view.body.key.hex() for view in
                                            checked.views.values() if view.body.key})
    result.seconds = time.perf_counter() - started
    return result


def _newsletter_size(manifest: Manifest) -> str | None:
    from pipeline.render import email

    known = manifest.get(email.HTML_PATH)
    return email.size_report(known[0]) if known else None


@functools.lru_cache(maxsize=1)
def _environment(templates_dir: Path | None, render_key: bytes, compiled: Path | None
                 ) -> jinja2.Environment:
    """The templates, compiled once per process while they and the code stay the same: in
    ``pipeline serve`` compiling them again cost about 0.1 s of every rebuild. Keyed on the
    templates' digests, not their times: a new override hides a default whose file did not
    change, which Jinja's own reload check would miss."""
    from pipeline.render.templates import make_environment

    return make_environment(templates_dir, compiled)


@functools.cache
def default_template_digests() -> tuple[tuple[str, bytes], ...]:
    """The packaged default templates, by relative path: every rendered artifact depends on
    them. In a source checkout they sit outside the package, where the package's fingerprint
    does not see them; read once per process, like the rest of the pipeline's own code."""
    from pipeline.cache import tree_digests
    from pipeline.render.templates import default_templates_dir

    return tuple(sorted(tree_digests(default_templates_dir()).items()))


@dataclass(frozen=True)
class _Inputs:
    """Digests of everything a build reads, taken once."""

    key: bytes  # all of it: the whole build is unchanged when this is
    render_key: bytes  # what every rendered artifact depends on: code, config, templates
    article_digests: dict[str, bytes]  # by path relative to the articles folder
    config_key: bytes
    sources: bytes  # every file read but the configuration, and the code

    @classmethod
    def read(cls, articles_dir: Path, templates_dir: Path | None, config: Config,
             today: dt.date, editions_dir: Path | None, digests: FolderDigests) -> _Inputs:
        from pipeline.cache import digest, package_fingerprint

        config_key = digest(config.model_dump_json())
        templates = sorted(digests.of(templates_dir).items())
        articles = digests.of(articles_dir)
        editions = sorted(digests.of(editions_dir).items())
        render_key = digest(package_fingerprint(), default_template_digests(), config_key,
                            templates)
        key = digest(render_key, sorted(articles.items()), today, editions)
        return cls(key, render_key, articles, config_key,
                   _sources_key(articles, templates, editions))


def _sources_key(articles: dict[str, bytes], templates: list[tuple[str, bytes]],
                 editions: list[tuple[str, bytes]]) -> bytes:
    from pipeline.cache import digest, package_fingerprint

    return digest(package_fingerprint(), default_template_digests(), templates,
                  sorted(articles.items()), editions)


def _quick_key(sources: bytes, articles_dir: Path, output_dir: Path, config_file: Path,
               since: dt.date | None, editions_dir: Path | None) -> bytes:
    from pipeline.cache import digest

    try:
        settings: bytes | None = config_file.read_bytes()
    except FileNotFoundError:
        settings = None  # the defaults: a file made later changes the key
    return digest("quick", sources, settings, str(config_file.resolve()),
                  str(articles_dir.resolve()), str(output_dir.resolve()), since,
                  str(editions_dir.resolve()) if editions_dir else None)


def unchanged_build(articles_dir: Path, output_dir: Path, config_file: Path, *,
                    templates_dir: Path | None = None, since: dt.date | None = None,
                    digests: FolderDigests | None = None) -> BuildResult | None:
    """The last build's result if no file it read has changed since (the configuration file
    included) and its output is as it wrote it; found without loading the configuration,
    whose validation library alone takes longer to import than this check takes to run.
    ``None`` means: build."""
    from pipeline.cache import FolderDigests, Store

    started = time.perf_counter()
    digests = digests or FolderDigests()
    summary = Store.open(output_dir).summary()
    if not isinstance(summary, tuple) or len(summary) != 4 or summary[3] is None:
        return None
    key, editions, timezone, today = summary[3]
    editions_dir = Path(editions) if editions else None
    if dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date() != today:
        return None  # a scheduled article may be due, and the edition is dated
    sources = _sources_key(digests.of(articles_dir), sorted(digests.of(templates_dir).items()),
                           sorted(digests.of(editions_dir).items()))
    if _quick_key(sources, articles_dir, output_dir, config_file, since, editions_dir) != key:
        return None
    result = _unchanged(summary, summary[0], output_dir)
    if result is not None:
        result.seconds = time.perf_counter() - started
        result.up_to_date = True
        result.notes = []
    return result


def _check_for_build(articles_dir: Path, config: Config, store: Store, inputs: _Inputs,
                     jobs: int) -> CheckRun:
    from pipeline.articles import find_article_files
    from pipeline.checks.runner import check_files

    paths = find_article_files([articles_dir])
    # No digest (unreadable, or changed since): never taken from the cache.
    digests = {path: inputs.article_digests.get(str(path.relative_to(articles_dir)))
               for path in paths}
    return check_files(paths, config, jobs=jobs, store=store, views=True,
                       digests={path: key for path, key in digests.items() if key})


def _unchanged(summary: object, key: bytes, output_dir: Path) -> BuildResult | None:
    """The previous result, if the same inputs built it and its files are still as written."""
    if not isinstance(summary, tuple) or len(summary) != 4 or summary[0] != key:
        return None
    _key, manifest, result, _quick = summary
    from pipeline.output import untouched

    if not all(untouched(output_dir / path, known) for path, known in manifest.items()):
        return None
    return result
