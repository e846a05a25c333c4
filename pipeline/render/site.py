"""The web archive: one page per article, paginated lists, topic pages, sitemap and robots.txt.

Everything lands under ``site/``, the web root: an article's page is ``site/<slug>/index.html``,
served at ``config.article_url(slug)``, the address the newsletter and the feeds link to.

Links between pages are relative (``../tags/sleep/``), so the archive works wherever it is
served, including the preview server and a plain folder; only what leaves the site (canonical,
Open Graph, JSON-LD, sitemap, feed autodiscovery) uses absolute ``[site] url`` addresses.
The 404 page can be served at any depth, so its links start from the site's base path.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from pipeline import disclaimer
from pipeline.articles import RESERVED_SLUGS
from pipeline.errors import ContentError, TemplateError
from pipeline.output import Stored
from pipeline.render import feeds, newsletter_archive
from pipeline.render.context import ArticleView, RenderContext
from pipeline.render.newsletter_archive import ARCHIVE_DIR, EditionPage
from pipeline.render.proof import Proofs, html_disclaimers
from pipeline.render.templates import render_template

SITE_DIR = "site"
CSS_TEMPLATE = "site/style.css"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_HEADING = re.compile(r"<(/?)h([1-6])>")
_LEADING_H1 = re.compile(r"\A\s*<h1>(.*?)</h1>\s*", re.DOTALL)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)  # sanitized: <p> never has attributes


def article_path(slug: str) -> str:
    return f"{SITE_DIR}/{slug}/index.html"


def tag_folder(name: str) -> str:
    """A topic's folder under tags/: the same safe name its feed has under feeds/tags/
    (ASCII, never '.' or '..', no '/'), so a topic's page and feed always agree."""
    return f"tags/{feeds.tag_slug(name)}/"


@dataclass(frozen=True)
class Tag:
    name: str
    articles: list[ArticleView]

    @property
    def path(self) -> str:  # relative to the web root
        return tag_folder(self.name)


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    newer: str | None  # URL path relative to the web root
    older: str | None


def collect_tags(articles: list[ArticleView]) -> list[Tag]:
    """Every tag with its articles (newest first), sorted by name; one identity with feeds."""
    members: dict[str, list[ArticleView]] = {}
    for article in articles:
        for name in dict.fromkeys(feeds.tag_key(tag) for tag in article.tags):
            members.setdefault(name, []).append(article)
    return sorted((Tag(name, items) for name, items in members.items()),
                  key=lambda tag: (tag.name.casefold(), tag.name))


def feed_links(ctx: RenderContext, files: Collection[str],
               tag: str | None = None) -> list[feeds.FeedLink]:
    """The feeds a page announces (a topic's own first), limited to those this build wrote."""
    prefix = f"{ctx.config.site.url}/"
    return [link for link in feeds.discovery_links(ctx.config, tag)
            if link.href.startswith(prefix) and link.href[len(prefix):] in files]


def body_html(article: ArticleView) -> str:
    """The article body for a page whose h1 is the title: a repeated title goes, and
    headings move one level down if the author used h1, so the page keeps one h1. The
    paragraph holding the disclaimer gets class="disclaimer", so it can stand out. Wide
    tables and code scroll inside themselves on a phone, so keyboard users can focus them."""
    body = article.html
    leading = _LEADING_H1.match(body)
    if leading and disclaimer.visible_text(leading[1]).casefold() == article.title.casefold():
        body = body[leading.end():]
    if "<h1>" in body:
        body = _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 1)}>", body)

    def mark(paragraph: re.Match[str]) -> str:
        if disclaimer.contains(disclaimer.visible_text(paragraph[1]), article.disclaimer):
            return f'<p class="disclaimer">{paragraph[1]}</p>'
        return paragraph[0]

    body = body.replace("<pre>", '<pre tabindex="0">')
    body = body.replace("<table>", '<div class="table-wrap" role="region" aria-label="Table" '
                                   'tabindex="0"><table>').replace("</table>", "</table></div>")
    return _PARAGRAPH.sub(mark, body)


def local_src(article: ArticleView) -> str | None:
    """The hero image's src as the article page should write it: relative when the image is
    one of the article's own files, so it shows in a preview before the site is deployed."""
    if article.image_url is None:
        return None
    if article.image_url.startswith(article.url):
        return article.image_url[len(article.url):]
    return article.image_url


def json_ld(ctx: RenderContext, article: ArticleView) -> Markup:
    """schema.org Article data; htmlsafe_json_dumps escapes <, >, & and ' as \\u escapes, so
    no title can close the script element ('</script>') or open a comment."""
    site = ctx.config.site
    publisher: dict[str, object] = {"@type": "Organization", "name": site.title,
                                    "url": f"{site.url}/"}
    if site.logo:
        publisher["logo"] = {"@type": "ImageObject", "url": urljoin(f"{site.url}/", site.logo)}
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "url": article.url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.url},
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "author": {"@type": "Person", "name": article.author},
        "publisher": publisher,
        "inLanguage": site.language,
        "wordCount": article.word_count,
        "timeRequired": f"PT{article.reading_minutes}M",
    }
    if article.image_url:
        data["image"] = [article.image_url]
    if article.tags:
        data["keywords"] = list(article.tags)
    return htmlsafe_json_dumps(data, dumps=json.dumps, ensure_ascii=False, indent=2)


