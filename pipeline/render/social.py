"""Social snippets: one post per article per platform, fitted to how each platform counts.

Fitting renders the platform's template with ever shorter material, in order of what to
give up first: hashtags, then trailing sentences, then trailing words (with an ellipsis), then
the title's tail. The first rendering that the platform's own counter accepts wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex

from pipeline.errors import TemplateError
from pipeline.render.context import ArticleView, RenderContext, with_utm
from pipeline.render.templates import render_template

URL_RE = re.compile(r"https?://\S+")
ELLIPSIS = "\u2026"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


def _x_length(text: str) -> int:
    from twitter_text import parse_tweet  # implements X's official weighting

    return parse_tweet(text).weightedLength


def _graphemes_url_23(text: str) -> int:
    # Mastodon counts grapheme clusters, and every URL as 23 whatever its length.
    return len(graphemes(URL_RE.sub("x" * 23, text)))


def _bluesky_length(text: str) -> int:
    return len(graphemes(text))


@dataclass(frozen=True)
class Platform:
    name: str
    limit: int
    count: Callable[[str], int]


PLATFORMS: dict[str, Platform] = {
    "x": Platform("x", 280, _x_length),
    "bluesky": Platform("bluesky", 300, _bluesky_length),
    "mastodon": Platform("mastodon", 500, _graphemes_url_23),
    "linkedin": Platform("linkedin", 3000, len),
}


def hashtag(tag: str) -> str | None:
    """'neck-pain' -> '#NeckPain': letters and digits only, each word capitalized."""
    words = regex.findall(r"[\p{L}\p{M}\p{N}]+", tag)
    body = "".join(word[:1].upper() + word[1:] for word in words)
    if not body or body.isdigit():
        return None
    return "#" + body


def _shorter_texts(text: str) -> Iterator[str]:
    """The text, then fewer whole sentences, then fewer whole words with an ellipsis."""
    text = " ".join(text.split())
    yield text
    sentences = _SENTENCE_END.split(text)
    for count in range(len(sentences) - 1, 0, -1):
        yield " ".join(sentences[:count])
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        yield " ".join(words[:count]).rstrip(",;:-\u2013\u2014") + ELLIPSIS
    clusters = graphemes(words[0]) if words else []
    for count in range(len(clusters) - 1, 0, -1):  # a single giant word: whole clusters only
        yield "".join(clusters[:count]) + ELLIPSIS


@dataclass(frozen=True)
class Snippet:
    platform: str
    text: str
    link: str
    length: int
    limit: int


def _candidates(article: ArticleView, tags: list[str]) -> Iterator[tuple[str, str, list[str]]]:
    for keep in range(len(tags), -1, -1):
        yield article.title, article.summary, tags[:keep]
    for hook in _shorter_texts(article.summary):
        yield article.title, hook, []
    for title in _shorter_texts(article.title):
        yield title, "", []


def render_snippet(ctx: RenderContext, article: ArticleView, platform: Platform) -> Snippet:
    social = ctx.config.social
    link = with_utm(article.url, social.utm.get(platform.name), None)
    tags = [tag for tag in map(hashtag, article.tags) if tag][: social.max_hashtags]
    name = f"social/{platform.name}.txt.j2"
    candidates = list(_candidates(article, tags))

    def text_of(index: int) -> str:
        title, hook, chosen = candidates[index]
        return render_template(
            ctx.env, name, article=article, title=title, hook=hook, hashtags=chosen, link=link,
            short_disclaimer=social.short_disclaimer, site=ctx.config.site).strip()

    def fits(index: int) -> bool:
        return platform.count(text_of(index)) <= platform.limit

    # Candidates shrink as the index grows, so the longest one that fits is found by bisection.
    low, high = 0, len(candidates) - 1
    if not fits(high):
        raise _unfit(platform, name, text_of(high))
    while low < high:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle + 1
    text = text_of(low)
    return Snippet(platform.name, text, link, platform.count(text), platform.limit)


def _unfit(platform: Platform, template: str, text: str) -> TemplateError:
    return TemplateError(
        f"{template}: even the shortest post is {platform.count(text)} long, over "
        f"{platform.name}'s limit of {platform.limit}; shorten the template's fixed text")


def render(ctx: RenderContext) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for article in ctx.articles:
        posts = {name: render_snippet(ctx, article, platform).text
                 for name, platform in PLATFORMS.items()}
        files[f"social/{article.slug}.json"] = (
            json.dumps(posts, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
