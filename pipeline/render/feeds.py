"""Feeds: RSS 2.0 through feedgen, with full, sanitized, absolute-URL HTML content."""

from __future__ import annotations

from urllib.parse import urljoin

from pipeline import markup
from pipeline.render.context import ArticleView, RenderContext
from pipeline.render.templates import render_template

RSS_PATH = "feeds/rss.xml"


def entry_html(ctx: RenderContext, article: ArticleView) -> str:
    """The entry's content: the feed template's HTML, sanitized, every URL made absolute."""
    html = render_template(ctx.env, "feeds/entry.html.j2", article=article, site=ctx.config.site)
    return markup.sanitize(html, rewrite_url=lambda url: urljoin(article.url, url))


def render_rss(ctx: RenderContext) -> bytes:
    from feedgen.feed import FeedGenerator  # heavy (lxml): imported only when feeds are built

    site = ctx.config.site
    items = ctx.articles[: ctx.config.feeds.max_items]
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.title(site.title)
    # feedgen writes the RSS <link> from the last link given: self first, then the site.
    feed.link(href=f"{site.url}/{RSS_PATH}", rel="self")
    feed.link(href=site.url + "/", rel="alternate")
    feed.description(site.description)
    feed.language(site.language)
    feed.generator("wellness-pipeline")
    if items:
        # The clock never enters a feed: the same articles give the same bytes.
        feed.lastBuildDate(max(a.updated or a.date for a in items))
    for article in items:
        entry = feed.add_entry(order="append")
        entry.title(article.title)
        entry.link(href=article.url)
        entry.guid(article.url, permalink=True)
        entry.pubDate(article.date)
        entry.description(article.summary)
        entry.content(entry_html(ctx, article))
        entry.author(name=article.author, email=site.email)
        for tag in article.tags:
            entry.category(term=tag)
    return feed.rss_str(pretty=True)


def render(ctx: RenderContext) -> dict[str, bytes]:
    return {RSS_PATH: render_rss(ctx)}