class _Pages:
    """Renders pages with what every page's template receives."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self.css = css = self._css()
        site_feeds = feed_links(ctx, feeds.site_paths(ctx))
        self.base = {
            "site": ctx.config.site,
            "feed_links": site_feeds,  # for feeds/autodiscovery.html.j2; a topic's first
            "site_feed": site_feeds[0] if site_feeds else None,
            "short_disclaimer": ctx.config.social.short_disclaimer,
            "css_version": hashlib.sha256(css).hexdigest()[:10],
            "date_text": lambda moment: moment.strftime("%-d %B %Y"),
            "tag_path": tag_folder,
        }

    @cached_property
    def files(self) -> set[str]:
        """Every feed the build writes, for the topic pages. The article phase never asks:
        its pages announce only the publication's own feeds, and each worker would walk
        every article's tags for them (57,600 tag lookups per worker at 10,000 articles)."""
        return feeds.paths(self.ctx)

    def _css(self) -> bytes:
        env = self.ctx.env
        try:
            source = env.loader.get_source(env, CSS_TEMPLATE)[0]  # type: ignore[union-attr]
        except Exception as exc:  # TemplateNotFound, or an unreadable user file
            raise TemplateError(f"{CSS_TEMPLATE}: cannot read the stylesheet: {exc}") from None
        return source.encode("utf-8")

    def render(self, template: str, path: str, *, canonical: str | None,
               root: str | None = None, **context: object) -> tuple[str, bytes]:
        """One page, ``site/<path>``; ``root`` defaults to the path's way back up."""
        if root is None:
            root = "../" * path.count("/")
        page = render_template(self.ctx.env, f"site/{template}",
                               **{**self.base, "root": root, "canonical": canonical, **context})
        return f"{SITE_DIR}/{path}", page.encode("utf-8")

    def render_reused(self, key: tuple[object, ...], template: str, path: str, *,
                      canonical: str | None, **context: object) -> tuple[str, bytes | Stored]:
        """``render``, reused from an earlier build when ``key`` is the same: it must name
        every value the template receives (article views as parts of their own, so that
        each is hashed once per build however many pages show it, or within a part made by
        ``ctx.fingerprint``)."""
        def compute() -> bytes:
            return self.render(template, path, canonical=canonical, **context)[1]

        return f"{SITE_DIR}/{path}", self.ctx.reuse(
            (template, path, canonical, self.base["feed_links"], self.base["css_version"],
             *key), compute)

    def render_article(self, article: ArticleView, newer: ArticleView | None,
                       older: ArticleView | None) -> tuple[str, bytes | Stored]:
        """An article's page: reused from an earlier build when nothing it shows changed."""
        path = f"{article.slug}/index.html"

        def compute() -> bytes:
            return self.render("article.html.j2", path, article=article,
                               body=Markup(body_html(article)), image_src=local_src(article),
                               json_ld=json_ld(self.ctx, article), newer=newer, older=older,
                               canonical=article.url)[1]

        return f"{SITE_DIR}/{path}", self.ctx.reuse(
            ("site-article", article, newer, older, self.base["feed_links"],
             self.base["css_version"]), compute)


