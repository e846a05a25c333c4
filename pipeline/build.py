"""Orchestration: load -> check -> render -> verify -> write, as a library API."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.articles import Article, LoadResult, load_articles
from pipeline.checks import run_checks
from pipeline.config import Config
from pipeline.errors import ContentError, UsageError
from pipeline.findings import Finding, has_errors
from pipeline.render.context import RenderContext, make_view
from pipeline.render.templates import make_environment


@dataclass
class CheckResult:
    results: list[LoadResult]
    findings: list[Finding]
    assets: dict[str, bytes] = field(default_factory=dict)  # images, by web-root path

    @property
    def articles(self) -> list[Article]:
        return [r.article for r in self.results if r.article is not None]

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


@dataclass
class BuildResult:
    output: Path
    files: dict[str, int]  # relative path -> size in bytes
    published: list[str]
    drafts: list[str]
    scheduled: list[str]
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0


def today_in(config: Config) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(config.site.timezone)).date()


def _asset_findings(articles: list[Article]) -> list[Finding]:
    from pipeline import assets

    return assets.collect(articles).findings


def check_paths(paths: list[Path], config: Config, *, jobs: int = 1) -> CheckResult:
    """``jobs`` other than 1 (0: one per core) spreads a large folder over processes; its
    articles then come back without tokens and it collects no image bytes (fine for
    ``pipeline check``, not for rendering)."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    from pipeline import assets

    if jobs != 1:
        from pipeline.articles import find_article_files
        from pipeline.checks.parallel import check_files

        results, findings = check_files(find_article_files(paths), config, jobs,
                                        _asset_findings)
        return CheckResult(results, findings)
    results = load_articles(paths, config)
    images = assets.collect([r.article for r in results if r.article is not None])
    findings = sorted({*run_checks(results, config), *images.findings})
    return CheckResult(results, findings, images.files)


def publishable(articles: list[Article], today: dt.date, tz: dt.tzinfo) -> list[Article]:
    """Published articles, newest first; ties broken by slug so order never depends on disk."""
    chosen = [a for a in articles if a.is_published(today, tz)]
    return sorted(chosen, key=lambda a: (-a.date.timestamp(), a.slug))


def render_all(ctx: RenderContext) -> dict[str, bytes]:
    from pipeline.render import email, feeds, site, social

    files: dict[str, bytes] = {}
    for renderer in (email, feeds, social):
        files.update(renderer.render(ctx))
    # Last: the pages link the feeds this build actually wrote.
    files.update(site.render(ctx, files))
    return files


def build(
    articles_dir: Path,
    output_dir: Path,
    config: Config,
    *,
    templates_dir: Path | None = None,
    today: dt.date | None = None,
    since: dt.date | None = None,
) -> BuildResult:
    """Check every article, render every output, verify it, and swap it into ``output_dir``.

    ``since`` picks the newsletter's articles by date instead of the newest N.
    Raises ContentError (with the findings) if any check fails: nothing is written then.
    """
    from pipeline import output, verify

    started = time.perf_counter()
    if since is not None:
        config = config.model_copy(
            update={"newsletter": config.newsletter.model_copy(update={"since": since})})
    if not articles_dir.is_dir():
        raise UsageError(f"articles folder not found: {articles_dir}")
    protected = [articles_dir] + ([templates_dir] if templates_dir else [])
    output.check_output_dir(output_dir, protected)
    checked = check_paths([articles_dir], config)
    if not checked.ok:
        raise ContentError("build stopped: fix the errors above; nothing was written",
                           checked.findings)
    today = today or today_in(config)
    articles = checked.articles
    tz = zoneinfo.ZoneInfo(config.site.timezone)
    published = publishable(articles, today, tz)
    ctx = RenderContext(config, [make_view(a, config) for a in published],
                        make_environment(templates_dir), checked.assets)
    files = render_all(ctx)
    verify.verify_artifacts(files, ctx)
    with output.build_lock(output_dir):
        output.check_output_dir(output_dir, protected)
        output.write_tree(output_dir, files)
    return BuildResult(
        output=output_dir,
        files={path: len(data) for path, data in sorted(files.items())},
        published=[a.slug for a in published],
        drafts=sorted(a.slug for a in articles if a.draft),
        scheduled=sorted(a.slug for a in articles
                         if not a.draft and a.local_date(tz) > today),
        findings=checked.findings,
        seconds=time.perf_counter() - started,
    )
