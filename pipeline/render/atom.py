"""Atom 1.0 (RFC 4287) through feedgen.

feedgen 1.0.0 drops the ``rel``, ``type`` and ``length`` of an entry's links (it tests the new
element instead of the given data), which would turn the lead-image enclosure into a second
"alternate" link. Entry links are therefore written by a small feedgen extension.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from pipeline import __version__
from pipeline.render.feed_model import GENERATOR, Channel, Item

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry

MEDIA_TYPE = "application/atom+xml"


def _entry_links(links: dict[str, list[dict[str, str]]]) -> type:
    """A feedgen entry extension writing each entry's links, found by the entry's id."""
    from feedgen.ext.base import BaseEntryExtension

    class EntryLinks(BaseEntryExtension):
        def extend_atom(self, entry: etree._Element) -> etree._Element:
            # feedgen writes Atom elements without a namespace and declares the Atom one as
            # the document's default with a plain xmlns attribute: do the same.
            for attributes in links.get(entry.findtext("id") or "", []):
                etree.SubElement(entry, "link", attributes)
            return entry

    return EntryLinks


def render(channel: Channel, items: list[Item], self_url: str) -> bytes:
    from feedgen.ext.base import BaseExtension
    from feedgen.feed import FeedGenerator  # heavy (lxml): imported only when feeds are built

    feed = FeedGenerator()
    # The feed's id must never change; the home page is as permanent as the articles' URLs.
    feed.id(channel.home_url)
    feed.title(channel.title)
    feed.subtitle(channel.description)
    feed.language(channel.language)  # xml:lang on <feed>
    feed.link(href=self_url, rel="self", type=MEDIA_TYPE)
    feed.link(href=channel.home_url, rel="alternate", type="text/html")
    if channel.hub:
        feed.link(href=channel.hub, rel="hub")
    feed.author(name=channel.author, email=channel.email or None)
    feed.generator(GENERATOR, version=__version__)
    if channel.icon:
        feed.icon(channel.icon)
    if channel.logo:
        feed.logo(channel.logo)
    feed.updated(channel.updated)  # feedgen would otherwise write the clock's time
    links = {item.id: _links(item) for item in items}
    feed.register_extension("links", BaseExtension, _entry_links(links), atom=True, rss=False)
    for item in items:
        _add_entry(feed.add_entry(order="append"), item)
    return feed.atom_str(pretty=True)


def _links(item: Item) -> list[dict[str, str]]:
    links = [{"href": item.url, "rel": "alternate", "type": "text/html"}]
    image = item.image
    if image is not None and image.media_type:
        link = {"href": image.url, "rel": "enclosure", "type": image.media_type}
        if image.length is not None:
            link["length"] = str(image.length)
        if image.alt:
            link["title"] = image.alt
        links.append(link)
    return links


def _add_entry(entry: FeedEntry, item: Item) -> None:
    entry.id(item.id)
    entry.title(item.title)  # type="text" (the default): markup characters stay characters
    entry.updated(item.updated)
    entry.published(item.published)
    # Name only: the publication's address is on the feed's own <author>, and Atom (unlike
    # RSS) does not need an address to accompany a name.
    entry.author(name=item.author)
    if item.summary:
        entry.summary(item.summary, type="text")
    entry.content(item.content_html, type="html")
    for tag in item.tags:
        entry.category(term=tag, label=tag)
