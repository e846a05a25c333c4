"""Proof, after rendering, that every artifact a reader sees carries its articles' disclaimers.

Templates are user-editable, so a template that drops the disclaimer must fail the build
rather than ship. Each artifact kind is read back the way a reader's client would see it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from pipeline import disclaimer
from pipeline.errors import ArtifactError
from pipeline.render.context import ArticleView, RenderContext

CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"


def _missing(text: str, articles: list[ArticleView]) -> list[ArticleView]:
    normalized = disclaimer.normalize(text)
    return [a for a in articles if disclaimer.normalize(a.disclaimer) not in normalized]


def _verify_email_html(data: bytes, ctx: RenderContext) -> list[str]:
    text = disclaimer.visible_text(data.decode("utf-8"))
    return [f"the disclaimer of '{a.slug}'" for a in _missing(text, ctx.articles)]


def _verify_email_text(data: bytes, ctx: RenderContext) -> list[str]:
    return [f"the disclaimer of '{a.slug}'" for a in _missing(data.decode("utf-8"), ctx.articles)]


def _verify_rss(data: bytes, ctx: RenderContext) -> list[str]:
    by_url = {a.url: a for a in ctx.articles}
    problems = []
    for item in ET.fromstring(data).iter("item"):
        article = by_url.get(item.findtext("guid") or "")
        if article is None:
            continue
        content = disclaimer.visible_text(item.findtext(CONTENT_NS) or "")
        if _missing(content, [article]):
            problems.append(f"the disclaimer in the entry for '{article.slug}'")
    return problems


Verifier = Callable[[bytes, RenderContext], list[str]]
# path -> (verifier, which articles the artifact must cover)
VERIFIERS: dict[str, tuple[Verifier, Callable[[RenderContext], RenderContext]]] = {}


def register(path: str, verifier: Verifier,
             scope: Callable[[RenderContext], RenderContext] = lambda ctx: ctx) -> None:
    VERIFIERS[path] = (verifier, scope)


def verify_artifacts(files: dict[str, bytes], ctx: RenderContext) -> None:
    from pipeline.render import email, feeds

    register(email.HTML_PATH, _verify_email_html, email.selected)
    register(email.TEXT_PATH, _verify_email_text, email.selected)
    register(feeds.RSS_PATH, _verify_rss)
    problems = []
    for path, (verifier, scope) in sorted(VERIFIERS.items()):
        if path in files:
            problems += [f"{path}: missing {what}" for what in verifier(files[path], scope(ctx))]
    if problems:
        raise ArtifactError(
            "a template dropped the medical disclaimer; nothing was written:\n  "
            + "\n  ".join(problems))
