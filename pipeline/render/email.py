"""The newsletter: MJML (through Jinja) compiled to HTML with its CSS inlined, a plain-text part
of its own, and both joined in a ready-to-send .eml.

Provider merge fields (``*|UNSUB|*``, ``{{unsubscribe_url}}``...) reach the templates as inert
tokens and are put back only in the finished bytes, so neither Jinja's escaping, MJML nor the
CSS inliner can rewrite them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import textwrap
import zoneinfo
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from markupsafe import Markup

from pipeline import compose
from pipeline.compose import EditionPlan
from pipeline.errors import ArtifactError, ConfigError, TemplateError, UsageError
from pipeline.render.context import ArticleView, RenderContext, with_utm
from pipeline.render.feeds import discovery_links
from pipeline.render.newsletter_archive import archive_url
from pipeline.render.proof import Proofs, html_disclaimers, text_disclaimers
from pipeline.render.templates import render_template

HTML_PATH = "email/newsletter.html"
TEXT_PATH = "email/newsletter.txt"
EML_PATH = "email/newsletter.eml"
EDITION_PATH = "email/edition.json"
TEXT_WIDTH = 76
# Gmail shows "[Message clipped]" past 102 KB of HTML and hides the rest: the disclaimers,
# the postal address and the unsubscribe link are at the end, so a clipped issue breaks the law.
GMAIL_CLIP_BYTES = 102 * 1024
# Invisible characters after the preheader stop clients from filling the preview line with
# the start of the body ("View in browser", the header...); zero-width non-joiner + no-break space.
PREHEADER_PAD = "\u200c\u00a0" * 90
_SECTION = re.compile(r"@@pipeline-section ([^@]*)@@")


def plan(ctx: RenderContext) -> EditionPlan[ArticleView]:
    """The edition this newsletter is: the build's (``ctx.edition``), else edition 1 of the
    published articles, dated its lead article's day."""
    if ctx.edition is not None:
        return ctx.edition
    zone = zoneinfo.ZoneInfo(ctx.config.site.timezone)
    day = ctx.articles[0].date.astimezone(zone).date() if ctx.articles else dt.date.min
    return compose.next_edition(ctx.articles, ctx.history, ctx.config.newsletter, zone, day)


def selected(ctx: RenderContext) -> RenderContext:
    """The newsletter's share of the published articles: the next edition's (see
    pipeline.compose), or those dated on or after ``newsletter.since`` when it is set."""
    return dataclasses.replace(ctx, articles=plan(ctx).articles)


def format_date(article: ArticleView) -> str:
    return f"{article.date.day} {article.date:%B %Y}"


