"""Corpus-wide rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from pipeline.articles import RESERVED_SLUGS, Article
from pipeline.checks import Rule, corpus_rule, finding
from pipeline.config import Config
from pipeline.findings import Finding, Severity

DUPLICATE_SLUG = Rule(
    "duplicate-slug", Severity.ERROR,
    "Two articles would be published at the same URL, or an article at one the web archive "
    "uses itself.",
    "An article's URL is <site.url>/<slug>/, and the slug comes from the 'slug' key or the "
    "file name. Two articles with one slug would overwrite each other's page, feed entry and "
    "social posts. The web archive keeps its own pages under "
    + ", ".join(f"{slug}/" for slug in sorted(RESERVED_SLUGS)) + ", so no article may take "
    "those slugs (the build refuses them).\nFix: give one of them another 'slug:' (or rename "
    "the file).",
)


@corpus_rule(DUPLICATE_SLUG)
def check_duplicate_slugs(articles: list[Article], config: Config) -> Iterator[Finding]:
    by_slug: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_slug[article.slug].append(article)
    for slug, group in by_slug.items():
        if slug in RESERVED_SLUGS:
            for article in group:
                origin = "its 'slug'" if "slug" in article.key_lines else "its file name"
                yield finding(article, DUPLICATE_SLUG, article.key_lines.get("slug", 1), 1,
                              f"slug '{slug}' (from {origin}) is the web archive's own {slug}/ "
                              "folder; give the article another 'slug:'")
        if len(group) < 2:
            continue
        for article in group:
            others = ", ".join(a.display_path for a in group if a is not article)
            line = article.key_lines.get("slug", 1)
            yield finding(article, DUPLICATE_SLUG, line, 1,
                          f"slug '{slug}' is also used by {others}; give each article its own slug")
