"""The newsletter's public archive in the web archive: ``/newsletter/`` lists the sent editions,
newest first, and ``/newsletter/<number>/`` shows each edition as sent, with every article's
medical disclaimer.

An edition's page is made from its record: the recorded titles, linked to the articles that
are still published (with their summaries); an article deleted since keeps its recorded title,
without a link. The edition this build composes gets its page too (not listed until it is
recorded as sent), so the email's "view online" link works the moment the email arrives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.config import Config
from pipeline.render.context import ArticleView, RenderContext

ARCHIVE_DIR = "newsletter"


def archive_url(config: Config, number: int) -> str:
    return f"{config.site.url}/{ARCHIVE_DIR}/{number}/"


def page_path(number: int) -> str:
    """The page's file, under the web root (``site/`` in the output)."""
    return f"{ARCHIVE_DIR}/{number}/index.html"


@dataclass(frozen=True)
class Item:
    title: str  # as recorded when the edition was sent
    article: ArticleView | None  # None: deleted or unpublished since


@dataclass(frozen=True)
class DisclaimerGroup:
    text: str
    titles: list[str]


@dataclass(frozen=True)
class EditionPage:
    number: int
    date: dt.date
    subject: str
    items: list[Item]
    sent: bool  # False: the edition this build composes, not sent yet

    @property
    def path(self) -> str:  # relative to the web root, like Tag.path
        return f"{ARCHIVE_DIR}/{self.number}/"

    @property
    def articles(self) -> list[ArticleView]:
        return [item.article for item in self.items if item.article is not None]

    @property
    def disclaimer_groups(self) -> list[DisclaimerGroup]:
        groups: dict[str, list[str]] = {}
        for item in self.items:
            if item.article is not None:
                groups.setdefault(item.article.disclaimer, []).append(item.title)
        return [DisclaimerGroup(text, titles) for text, titles in groups.items()]


def edition_pages(ctx: RenderContext) -> list[EditionPage]:
    """Every sent edition (oldest first), then the one this build composes, if any."""
    published = {article.slug: article for article in ctx.articles}
    pages = [EditionPage(edition.number, edition.sent, edition.subject,
                         [Item(a.title, published.get(a.slug)) for a in edition.articles],
                         sent=True)
             for edition in ctx.history.sent]
    plan = ctx.edition
    if plan is not None and plan.articles:
        from pipeline.render import email

        subject = email.subject(email.selected(ctx))
        pages.append(EditionPage(plan.number, plan.date, subject,
                                 [Item(a.title, a) for a in plan.articles], sent=False))
    return pages


def with_neighbours(pages: list[EditionPage]
                    ) -> Iterator[tuple[EditionPage, EditionPage | None, EditionPage | None]]:
    """(page, newer, older): sent editions link to each other; the edition not sent yet
    links back to the last sent one, but no sent page links to it."""
    sent = [page for page in pages if page.sent]
    for index, page in enumerate(sent):
        yield (page, sent[index + 1] if index + 1 < len(sent) else None,
               sent[index - 1] if index > 0 else None)
    for page in pages:
        if not page.sent:
            yield page, None, sent[-1] if sent else None