def _paginate(items: list[ArticleView], per_page: int, base: str
              ) -> Iterator[tuple[str, list[ArticleView], Pagination]]:
    """(folder, its articles, links) for each page of a list in ``base`` ('' or 'tags/x/')."""
    count = max(1, -(-len(items) // per_page))

    def page_dir(number: int) -> str:
        return base if number == 1 else f"{base}page/{number}/"

    for number in range(1, count + 1):
        chunk = items[(number - 1) * per_page: number * per_page]
        links = Pagination(number, count,
                           page_dir(number - 1) if number > 1 else None,
                           page_dir(number + 1) if number < count else None)
        yield page_dir(number), chunk, links


def _check_slugs(articles: list[ArticleView]) -> None:
    taken = sorted(a.slug for a in articles if a.slug in RESERVED_SLUGS)
    if taken:
        raise ContentError(
            f"the slug{'s' if len(taken) > 1 else ''} {', '.join(map(repr, taken))} "
            f"{'are' if len(taken) > 1 else 'is'} used by the web archive itself "
            f"({', '.join(sorted(f'{s}/' for s in RESERVED_SLUGS))}); give the article another "
            "'slug:' in its front matter")


def sitemap(ctx: RenderContext, tags: list[Tag], editions: list[EditionPage]) -> bytes:
    site = ctx.config.site
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")

    def add(loc: str, articles: list[ArticleView]) -> None:
        entry = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = loc
        if articles:
            newest = max(a.updated or a.date for a in articles)
            ET.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = newest.isoformat()

    add(f"{site.url}/", ctx.articles)
    for article in ctx.articles:
        add(article.url, [article])
    if tags:
        add(f"{site.url}/tags/", ctx.articles)
    for tag in tags:
        add(f"{site.url}/{tag.path}", tag.articles)
    sent = [page for page in editions if page.sent]
    if sent:
        add(f"{site.url}/{ARCHIVE_DIR}/", [])
    for page in sent:
        add(f"{site.url}/{page.path}", [])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True,
                       default_namespace=SITEMAP_NS) + b"\n"


def robots(ctx: RenderContext) -> bytes:
    return (f"User-agent: *\nAllow: /\n\nSitemap: {ctx.config.site.url}/sitemap.xml\n"
            ).encode()


def render_articles(ctx: RenderContext, share: Sequence[int]
                    ) -> Iterator[tuple[str, bytes | Stored]]:
    """The page and images of each article in ``share`` (indexes into ``ctx.articles``)."""
    _check_slugs(ctx.articles)
    pages = _Pages(ctx)
    images: dict[str, list[str]] = {}
    for path in sorted(ctx.assets):
        images.setdefault(path.split("/", 1)[0], []).append(path)
    for index in share:
        article = ctx.articles[index]
        newer = ctx.articles[index - 1] if index > 0 else None
        older = ctx.articles[index + 1] if index + 1 < len(ctx.articles) else None
        yield pages.render_article(article, newer, older)
        for path in images.get(article.slug, ()):  # drafts are in no share: theirs stay out
            asset = ctx.assets[path]
            yield f"{SITE_DIR}/{path}", (Stored(asset.size, asset.digest, asset.read)
                                         if asset.digest else asset.read())


def render(ctx: RenderContext) -> Iterator[tuple[str, bytes | Stored]]:
    """Every file of the web archive but the articles' own (``render_articles``): lists,
    topics, the newsletter archive, the 404 page, the stylesheet, sitemap and robots.txt."""
    _check_slugs(ctx.articles)
    site = ctx.config.site
    pages = _Pages(ctx)
    tags = collect_tags(ctx.articles)
    # List pages are reused unless one of their articles changed: an edit re-renders the
    # index page and the tag pages that show the article, not all of them.
    for folder, chunk, links in _paginate(ctx.articles, site.per_page, ""):
        yield pages.render_reused((links, *chunk), "index.html.j2", f"{folder}index.html",
                                  articles=chunk, pagination=links,
                                  canonical=f"{site.url}/{folder}")
    yield pages.render("tags.html.j2", "tags/index.html", tags=tags,
                       canonical=f"{site.url}/tags/")
    for tag in tags:
        tag_feeds = feed_links(ctx, pages.files, tag.name)
        own_feed = f"{site.url}/{feeds.tag_path(tag.name)}"
        tag_feed = next((f for f in tag_feeds if f.href == own_feed), None)
        # Every page of a topic shows its whole list (its length, at least): the list is
        # digested once per topic, not once per page. Per page, it grew with the square of
        # a topic's size: 0.26 s of the site's 1.67 s at 3,000 articles, about 3 s at 10,000.
        members = ctx.fingerprint((tag.name, *tag.articles))
        for folder, chunk, links in _paginate(tag.articles, site.per_page, tag.path):
            yield pages.render_reused((links, tag_feeds, tag_feed, members),
                                      "tag.html.j2", f"{folder}index.html", tag=tag,
                                      articles=chunk, pagination=links,
                                      canonical=f"{site.url}/{folder}",
                                      feed_links=tag_feeds, tag_feed=tag_feed)
    editions = newsletter_archive.edition_pages(ctx)
    yield pages.render("newsletter.html.j2", f"{ARCHIVE_DIR}/index.html",
                       editions=[page for page in reversed(editions) if page.sent],
                       canonical=f"{site.url}/{ARCHIVE_DIR}/")
    for page, newer, older in newsletter_archive.with_neighbours(editions):
        yield pages.render("edition.html.j2", newsletter_archive.page_path(page.number),
                           edition=page, newer=newer, older=older,
                           canonical=newsletter_archive.archive_url(ctx.config, page.number))
    base_path = urlsplit(site.url).path.rstrip("/") + "/"
    yield pages.render("404.html.j2", "404.html", root=base_path, canonical=None)
    yield f"{SITE_DIR}/style.css", pages.css
    yield f"{SITE_DIR}/sitemap.xml", sitemap(ctx, tags, editions)
    yield f"{SITE_DIR}/robots.txt", robots(ctx)


def proofs(files: Collection[str], ctx: RenderContext) -> Proofs:
    """Which pages must carry which disclaimers, as visible text: each article's page its own,
    each newsletter edition's page those of its articles that are still published."""
    table: Proofs = {}
    for article in ctx.articles:
        table[article_path(article.slug)] = (
            html_disclaimers,
            lambda ctx, article=article: dataclasses.replace(ctx, articles=[article]))
    for page in newsletter_archive.edition_pages(ctx):
        table[f"{SITE_DIR}/{newsletter_archive.page_path(page.number)}"] = (
            html_disclaimers,
            lambda ctx, page=page: dataclasses.replace(ctx, articles=page.articles))
    return table
