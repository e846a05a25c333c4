"""Social snippets: one post per article per platform, fitted to how that platform counts.

Each post is the platform's template (``templates/social/<platform>.txt.j2``, overridable)
rendered with the article's material. When the full post is too long, material is given up in
this order, and the longest version the platform accepts wins:

1. hashtags, last first;
2. key points (LinkedIn's template), last first;
3. the hook (the summary, or the lead paragraph): whole sentences, then whole words with an
   ellipsis, then nothing;
4. the title: the same way, down to nothing.

Outputs: ``social/<slug>.json`` (each platform's text under its name, and ``bluesky_facets``)
and ``social/snippets.csv`` for schedulers' bulk import. In the CSV only, a cell a spreadsheet
would run as a formula starts with ``'`` (see ``spreadsheet_safe``); the JSON keeps every post
exactly as it is.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import jinja2
import jinja2.meta

from pipeline import disclaimer as disclaimers
from pipeline.config import Config
from pipeline.output import Stored
from pipeline.render.context import ArticleView, RenderContext, with_utm
from pipeline.render.proof import Proofs, whole_build
from pipeline.render.social_fit import Choice, Fitter, Stage
from pipeline.render.social_platforms import PLATFORMS, Platform, bluesky_facets, hashtag
from pipeline.render.social_text import clean, is_disclaimer, shortenings
from pipeline.render.templates import render_template

CSV_PATH = "social/snippets.csv"
CSV_COLUMNS = ("slug", "platform", "text", "link", "scheduled_date")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection").
# Compared after NFKC, so the fullwidth forms ＝ ＋ － ＠ (OWASP WSTG-INPV-21: "depending on
# locale/application behavior") and the small forms ﹦ ﹢ ﹣ ﹫ count too.
_FORMULA_STARTS = frozenset("=+-@")
# Tab, CR and LF first in a cell are on OWASP's list as well: readers strip them, and what
# follows may then be read as a formula.
_CONTROL_STARTS = frozenset("\t\r\n")
TEXT_MARK = "'"  # spreadsheets' "this cell is text" prefix
MIN_HOOK = 20  # a hook cut shorter than this many characters says nothing: drop it instead
MAX_TAGS = 10


# --- What a post is made of ----------------------------------------------------------------------

@dataclass
class Material:
    """One article's material for every platform, each part worked out once, when first used."""

    article: ArticleView

    @cached_property
    def title(self) -> str:
        return clean(self.article.title)

    @cached_property
    def hook(self) -> str:
        hook = clean(self.article.summary)
        signature = disclaimers.normalize(self.article.disclaimer)
        return "" if hook == self.title or is_disclaimer(hook, signature) else hook

    @cached_property
    def tags(self) -> tuple[str, ...]:
        made: dict[str, str] = {}
        for tag in self.article.tags:
            found = hashtag(tag)
            if found:
                made.setdefault(found.casefold(), found)
        return tuple(made.values())[:MAX_TAGS]

    @property
    def points(self) -> tuple[str, ...]:
        return self.article.points

    @cached_property
    def hook_cuts(self) -> list[str]:
        return shortenings(self.hook, MIN_HOOK)

    @cached_property
    def title_cuts(self) -> list[str]:
        return shortenings(self.title)

    def stages(self, tags: tuple[str, ...], points: tuple[str, ...]) -> list[Stage]:
        """Candidate posts in the order material is given up, each stage starting just shorter
        than the last one ended."""
        return [
            lambda: [Choice(self.title, self.hook, points, tags[:k])
                     for k in range(len(tags), -1, -1)],
            lambda: [Choice(self.title, self.hook, points[:k], ())
                     for k in range(len(points) - 1, -1, -1)],
            lambda: [Choice(self.title, hook, (), ()) for hook in [*self.hook_cuts, ""]]
            if self.hook else [],
            lambda: [Choice(title, "", (), ()) for title in [*self.title_cuts, ""]],
        ]


# --- Snippets ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Snippet:
    platform: str
    text: str
    link: str
    length: int  # as the platform counts
    limit: int


@dataclass(frozen=True)
class PlatformSetup:
    platform: Platform
    limit: int
    max_tags: int
    name: str
    template: jinja2.Template
    uses: frozenset[str]  # the template's variables


