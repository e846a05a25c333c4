"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), served as application/feed+json."""

from __future__ import annotations

import json
from typing import Any

from pipeline.render.feed_model import Channel, Item

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"


def _item(item: Item, language: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
    }
    if item.summary:
        data["summary"] = item.summary
    if item.image is not None:
        data["image"] = item.image.url
    data["date_published"] = item.published.isoformat()
    data["date_modified"] = item.updated.isoformat()
    data["authors"] = [{"name": item.author}]
    if item.tags:
        data["tags"] = list(item.tags)
    data["language"] = language
    image = item.image
    if image is not None and image.media_type and image.length is not None:
        attachment: dict[str, Any] = {"url": image.url, "mime_type": image.media_type,
                                      "size_in_bytes": image.length}
        if image.alt:
            attachment["title"] = image.alt
        data["attachments"] = [attachment]
    return data


def render(channel: Channel, items: list[Item], self_url: str) -> bytes:
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": channel.home_url,
        "feed_url": self_url,
        "description": channel.description,
    }
    if channel.icon:
        feed["icon"] = channel.icon
        feed["favicon"] = channel.icon
    feed["authors"] = [{"name": channel.author, "url": channel.home_url}]
    feed["language"] = channel.language
    if channel.hub:
        feed["hubs"] = [{"type": "WebSub", "url": channel.hub}]
    feed["items"] = [_item(item, channel.language) for item in items]
    # Keys keep the spec's order (not sorted) for people reading the file; emoji and every
    # other character stay literal UTF-8, which JSON allows and readers expect.
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
