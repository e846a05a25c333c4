"""Feeds: RSS 2.0 and Atom 1.0 (feedgen), JSON Feed 1.1, and one RSS feed per tag.

Where each feed lives (``feeds/...`` under the output folder and under ``[site] url``), how a
tag becomes a file name, and the ``<link rel="alternate">`` tags that let browsers and feed
readers discover the feeds from any HTML page.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from pipeline import disclaimer
from pipeline.config import Config
from pipeline.errors import ContentError
from pipeline.output import Stored
from pipeline.render import atom, jsonfeed, rss
from pipeline.render.context import ArticleView, RenderContext
from pipeline.render.feed_model import (
    Channel,
    Item,
    feed_tags,
    lead_image,
    make_channel,
    make_item,
    safe_url,
)
from pipeline.render.proof import Proofs, missing, whole_build
from pipeline.render.templates import render_template

RSS_PATH = "feeds/rss.xml"
ATOM_PATH = "feeds/atom.xml"
JSON_PATH = "feeds/feed.json"
TAGS_DIR = "feeds/tags"
DISCOVERY_TEMPLATE = "feeds/autodiscovery.html.j2"

# A tag that already is a plain lowercase ASCII slug is its own file name. Any other tag gets
# a readable ASCII part, then "--" and a hash of its exact text: plain slugs never contain
# "--", so the two kinds cannot meet, and distinct tags never share a file.
_PLAIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_PLAIN = 60
_MAX_READABLE = 40
_HASH_CHARS = 12
# Names Windows refuses as files, whatever the extension: the output may be copied there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def tag_key(tag: str) -> str:
    """Tags that look the same (composed or decomposed accents) are the same tag."""
    return unicodedata.normalize("NFC", tag)


def tag_slug(tag: str) -> str:
    """A file and URL name for any tag text: ASCII, no '/', never '.' or '..', stable."""
    text = tag_key(tag)
    if _PLAIN.fullmatch(text) and len(text) <= _MAX_PLAIN and text not in _RESERVED:
        return text
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    readable = "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:_MAX_READABLE].strip("-")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    return f"{readable or 'tag'}--{digest}"


def tag_path(tag: str) -> str:
    return f"{TAGS_DIR}/{tag_slug(tag)}.xml"


def feed_url(config: Config, path: str) -> str:
    """Where a file under the output's feeds/ is served: ``[site] url`` + its path."""
    return f"{config.site.url}/{path}"


def tag_page_url(config: Config, tag: str) -> str:
    """The web archive's page for a tag (``tags/<slug>/``, the same name as its feed)."""
    return f"{config.site.url}/tags/{tag_slug(tag)}/"


@dataclass(frozen=True, slots=True)
class FeedLink:
    href: str
    type: str
    title: str


def discovery_links(config: Config, tag: str | None = None) -> list[FeedLink]:
    """The feeds an HTML page should announce; a tag's own feed first on that tag's pages."""
    title = config.site.title
    links = [
        FeedLink(feed_url(config, RSS_PATH), rss.MEDIA_TYPE, f"{title} (RSS)"),
        FeedLink(feed_url(config, ATOM_PATH), atom.MEDIA_TYPE, f"{title} (Atom)"),
        FeedLink(feed_url(config, JSON_PATH), jsonfeed.MEDIA_TYPE, f"{title} (JSON Feed)"),
    ]
    if tag is not None:
        links.insert(0, FeedLink(feed_url(config, tag_path(tag)), rss.MEDIA_TYPE,
                                 f"{title}: {tag_key(tag)} (RSS)"))
    return links


def discovery_html(env: jinja2.Environment, config: Config, tag: str | None = None) -> Markup:
    """The ``<link rel="alternate">`` tags for a page's ``<head>``, from an overridable template."""
    html = render_template(env, DISCOVERY_TEMPLATE, feed_links=discovery_links(config, tag))
    return Markup(html)  # the template is autoescaped: this is markup, not text


def _tag_groups(articles: list[ArticleView], limit: int,
                ) -> dict[str, tuple[str, list[ArticleView]]]:
    """Feed path -> (the tag as first written, its newest ``limit`` articles)."""
    groups: dict[str, tuple[str, list[ArticleView]]] = {}
    for article in articles:
        for tag in feed_tags(article):
            name, members = groups.setdefault(tag_path(tag), (tag_key(tag), []))
            if tag_key(tag) != name:  # two tags whose 48-bit hashes meet: never seen yet
                raise ContentError(f"tags {name!r} and {tag!r} would share the feed "
                                   f"{tag_path(tag)}; rename one of them")
            if len(members) < limit and (not members or members[-1] is not article):
                members.append(article)
    return groups


def site_paths(ctx: RenderContext) -> set[str]:
    """The publication's own feeds, which this build writes: none without articles (see
    ``render``)."""
    return {RSS_PATH, ATOM_PATH, JSON_PATH} if ctx.articles else set()


def paths(ctx: RenderContext) -> set[str]:
    """Every feed this build writes, the topics' too. It walks the whole archive: a worker
    rendering its share of articles never asks (see ``site_paths``)."""
    if not ctx.articles:
        return set()
    return {*site_paths(ctx), *_tag_groups(ctx.articles, ctx.config.feeds.max_items)}


def render_articles(ctx: RenderContext, share: Sequence[int]) -> Iterator[tuple[str, bytes]]:
    """No file of a feed is one article's."""
    return iter(())


