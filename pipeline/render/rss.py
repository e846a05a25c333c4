"""RSS 2.0 through feedgen: the main feed and every tag feed.

feedgen covers the RSS core; two small extensions add what it lacks and validators or readers
look for: the WebSub hub as ``atom:link rel="hub"`` on the channel, and each item's
modification date as ``dcterms:modified`` (RSS itself has only ``pubDate``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from lxml import etree

from pipeline import __version__
from pipeline.render.feed_model import GENERATOR, Channel, Item

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry

ATOM_NS = "http://www.w3.org/2005/Atom"
DCTERMS_NS = "http://purl.org/dc/terms/"
MEDIA_TYPE = "application/rss+xml"


def _extensions(hub: str | None, modified: dict[str, str]) -> tuple[type, type]:
    """feedgen extension classes bound to this feed's hub and items' modification dates."""
    from feedgen.ext.base import BaseEntryExtension, BaseExtension

    class ChannelExtension(BaseExtension):
        def extend_ns(self) -> dict[str, str]:
            return {"dcterms": DCTERMS_NS}

        def extend_rss(self, feed: etree._Element) -> etree._Element:
            if hub:
                channel = feed.find("channel")
                etree.SubElement(channel, f"{{{ATOM_NS}}}link", href=hub, rel="hub")
            return feed

    class ItemExtension(BaseEntryExtension):
        def extend_rss(self, item: etree._Element) -> etree._Element:
            when = modified.get(item.findtext("guid") or "")
            if when:
                etree.SubElement(item, f"{{{DCTERMS_NS}}}modified").text = when
            return item

    return ChannelExtension, ItemExtension


def render(channel: Channel, items: list[Item], self_url: str) -> bytes:
    from feedgen.feed import FeedGenerator  # heavy (lxml): imported only when feeds are built

    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.load_extension("media", atom=False, rss=True)
    modified = {item.id: item.updated.isoformat()
                for item in items if item.updated > item.published}
    channel_ext, item_ext = _extensions(channel.hub, modified)
    feed.register_extension("pipeline", channel_ext, item_ext, atom=False, rss=True)
    feed.title(channel.title)
    # feedgen writes exactly one atom:link rel="self" (the first), and the RSS <link> from the
    # last link given: so self first, then the site.
    feed.link(href=self_url, rel="self", type=MEDIA_TYPE)
    feed.link(href=channel.home_url, rel="alternate")
    feed.description(channel.description)
    feed.language(channel.language)
    feed.generator(GENERATOR, version=__version__)
    if channel.email:
        feed.managingEditor(f"{channel.email} ({channel.author})")
    if channel.logo or channel.icon:
        feed.image(url=channel.logo or channel.icon)
    feed.pubDate(channel.published)
    # Both are set from the articles, never from the clock (feedgen defaults to now).
    feed.lastBuildDate(channel.updated)
    for item in items:
        _add_item(feed.add_entry(order="append"), channel, item)
    return feed.rss_str(pretty=True)


def _add_item(entry: FeedEntry, channel: Channel, item: Item) -> None:
    entry.title(item.title)
    entry.link(href=item.url)
    entry.guid(item.id, permalink=True)
    entry.pubDate(item.published)
    if item.summary:
        # <description> is HTML to every reader: escape the plain-text summary once more, or a
        # summary mentioning "<b>" would be read as markup.
        entry.description(html.escape(item.summary, quote=False))
    entry.content(item.content_html)  # escaped text, not CDATA: "]]>" cannot end it early
    if channel.email:
        # RSS wants "email (Name)"; the address is the publication's, the name the writer's.
        entry.author(name=item.author, email=channel.email)
    else:
        entry.dc.dc_creator(item.author)  # RSS <author> without an address is invalid
    for tag in item.tags:
        entry.category(term=tag)
    if item.image is not None:
        _add_image(entry, item)


def _add_image(entry: FeedEntry, item: Item) -> None:
    image = item.image
    assert image is not None
    media: dict[str, str] = {"url": image.url, "medium": "image"}
    if image.media_type:
        media["type"] = image.media_type
    if image.length is not None:
        media["fileSize"] = str(image.length)
    # Media RSS is what Feedly, Inoreader and NetNewsWire read for an item's picture.
    entry.media.content(group=None, **media)
    entry.media.thumbnail(url=image.url, group=None)
    if image.length is not None and image.media_type:
        # RSS requires an enclosure's exact length: only images the build publishes have one.
        entry.enclosure(image.url, str(image.length), image.media_type)
