"""Proof, after rendering, that every artifact a reader sees carries its articles' disclaimers.

Templates are user-editable, so a template that drops the disclaimer must fail the build
rather than ship. Each artifact kind is read back the way a reader's client would see it.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from pipeline import disclaimer
from pipeline.errors import ArtifactError
from pipeline.render.context import ArticleView, RenderContext

CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM_NS = "{http://www.w3.org/2005/Atom}"


def _missing(text: str, articles: list[ArticleView]) -> list[ArticleView]:
    normalized = disclaimer.normalize(text)
    return [a for a in articles if disclaimer.normalize(a.disclaimer) not in normalized]


def _verify_email_html(data: bytes, ctx: RenderContext) -> list[str]:
    text = disclaimer.visible_text(data.decode("utf-8"))
    return [f"the disclaimer of '{a.slug}'" for a in _missing(text, ctx.articles)]


def _verify_email_text(data: bytes, ctx: RenderContext) -> list[str]:
    return [f"the disclaimer of '{a.slug}'" for a in _missing(data.decode("utf-8"), ctx.articles)]


def _verify_eml(data: bytes, ctx: RenderContext) -> list[str]:
    """Both parts of the message, decoded as a mail client would, carry the disclaimers."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.default)
    problems = []
    for subtype, verifier in (("plain", _verify_email_text), ("html", _verify_email_html)):
        part = next((p for p in message.walk() if p.get_content_type() == f"text/{subtype}"),
                    None)
        if part is None:
            problems.append(f"its text/{subtype} part")
        else:
            content = part.get_content().encode("utf-8")
            problems += [f"{what} in the text/{subtype} part" for what in verifier(content, ctx)]
    return problems


def _verify_feed_entries(entries: Iterable[tuple[str, str]], ctx: RenderContext) -> list[str]:
    """Every (id, content HTML) entry of a feed must be an article's and carry its disclaimer."""
    from pipeline.render.feed_model import safe_url

    by_id = {safe_url(a.url): a for a in ctx.articles}
    problems = []
    for entry_id, html in entries:
        article = by_id.get(entry_id)
        if article is None:
            # Unmatched ids would let a feed pass unchecked: they are an error in themselves.
            problems.append(f"a known article for the entry with id {entry_id!r}")
        elif _missing(disclaimer.visible_text(html), [article]):
            problems.append(f"the disclaimer in the entry for '{article.slug}'")
    return problems


def _verify_rss(data: bytes, ctx: RenderContext) -> list[str]:
    # Without a summary, feedgen puts the content in <description> instead of content:encoded.
    return _verify_feed_entries(
        ((item.findtext("guid") or "", item.findtext(CONTENT_NS) or item.findtext("description")
          or "") for item in ET.fromstring(data).iter("item")), ctx)


def _verify_atom(data: bytes, ctx: RenderContext) -> list[str]:
    return _verify_feed_entries(
        ((entry.findtext(f"{ATOM_NS}id") or "", entry.findtext(f"{ATOM_NS}content") or "")
         for entry in ET.fromstring(data).iter(f"{ATOM_NS}entry")), ctx)


def _verify_json_feed(data: bytes, ctx: RenderContext) -> list[str]:
    return _verify_feed_entries(
        ((str(item.get("id", "")), str(item.get("content_html", "")))
         for item in json.loads(data).get("items", [])), ctx)


Verifier = Callable[[bytes, RenderContext], list[str]]
Scope = Callable[[RenderContext], RenderContext]


def _everything(ctx: RenderContext) -> RenderContext:
    return ctx


def verifiers(files: dict[str, bytes], ctx: RenderContext) -> dict[str, tuple[Verifier, Scope]]:
    """Which check reads which artifact, and which articles that artifact must cover."""
    from pipeline.render import email, feeds, newsletter_archive, site, social

    table: dict[str, tuple[Verifier, Scope]] = {
        email.HTML_PATH: (_verify_email_html, email.selected),
        email.TEXT_PATH: (_verify_email_text, email.selected),
        email.EML_PATH: (_verify_eml, email.selected),
        feeds.RSS_PATH: (_verify_rss, _everything),
        feeds.ATOM_PATH: (_verify_atom, _everything),
        feeds.JSON_PATH: (_verify_json_feed, _everything),
        social.CSV_PATH: (social.verify_csv, _everything),
    }
    for path in files:
        if path.startswith(feeds.TAGS_DIR + "/"):
            table[path] = (_verify_rss, _everything)
    for article in ctx.articles:
        # Each web page: its own article's disclaimer, as visible text; each post: the short one.
        table[site.article_path(article.slug)] = (
            _verify_email_html,
            lambda ctx, article=article: dataclasses.replace(ctx, articles=[article]))
        table[social.json_path(article.slug)] = (social.verify_json, _everything)
    for page in newsletter_archive.edition_pages(ctx):
        # Each edition's page: the disclaimer of every article in it that is still published.
        table[f"{site.SITE_DIR}/{newsletter_archive.page_path(page.number)}"] = (
            _verify_email_html,
            lambda ctx, page=page: dataclasses.replace(ctx, articles=page.articles))
    return table


def verify_artifacts(files: dict[str, bytes], ctx: RenderContext) -> None:
    """Raise ArtifactError naming every artifact that lacks a disclaimer it must carry.

    An artifact whose bytes an earlier build already proved (same path, same bytes, same
    articles to cover) is not read again: ``ctx.memo`` remembers the proof.
    """
    from pipeline.cache import digest

    problems = []
    coverage: dict[Scope, bytes] = {}
    for path, (verifier, scope) in sorted(verifiers(files, ctx).items()):
        if path not in files:
            continue
        scoped = scope(ctx)
        if scope not in coverage:
            # Digested once: thousands of artifacts share the whole-site scope, and hashing
            # its 1,000 disclaimers into each one's key cost 0.3 s per 1,000-article build.
            coverage[scope] = digest(tuple((a.slug, a.url, a.disclaimer)
                                           for a in scoped.articles))
        covered = coverage[scope]
        found = ctx.memo(("verified", path, files[path], covered),
                         lambda verifier=verifier, path=path, scoped=scoped:
                         tuple(verifier(files[path], scoped)))
        problems += [f"{path}: missing {what}" for what in found or []]
    if problems:
        raise ArtifactError(
            "a template dropped the medical disclaimer; nothing was written:\n  "
            + "\n  ".join(problems))
