"""Which articles the next newsletter edition holds.

Every published article that no sent edition holds yet, newest first, at most
``[newsletter] max_articles`` (the rest wait for the next edition). Before any edition was
sent, edition 1 is simply the newest ``max_articles``; an article that was already older
than edition 1's oldest article then (the back catalogue) never becomes "new". ``--since``
overrides all of this: every article dated on or after that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from pipeline.config import NewsletterConfig
from pipeline.editions import Edition, History


class Dated(Protocol):
    @property
    def slug(self) -> str: ...

    @property
    def date(self) -> dt.datetime: ...


A = TypeVar("A", bound=Dated)


@dataclass(frozen=True)
class EditionPlan(Generic[A]):
    number: int
    date: dt.date  # the day it is composed: the build's "today"
    articles: list[A] = field(default_factory=list)
    since: dt.date | None = None  # the --since override, when given
    last_sent: int | None = None  # the newest sent edition's number

    @property
    def nothing_new(self) -> bool:
        """True when editions were sent before and no article is new since the last one."""
        return not self.articles and self.since is None and self.last_sent is not None


def order_key(date: dt.datetime, slug: str) -> tuple[float, str]:
    """The archive's order, newest first (see ``build.publishable``)."""
    return (-date.timestamp(), slug)


def _as_datetime(value: dt.datetime | dt.date, tz: dt.tzinfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    return dt.datetime.combine(value, dt.time(), tz)


def baseline(first: Edition, published: Sequence[Dated], tz: dt.tzinfo) -> tuple[float, str]:
    """Where the back catalogue starts: the order key of edition 1's oldest article (its
    recorded date, else the article's current one); without either, the day it was sent."""
    current = {article.slug: article.date for article in published}
    keys = []
    for article in first.articles:
        when = article.date if article.date is not None else current.get(article.slug)
        if when is not None:
            keys.append(order_key(_as_datetime(when, tz), article.slug))
    if keys:
        return max(keys)
    return order_key(_as_datetime(first.sent, tz), "\U0010ffff")  # anything dated that day


def next_edition(published: Sequence[A], history: History, newsletter: NewsletterConfig,
                 tz: dt.tzinfo, today: dt.date) -> EditionPlan[A]:
    """The next edition's number and articles; ``published`` is newest first."""
    last = history.last_sent
    last_number = last.number if last else None
    if newsletter.since is not None:
        since = newsletter.since
        chosen = [a for a in published if a.date.astimezone(tz).date() >= since]
        return EditionPlan(history.next_number, today, chosen, since, last_number)
    first = history.first_sent
    taken = history.sent_slugs
    start = baseline(first, published, tz) if first is not None else None
    chosen = [a for a in published if a.slug not in taken
              and (start is None or order_key(a.date, a.slug) <= start)]
    return EditionPlan(history.next_number, today, chosen[: newsletter.max_articles], None,
                       last_number)