def setups(ctx: RenderContext) -> list[PlatformSetup]:
    found = []
    for platform in PLATFORMS.values():
        name = f"social/{platform.name}.txt.j2"
        try:
            template = ctx.env.get_template(name)
        except jinja2.TemplateError:
            render_template(ctx.env, name)  # the same failure, reported with its file and line
            raise
        source = ctx.env.loader.get_source(ctx.env, name)[0]  # type: ignore[union-attr]
        tree = ctx.env.parse(source)
        limit, max_tags = _platform_settings(ctx.config, platform)
        uses = frozenset(jinja2.meta.find_undeclared_variables(tree))
        found.append(PlatformSetup(platform, limit, max_tags, name, template, uses))
    return found


def _platform_settings(config: Config, platform: Platform) -> tuple[int, int]:
    social = config.social
    override = social.platforms.get(platform.name)
    limit = override.max_length if override and override.max_length else platform.limit
    wanted = social.max_hashtags
    if override is not None and override.max_hashtags is not None:
        wanted = override.max_hashtags
    if platform.max_hashtags is not None:
        wanted = min(wanted, platform.max_hashtags)
    return limit, wanted


def render_snippet(ctx: RenderContext, article: ArticleView, setup: PlatformSetup,
                   stuff: Material | None = None) -> Snippet:
    social = ctx.config.social
    stuff = stuff or Material(article)
    link = post_link(ctx.config, article, setup.platform.name)
    fitter = Fitter(setup.platform, setup.limit, setup.template, setup.name, {
        "article": article, "link": link, "short_disclaimer": social.short_disclaimer,
        "site": ctx.config.site, "platform": setup.platform.name})
    # Material a template never shows is not worth giving up first.
    tags = stuff.tags[: setup.max_tags] if "hashtags" in setup.uses else ()
    points = stuff.points if "points" in setup.uses else ()
    probe = fitter.fit(stuff.stages(tags, points))
    return Snippet(setup.platform.name, probe.text, link, probe.count, setup.limit)


def post_link(config: Config, article: ArticleView, platform: str) -> str:
    """The article's address as a post on ``platform`` links it, with that platform's UTM."""
    return with_utm(article.url, config.social.utm.get(platform), None)


def posts(ctx: RenderContext, article: ArticleView,
          chosen: list[PlatformSetup]) -> list[Snippet]:
    """An article's posts, in platform order (``chosen``: ``setups(ctx)``)."""
    stuff = Material(article)
    return [render_snippet(ctx, article, setup, stuff) for setup in chosen]


def snippets(ctx: RenderContext) -> dict[str, list[Snippet]]:
    """Every article's posts, by slug, in platform order."""
    chosen = setups(ctx)
    return {article.slug: posts(ctx, article, chosen) for article in ctx.articles}


# --- Files ---------------------------------------------------------------------------------------

def json_path(slug: str) -> str:
    return f"social/{slug}.json"


def spreadsheet_safe(cell: str) -> str:
    """The cell as ``snippets.csv`` stores it: with a leading ``'`` if a spreadsheet could run it.

    Editors open the CSV in Excel, LibreOffice or Google Sheets, and titles and summaries come
    from writers and pasted text: a post starting ``=HYPERLINK("http://evil","click")`` would
    become a live formula there (CSV or formula injection). OWASP's fix is a leading single
    quote, which spreadsheets read as "this is text"; ``render`` also quotes every cell.

    Escaped: a cell starting with ``=``, ``+``, ``-``, ``@`` (or their fullwidth and small
    forms), or with one of them after leading whitespace (LibreOffice's "Trim spaces" drops it
    and then runs an unquoted cell; other importers reportedly trim too), or with a tab, CR or
    LF. A cell already starting with ``'`` is escaped too, so that dropping exactly one leading
    ``'`` from any cell that has one always gives the post back. The JSON files keep every post
    as it is.
    """
    first = unicodedata.normalize("NFKC", cell.lstrip()[:1])[:1]
    if first in _FORMULA_STARTS or cell[:1] in _CONTROL_STARTS or cell.startswith(TEXT_MARK):
        return TEXT_MARK + cell
    return cell


def render_articles(ctx: RenderContext, share: Sequence[int]
                    ) -> Iterator[tuple[str, bytes | Stored]]:
    """``social/<slug>.json`` for each article in ``share`` (indexes into ``ctx.articles``)."""
    chosen = setups(ctx)
    whole = any("article" in setup.uses for setup in chosen)
    for index in share:
        article = ctx.articles[index]
        yield json_path(article.slug), ctx.reuse(
            ("social-json", article if whole else _post_inputs(article)),
            lambda article=article: _json_document(posts(ctx, article, chosen)))


