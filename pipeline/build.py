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


def check_paths(paths: list[Path], config: Config) -> CheckResult:
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    results = load_articles(paths, config)
    return CheckResult(results, run_checks(results, config))


def publishable(articles: list[Article], today: dt.date, tz: dt.tzinfo) -> list[Article]:
    """Published articles, newest first; ties broken by slug so order never depends on disk."""
    chosen = [a for a in articles if a.is_published(today, tz)]
    return sorted(chosen, key=lambda a: (-a.date.timestamp(), a.slug))


def render_all(ctx: RenderContext) -> dict[str, bytes]:
    from pipeline.render import email, feeds, social

    files: dict[str, bytes] = {}
    for renderer in (email, feeds, social):
        files.update(renderer.render(ctx))
    return files


def build(
    articles_dir: Path,
    output_dir: Path,
    config: Config,
    *,
    templates_dir: Path | None = None,
    today: dt.date | None = None,
) -> BuildResult:
    """Check every article, render every output, verify it, and swap it into ``output_dir``.

    Raises ContentError (with the findings) if any check fails: nothing is written then.
    """
    from pipeline import output, verify

    started = time.perf_counter()
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
                        make_environment(templates_dir))
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
