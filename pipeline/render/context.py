"""What every renderer receives: the configuration, the published articles as plain views,
and the template environment."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import jinja2
import regex

from pipeline.articles import Article
from pipeline.assets import Asset
from pipeline.body import Body
from pipeline.compose import EditionPlan
from pipeline.config import Config, UtmConfig
from pipeline.editions import History
from pipeline.markup import Block
from pipeline.output import Stored
from pipeline.render.social_text import key_points

WORDS_PER_MINUTE = 230  # a common adult silent-reading speed for non-fiction
# A word is a run of letters or digits; each Chinese or Japanese character reads as one word.
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}"
_WORD = regex.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['’-][^\W{_CJK}]+)*")

T = TypeVar("T")
Memo = Callable[[tuple[object, ...], Callable[[], T]], T]
# A rendered file: its bytes, or a file an earlier build made from the same inputs.
Reuse = Callable[[tuple[object, ...], Callable[[], bytes]], "bytes | Stored"]


@dataclass(frozen=True, slots=True)
class ArticleView:
    slug: str
    title: str
    url: str
    date: dt.datetime
    updated: dt.datetime | None
    author: str
    summary: str
    lead: str
    tags: tuple[str, ...]
    disclaimer: str
    disclaimer_id: str
    image_url: str | None
    image_alt: str | None
    word_count: int
    reading_minutes: int
    # Its key points for posts (``social_text.key_points``), taken while the body is at hand:
    # a post's inputs are then known without reading the body back.
    points: tuple[str, ...] = ()
    body: Body = field(default_factory=Body)

    @property
    def html(self) -> str:
        return self.body.content[0]

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Visible text blocks (headings, paragraphs) for renderers that quote the article."""
        return self.body.content[1]


def _fingerprint(parts: tuple[object, ...]) -> bytes:
    from pipeline.cache import digest

    return digest(*parts)


class Written(Protocol):
    """The files this build has written so far (``output.Tree`` is one)."""

    def read(self, relative: str) -> bytes: ...

    def digest(self, relative: str) -> bytes:
        """``output.digest_of`` the file's bytes, known without reading them."""
        ...


class _NothingWritten:
    def read(self, relative: str) -> bytes:
        raise KeyError(f"{relative} was not written by this build")

    digest = read


@dataclass(frozen=True)
class RenderContext:
    config: Config
    articles: list[ArticleView]  # published only, newest first
    env: jinja2.Environment
    # Files copied from articles/ (images), by path under the web root: "<slug>/images/x.png".
    assets: dict[str, Asset] = field(default_factory=dict)
    # Reuses a result rendered from the same inputs by an earlier build (the build cache):
    # ``memo(key_parts, compute)``; the parts must name everything the result depends on
    # beyond the code, configuration and templates, which the build adds itself.
    memo: Memo = field(default=lambda parts, compute: compute())
    # The sent editions, and the edition this build composes (see pipeline.compose); without
    # one, the newsletter is edition 1, dated its lead article's day.
    history: History = field(default_factory=History.empty)
    edition: EditionPlan[ArticleView] | None = None
    # Like ``memo``, for a whole file: where an earlier build made the same file, gives a
    # ``Stored`` (its size and digest; its bytes stay on disk) instead of rendering it again.
    reuse: Reuse = field(default=lambda parts, compute: compute())
    # A digest of parts (article views by their own digest), as ``memo`` and ``reuse`` key
    # them: one part standing for many, made once where many keys share them (a topic's
    # articles in the key of each of its pages).
    fingerprint: Callable[[tuple[object, ...]], bytes] = field(default=_fingerprint)
    # The files this build has written. The articles' files are written first, so a kind's
    # publication files may gather its own articles' files (the spreadsheet of posts).
    written: Written = field(default_factory=_NothingWritten)

    @property
    def disclaimers(self) -> list[str]:
        """Each distinct disclaimer of the included articles, in first-use order."""
        return list(dict.fromkeys(article.disclaimer for article in self.articles))


def make_view(article: Article, config: Config) -> ArticleView:
    url = config.article_url(article.slug)
    image_url = urljoin(url, article.image) if article.image else None
    words = sum(len(_WORD.findall(block.text)) for block in article.blocks)
    return ArticleView(
        slug=article.slug,
        title=article.title,
        url=url,
        date=article.date,
        updated=article.updated,
        author=article.author or config.site.author,
        summary=article.description,
        lead=article.lead,
        tags=tuple(article.tags),
        disclaimer=config.disclaimers[article.disclaimer_id].text,
        disclaimer_id=article.disclaimer_id,
        image_url=image_url,
        image_alt=article.image_alt,
        word_count=words,
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
        points=key_points(tuple(article.blocks), config.disclaimers[article.disclaimer_id].text),
        body=Body(article.rendered_html(), tuple(article.blocks)),
    )


def with_utm(url: str, utm: UtmConfig | None, content: str | None = None) -> str:
    """Add utm_* parameters, keeping any query the URL already has."""
    if utm is None or not any((utm.source, utm.medium, utm.campaign)):
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    extra = [("utm_source", utm.source), ("utm_medium", utm.medium),
             ("utm_campaign", utm.campaign), ("utm_content", content)]
    present = {key for key, _ in query}
    query += [(key, value) for key, value in extra if value and key not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))
