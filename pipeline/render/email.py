"""The newsletter: MJML (through Jinja) compiled to HTML, and a plain-text part of its own."""

from __future__ import annotations

import textwrap

from pipeline.errors import TemplateError
from pipeline.render.context import RenderContext, with_utm
from pipeline.render.templates import render_template

HTML_PATH = "email/newsletter.html"
TEXT_PATH = "email/newsletter.txt"
TEXT_WIDTH = 76


def selected(ctx: RenderContext) -> RenderContext:
    """The newsletter's share of the published articles: the newest N."""
    return RenderContext(ctx.config, ctx.articles[: ctx.config.newsletter.max_articles], ctx.env)


def wrap(text: str, width: int = TEXT_WIDTH, indent: str = "") -> str:
    """Wrap prose for the text part without ever splitting a word or a URL."""
    return "\n".join(textwrap.wrap(
        " ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False))


def _template_context(ctx: RenderContext) -> dict[str, object]:
    newsletter = ctx.config.newsletter
    return {
        "site": ctx.config.site,
        "newsletter": newsletter,
        "articles": ctx.articles,
        "disclaimers": ctx.disclaimers,
        "link": lambda url: with_utm(url, newsletter.utm),
        "unsubscribe_url": newsletter.unsubscribe_url,
        "preheader": newsletter.preheader or (ctx.articles[0].summary if ctx.articles else ""),
    }


def render_html(ctx: RenderContext) -> str:
    from mjml import mjml2html  # heavy: imported only when an email is built

    mjml_source = render_template(ctx.env, "email/newsletter.mjml.j2", **_template_context(ctx))
    try:
        return mjml2html(mjml_source, disable_comments=True)
    except Exception as exc:  # mjml-python raises plain exceptions on invalid MJML
        raise TemplateError(f"email/newsletter.mjml.j2: MJML failed to compile: {exc}") from None


def render_text(ctx: RenderContext) -> str:
    ctx.env.filters["wrap"] = wrap
    text = render_template(ctx.env, "email/newsletter.txt.j2", **_template_context(ctx))
    return text.rstrip() + "\n"


def render(ctx: RenderContext) -> dict[str, bytes]:
    chosen = selected(ctx)
    if not chosen.articles:
        return {}
    return {
        HTML_PATH: render_html(chosen).encode("utf-8"),
        TEXT_PATH: render_text(chosen).encode("utf-8"),
    }