def format_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def wrap(text: str, width: int = TEXT_WIDTH, indent: str = "") -> str:
    """Wrap prose for the text part without ever splitting a word or a URL."""
    return "\n".join(textwrap.wrap(
        " ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False))


def link_line(label: str, url: str, indent: str = "", width: int = TEXT_WIDTH) -> str:
    """``Label: URL`` on one line when it fits, else the URL alone on the next line, whole,
    so it stays clickable in every plain-text client."""
    line = f"{indent}{label} {url}"
    return line if len(line) <= width else f"{indent}{label}\n{indent}{url}"


@dataclass(frozen=True)
class DisclaimerGroup:
    text: str
    articles: list[ArticleView]


class MergeFields:
    """Raw provider tags behind inert tokens that survive every rendering step unchanged."""

    def __init__(self) -> None:
        self.raw: dict[str, str] = {}

    def token(self, value: str) -> str:
        for token, raw in self.raw.items():
            if raw == value:
                return token
        token = f"pipelinemergefield{len(self.raw)}x"
        self.raw[token] = value
        return token

    def restore(self, text: str, *, html: bool) -> str:
        for token, raw in self.raw.items():
            # '&' is the only character a merge tag may hold that HTML would read differently;
            # the tags' own <, %, {, |, * stay exactly as the provider expects them.
            text = text.replace(token, raw.replace("&", "&amp;") if html else raw)
        return text


def subject(ctx: RenderContext) -> str:
    newsletter = ctx.config.newsletter
    lead = ctx.articles[0]
    edition = plan(ctx)
    try:
        text = newsletter.subject.format(site=ctx.config.site.title, lead_title=lead.title,
                                         count=len(ctx.articles), date=format_day(edition.date),
                                         number=edition.number)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ConfigError(f"newsletter.subject {newsletter.subject!r}: {exc}") from None
    return " ".join(text.split())


def _disclaimer_groups(ctx: RenderContext) -> list[DisclaimerGroup]:
    groups: dict[str, list[ArticleView]] = {}
    for article in ctx.articles:
        groups.setdefault(article.disclaimer, []).append(article)
    return [DisclaimerGroup(text, articles) for text, articles in groups.items()]


def _section(name: str) -> Markup:
    return Markup(f"<mj-raw>@@pipeline-section {name}@@</mj-raw>")


def _template_context(ctx: RenderContext, merge: MergeFields) -> dict[str, object]:
    newsletter = ctx.config.newsletter
    site = ctx.config.site
    preheader = " ".join((newsletter.preheader or ctx.articles[0].summary).split())
    edition = plan(ctx)

    def link(url: str) -> str:
        return with_utm(url, newsletter.utm)

    return {
        "site": site,
        "newsletter": newsletter,
        "articles": ctx.articles,
        "disclaimers": ctx.disclaimers,
        "disclaimer_groups": _disclaimer_groups(ctx),
        "subject": subject(ctx),
        "edition": edition,
        "issue_date": format_day(edition.date),
        "format_date": format_date,
        "link": link,
        "logo_url": urljoin(site.url + "/", site.logo) if site.logo else None,
        "unsubscribe_url": merge.token(newsletter.unsubscribe_url),
        # By default, the edition's page in the web archive.
        "view_online_url": (merge.token(newsletter.view_online_url)
                            if newsletter.view_online_url
                            else link(archive_url(ctx.config, edition.number))),
        "merge": {name: merge.token(value) for name, value in newsletter.merge_fields.items()},
        "preheader": preheader,
        "preheader_padding": PREHEADER_PAD,
        "section": _section,
        "feed_links": discovery_links(ctx.config),
    }


def _inline_css(html: str) -> str:
    import css_inline  # compiled; imported only when an email is built

    # MJML writes its components' styles inline already; this inlines the template's own
    # <mj-style> rules too (Gmail drops <style> in some views) and keeps the <style> blocks
    # for what cannot be inlined: media queries for narrow screens and dark mode.
    inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)
    try:
        return inliner.inline(html)
    except (css_inline.InlineError, ValueError) as exc:
        raise TemplateError(f"email/newsletter.mjml.j2: CSS could not be inlined: {exc}") from None


def compile_html(ctx: RenderContext, merge: MergeFields) -> tuple[str, dict[str, int]]:
    """The finished HTML and the bytes each named section of it takes."""
    from mjml import mjml2html  # heavy: imported only when an email is built

    mjml_source = render_template(ctx.env, "email/newsletter.mjml.j2",
                                  **_template_context(ctx, merge))
    try:
        html = mjml2html(mjml_source, disable_comments=True)
    except Exception as exc:  # mjml-python raises plain exceptions on invalid MJML
        raise TemplateError(f"email/newsletter.mjml.j2: MJML failed to compile: {exc}") from None
    html = merge.restore(_inline_css(html), html=True).rstrip("\n") + "\n"
    return _measure_sections(html)


def _measure_sections(html: str) -> tuple[str, dict[str, int]]:
    """Drop the section markers, counting the UTF-8 bytes from each marker to the next."""
    pieces = _SECTION.split(html)
    sizes: dict[str, int] = {"head and layout": len(pieces[0].encode("utf-8"))}
    for index in range(1, len(pieces), 2):
        name = pieces[index]
        sizes[name] = sizes.get(name, 0) + len(pieces[index + 1].encode("utf-8"))
    return "".join(pieces[0::2]), sizes


def check_size(size: int, sections: dict[str, int]) -> None:
    if size <= GMAIL_CLIP_BYTES:
        return
    biggest = sorted(sections.items(), key=lambda item: (-item[1], item[0]))[:3]
    raise ArtifactError(
        f"{HTML_PATH} would be {size / 1024:.1f} KB, over Gmail's clipping limit of "
        f"{GMAIL_CLIP_BYTES // 1024} KB (Gmail hides the rest, with the disclaimers and the "
        f"unsubscribe link); nothing was written. Biggest sections: "
        + ", ".join(f"{name} {bytes_ / 1024:.1f} KB" for name, bytes_ in biggest)
        + ". Include fewer articles (newsletter.max_articles, or a later --since) or "
        "shorten their summaries.")


def size_report(size: int) -> str:
    return (f"newsletter HTML is {size / 1024:.1f} KB "
            f"({size * 100 // GMAIL_CLIP_BYTES}% of Gmail's {GMAIL_CLIP_BYTES // 1024} KB "
            "clipping limit)")


def render_text(ctx: RenderContext, merge: MergeFields) -> str:
    ctx.env.filters["wrap"] = wrap
    text = render_template(ctx.env, "email/newsletter.txt.j2",
                           **_template_context(ctx, merge), link_line=link_line)
    return merge.restore(text.rstrip() + "\n", html=False)


def edition_json(ctx: RenderContext, subject_text: str, message_id: str) -> bytes:
    """What `pipeline send --mark-sent` and `pipeline editions mark-sent` record."""
    edition = plan(ctx)
    zone = zoneinfo.ZoneInfo(ctx.config.site.timezone)
    data = {
        "number": edition.number,
        "date": edition.date.isoformat(),
        "subject": subject_text,
        "message_id": message_id,
        "slugs": [article.slug for article in ctx.articles],
        "articles": [{"slug": a.slug, "title": a.title,
                      "date": a.date.astimezone(zone).isoformat()} for a in ctx.articles],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_articles(ctx: RenderContext, share: Sequence[int]) -> Iterator[tuple[str, bytes]]:
    """No file of the newsletter is one article's."""
    return iter(())


def render(ctx: RenderContext) -> Iterator[tuple[str, bytes]]:
    from pipeline.render import eml

    chosen = selected(ctx)
    if not chosen.articles:
        since = ctx.config.newsletter.since
        if since is not None:
            newest = f"; the newest is dated {format_date(ctx.articles[0])}" \
                if ctx.articles else ""
            raise UsageError(f"--since {since}: no published article is dated on or after "
                             f"it{newest}, so there is no newsletter to build")
        return  # nothing new since the last edition, or nothing published yet
    merge = MergeFields()
    html, sections = compile_html(chosen, merge)
    html_bytes = html.encode("utf-8")
    check_size(len(html_bytes), sections)
    text = render_text(chosen, merge)
    subject_text = subject(chosen)
    message, message_id = eml.build_message(chosen, subject_text, text, html)
    yield from {HTML_PATH: html_bytes, TEXT_PATH: text.encode("utf-8"), EML_PATH: message,
                EDITION_PATH: edition_json(chosen, subject_text, message_id)}.items()


# --- Proof, read back from the files (pipeline.verify) -----------------------------------------

def verify_eml(data: bytes, ctx: RenderContext) -> list[str]:
    """Both parts of the message, decoded as a mail client would, carry the disclaimers."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.default)
    problems = []
    for subtype, verifier in (("plain", text_disclaimers), ("html", html_disclaimers)):
        part = next((p for p in message.walk() if p.get_content_type() == f"text/{subtype}"),
                    None)
        if part is None:
            problems.append(f"its text/{subtype} part")
        else:
            content = part.get_content().encode("utf-8")
            problems += [f"{what} in the text/{subtype} part" for what in verifier(content, ctx)]
    return problems


def proofs(files: Collection[str], ctx: RenderContext) -> Proofs:
    """Each form of the newsletter carries the disclaimers of the edition's articles."""
    return {
        HTML_PATH: (html_disclaimers, selected),
        TEXT_PATH: (text_disclaimers, selected),
        EML_PATH: (verify_eml, selected),
    }