def render(ctx: RenderContext) -> Iterator[tuple[str, bytes | Stored]]:
    """Every feed, each reused from an earlier build unless one of its entries changed: an
    edit re-renders only the feeds that show the article (rendering all 15 feeds of the
    benchmark's publication took 0.15 s of every one-article rebuild)."""
    if not ctx.articles:
        return  # an Atom feed needs an 'updated' date, and only articles can give one
    config = ctx.config
    limit = config.feeds.max_items
    groups = _tag_groups(ctx.articles, limit)
    # Each article's entry is rendered once, and only if some feed shows it: in a large
    # archive most articles are in no feed's newest ``max_items``.
    items: dict[int, Item] = {}

    def entries(articles: list[ArticleView]) -> list[Item]:
        return [items.get(id(a)) or items.setdefault(id(a), make_item(ctx, a)) for a in articles]

    def reused(path: str, members: list[ArticleView], make: Callable[[], bytes]
               ) -> tuple[str, bytes | Stored]:
        # An enclosure's length is its image file's size, which the view does not hold.
        images = tuple(lead_image(ctx, article) for article in members)
        return path, ctx.reuse(("feed", path, images, *members), make)

    def main_feed(render_feed: Callable[[Channel, list[Item], str], bytes], path: str
                  ) -> Callable[[], bytes]:
        def make() -> bytes:
            newest = entries(ctx.articles[:limit])
            return render_feed(make_channel(config, newest), newest, feed_url(config, path))
        return make

    newest = ctx.articles[:limit]
    yield reused(RSS_PATH, newest, main_feed(rss.render, RSS_PATH))
    yield reused(ATOM_PATH, newest, main_feed(atom.render, ATOM_PATH))
    yield reused(JSON_PATH, newest, main_feed(jsonfeed.render, JSON_PATH))
    for path, (tag, members) in sorted(groups.items()):
        def make(path: str = path, tag: str = tag, members: list[ArticleView] = members
                 ) -> bytes:
            chosen = entries(members)
            tag_channel = make_channel(config, chosen, title=f"{config.site.title}: {tag}",
                                       home_url=tag_page_url(config, tag))
            return rss.render(tag_channel, chosen, feed_url(config, path))
        yield reused(path, members, make)


# --- Proof, read back from the files (pipeline.verify) -----------------------------------------

_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_ATOM = "{http://www.w3.org/2005/Atom}"


def _verify_entries(entries: Iterable[tuple[str, str]], ctx: RenderContext) -> list[str]:
    """Every (id, content HTML) entry of a feed must be an article's and carry its disclaimer.
    (A memo shared by the feeds saved 1.7-2.4% of a cold build: not kept, see the history.)"""
    listed = list(entries)
    by_id = _articles_by_id({entry_id for entry_id, _html in listed}, ctx.articles)
    problems = []
    for entry_id, html in listed:
        article = by_id.get(entry_id)
        if article is None:
            # Unmatched ids would let a feed pass unchecked: they are an error in themselves.
            problems.append(f"a known article for the entry with id {entry_id!r}")
        elif missing(disclaimer.visible_text(html), [article]):
            problems.append(f"the disclaimer in the entry for '{article.slug}'")
    return problems


def _articles_by_id(wanted: set[str], articles: list[ArticleView]) -> dict[str, ArticleView]:
    """The article behind each wanted entry id (an id is ``safe_url(article.url)``).

    Looked up by address first, so that each of a build's feeds costs its entries, not the
    whole archive: converting every article's address for every feed took 0.76 s of a
    1,000-article build with 15 feeds, and grows with tags times articles. Only ids left
    unmatched (an address ``safe_url`` changes, or no article at all) convert them all.
    """
    by_url = {article.url: article for article in articles}
    found = {entry_id: by_url[entry_id] for entry_id in wanted
             if entry_id in by_url and safe_url(entry_id) == entry_id}
    if len(found) < len(wanted):
        found |= {entry_id: article for article in articles
                  if (entry_id := safe_url(article.url)) in wanted and entry_id not in found}
    return found


def verify_rss(data: bytes, ctx: RenderContext) -> list[str]:
    # Without a summary, feedgen puts the content in <description> instead of content:encoded.
    return _verify_entries(
        ((item.findtext("guid") or "", item.findtext(_CONTENT_ENCODED)
          or item.findtext("description") or "") for item in ET.fromstring(data).iter("item")),
        ctx)


def verify_atom(data: bytes, ctx: RenderContext) -> list[str]:
    return _verify_entries(
        ((entry.findtext(f"{_ATOM}id") or "", entry.findtext(f"{_ATOM}content") or "")
         for entry in ET.fromstring(data).iter(f"{_ATOM}entry")), ctx)


def verify_json_feed(data: bytes, ctx: RenderContext) -> list[str]:
    return _verify_entries(
        ((str(item.get("id", "")), str(item.get("content_html", "")))
         for item in json.loads(data).get("items", [])), ctx)


def proofs(files: Collection[str], ctx: RenderContext) -> Proofs:
    """Every entry of every feed (the tag feeds included) is a published article's and
    carries its disclaimer."""
    table: Proofs = {
        RSS_PATH: (verify_rss, whole_build),
        ATOM_PATH: (verify_atom, whole_build),
        JSON_PATH: (verify_json_feed, whole_build),
    }
    for path in files:
        if path.startswith(TAGS_DIR + "/"):
            table[path] = (verify_rss, whole_build)
    return table