def _post_inputs(article: ArticleView) -> tuple[object, ...]:
    """All of the article that ``Material`` and ``post_link`` read: unless a template shows
    the ``article`` itself, an edit that leaves these alone leaves the posts alone, and they
    are neither fitted nor counted again (counting X's posts alone imports twitter-text,
    0.45 s of a one-article rebuild)."""
    return (article.title, article.summary, article.disclaimer, article.tags, article.points,
            article.url)


def render(ctx: RenderContext) -> Iterator[tuple[str, bytes | Stored]]:
    """``social/snippets.csv``, every article's posts for schedulers' bulk import, gathered
    from the articles' post files as written (``ctx.written``): one article's posts in memory
    at a time, however large the archive. Reused while every post file and row is the same:
    reading and writing 1,000 articles' posts again took 0.12 s of every one-article edit."""
    rows = tuple((article.slug, article.url, article.date, ctx.written.digest(json_path(
        article.slug))) for article in ctx.articles)
    yield CSV_PATH, ctx.reuse(("snippets-csv", rows), lambda: _spreadsheet(ctx))


def _spreadsheet(ctx: RenderContext) -> bytes:
    encoded = io.BytesIO()  # encoded as written: a text buffer of every post holds 4x more
    rows = io.TextIOWrapper(encoded, "utf-8", newline="")
    # Every cell quoted, as OWASP advises with the ' prefix: LibreOffice's "Trim spaces" runs an
    # unquoted " =1+1" as a formula, a quoted one not.
    writer = csv.writer(rows, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    platforms = [setup.platform.name for setup in setups(ctx)]
    for article in ctx.articles:
        document = json.loads(ctx.written.read(json_path(article.slug)))
        date = article.date.isoformat(timespec="seconds")
        for platform in platforms:
            writer.writerow([spreadsheet_safe(cell) for cell in (
                article.slug, platform, document[platform],
                post_link(ctx.config, article, platform), date)])
    rows.flush()
    return encoded.getvalue()


def _json_document(posts: list[Snippet]) -> bytes:
    document: dict[str, object] = {}
    for post in posts:
        document[post.platform] = post.text
        if post.platform == "bluesky":
            document["bluesky_facets"] = bluesky_facets(post.text, post.link)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- Proof, read back from the files (pipeline.verify) -----------------------------------------

def _lacking(posts: Iterator[tuple[str, str, str]], ctx: RenderContext) -> list[str]:
    short = disclaimers.normalize(ctx.config.social.short_disclaimer)
    return [f"the short disclaimer in {what} (template social/{platform}.txt.j2)"
            for platform, what, text in posts if short not in disclaimers.normalize(text)]


def verify_json(data: bytes, ctx: RenderContext) -> list[str]:
    document = json.loads(data)
    present = [name for name in PLATFORMS if isinstance(document.get(name), str)]
    return [f"the {name} post" for name in PLATFORMS if name not in present] + _lacking(
        ((name, f"the {name} post", document[name]) for name in present), ctx)


def verify_csv(data: bytes, ctx: RenderContext) -> list[str]:
    unseen = {(article.slug, name) for article in ctx.articles for name in PLATFORMS}

    def posts() -> Iterator[tuple[str, str, str]]:
        # Row by row, decoded as read: the whole text of a 10,000-article archive's posts,
        # decoded at once, took 110 MB.
        for row in csv.DictReader(io.TextIOWrapper(io.BytesIO(data), "utf-8", newline="")):
            unseen.discard((row["slug"], row["platform"]))
            yield row["platform"], f"the {row['platform']} post for '{row['slug']}'", row["text"]

    lacking = _lacking(posts(), ctx)
    missing = [f"the {name} post for '{slug}'" for slug, name in sorted(unseen)]
    return missing + lacking


def proofs(files: Collection[str], ctx: RenderContext) -> Proofs:
    """The spreadsheet and each article's post file hold every platform's post, each post
    with the short disclaimer."""
    table: Proofs = {CSV_PATH: (verify_csv, whole_build)}
    for article in ctx.articles:
        table[json_path(article.slug)] = (verify_json, whole_build)
    return table
