"""What every feed says about the publication and each article, computed once per build.

``rss.py``, ``atom.py`` and ``jsonfeed.py`` only serialize these values, so the three formats
and every tag feed agree on ids, dates, text and URLs, and each article's content is rendered
and sanitized once however many feeds carry it.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from pipeline import markup
from pipeline.config import Config
from pipeline.render.context import ArticleView, RenderContext
from pipeline.render.templates import render_template

ENTRY_TEMPLATE = "feeds/entry.html.j2"
GENERATOR = "wellness-pipeline"

# XML 1.0 cannot carry these at all, not even as &#n; references: C0 controls other than tab,
# newline and carriage return, the non-characters U+FFFE/U+FFFF and lone surrogates. It allows
# but discourages DEL and the C1 controls, which readers turn into other characters (feedparser
# reads U+0091 as a Windows-1252 quote). None is visible text, so every feed drops them all,
# the same way in all three formats.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Characters a URL may carry as they are; everything else (spaces, quotes, non-ASCII) is
# percent-encoded. '%' is kept so that URLs already encoded are not encoded twice.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~"
# The lead-image types the archive accepts (pipeline/assets.py), by extension; a fixed table
# rather than the mimetypes module, whose answers depend on the machine's /etc/mime.types.
_PLAIN_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
IMAGE_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif",
}


def xml_text(text: str) -> str:
    """Text as every feed format can carry it: only XML-forbidden characters are removed."""
    return _NOT_XML.sub("", text)


def safe_url(url: str) -> str:
    """A URL as feeds need it: ASCII only, with no space or quote left unencoded."""
    parts = urlsplit(xml_text(url).strip())
    netloc = parts.netloc
    if not netloc.isascii() and parts.hostname:
        try:  # an internationalized domain name goes into its DNS (punycode) form
            host = parts.hostname.encode("idna").decode("ascii")
            netloc = host + (f":{parts.port}" if parts.port else "")
        except (UnicodeError, ValueError):
            netloc = quote(netloc, safe=_URL_SAFE)
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=_URL_SAFE),
                       quote(parts.query, safe=_URL_SAFE), quote(parts.fragment, safe=_URL_SAFE)))


def absolute_url(base: str, url: str) -> str:
    """``url`` resolved the way a browser on ``base`` resolves it, and safe to print in XML."""
    return safe_url(urljoin(base, url.strip()))


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    media_type: str | None  # None when the URL's extension does not say
    length: int | None  # bytes; known only for images the build publishes itself
    alt: str


@dataclass(frozen=True, slots=True)
class Item:
    id: str  # the article's permanent URL: never changes, so readers never show it twice
    url: str
    title: str
    summary: str  # plain text
    content_html: str  # sanitized, every URL absolute
    published: dt.datetime  # in the configured time zone
    updated: dt.datetime  # never before published
    author: str
    tags: tuple[str, ...]
    image: Image | None


@dataclass(frozen=True, slots=True)
class Channel:
    title: str
    home_url: str
    description: str
    language: str
    author: str
    email: str
    icon: str | None
    logo: str | None
    hub: str | None
    published: dt.datetime  # newest item's publication
    updated: dt.datetime  # newest change to any item: the clock never enters a feed


def _web_root_path(config: Config, url: str) -> str | None:
    """The path under the web root that a URL on the publication's own site names."""
    root = config.site.url + "/"
    if not url.startswith(root):
        return None
    return unquote(urlsplit(url).path[len(urlsplit(root).path):])


def lead_image(ctx: RenderContext, article: ArticleView) -> Image | None:
    if not article.image_url:
        return None
    url = safe_url(article.image_url)
    media_type = IMAGE_TYPES.get(PurePosixPath(urlsplit(url).path).suffix.lower())
    # Images the build publishes itself are in ctx.assets, with the exact size an enclosure
    # needs. Renderers never read files themselves.
    local = _web_root_path(ctx.config, article.image_url)
    asset = ctx.assets.get(local) if local is not None else None
    return Image(url, media_type, asset.size if asset is not None else None,
                 xml_text(article.image_alt or ""))


def entry_html(ctx: RenderContext, article: ArticleView) -> str:
    """The entry's content: the feed template's HTML, sanitized, every URL made absolute."""
    return ctx.memo(("feed-entry", article), lambda: _entry_html(ctx, article))


def _entry_html(ctx: RenderContext, article: ArticleView) -> str:
    html = render_template(ctx.env, ENTRY_TEMPLATE, article=article, site=ctx.config.site)
    return xml_text(markup.sanitize(html, rewrite_url=lambda url: absolute_url(article.url, url)))


def feed_tags(article: ArticleView) -> tuple[str, ...]:
    """The article's tags as feeds carry them (a tag of removed characters only is dropped)."""
    return tuple(tag for tag in map(xml_text, article.tags) if tag.strip())


def make_item(ctx: RenderContext, article: ArticleView) -> Item:
    """One article as every feed shows it. A title or author of nothing but removed characters
    (which the checks never let through from a file) falls back to the slug or the site's
    author: every format needs both non-empty."""
    zone = zoneinfo.ZoneInfo(ctx.config.site.timezone)
    title = xml_text(article.title)
    published = article.date.astimezone(zone)
    # An 'updated' before the publication date is a typo; readers would sort the entry wrongly.
    updated = max(published, article.updated.astimezone(zone)) if article.updated else published
    return Item(
        id=safe_url(article.url),
        url=safe_url(article.url),
        title=title if title.strip() else article.slug,
        summary=xml_text(article.summary),
        content_html=entry_html(ctx, article),
        published=published,
        updated=updated,
        author=xml_text(article.author).strip() or _site_author(ctx.config),
        tags=feed_tags(article),
        image=lead_image(ctx, article),
    )


def _site_author(config: Config) -> str:
    site = config.site
    return xml_text(site.author).strip() or xml_text(site.title).strip() or site.url


def _optional_url(config: Config, value: str | None) -> str | None:
    """An icon, logo or hub URL; a relative one is relative to the site's home page."""
    if not value:
        return None
    url = absolute_url(config.site.url + "/", value)
    return url if urlsplit(url).scheme in ("http", "https") else None


def make_channel(config: Config, items: list[Item], *, title: str | None = None,
                 home_url: str | None = None) -> Channel:
    """The feed's own data; RSS requires a title and a description, so an empty [site] title
    or description falls back to the site's address or the title."""
    site = config.site
    channel_title = xml_text(title or site.title).strip() or site.url
    return Channel(
        title=channel_title,
        home_url=safe_url(home_url or site.url + "/"),
        description=xml_text(site.description).strip() or channel_title,
        language=site.language,
        author=_site_author(config),
        # RSS needs a bare address before "(Name)"; anything else would make every item's
        # <author> invalid, so the items then name their writers with dc:creator instead.
        email=site.email.strip() if _PLAIN_ADDRESS.fullmatch(site.email.strip()) else "",
        icon=_optional_url(config, config.feeds.icon),
        logo=_optional_url(config, site.logo),
        hub=_optional_url(config, config.feeds.websub_hub),
        published=max(item.published for item in items),
        updated=max(item.updated for item in items),
    )
