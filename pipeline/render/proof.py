"""What a renderer declares so that ``pipeline.verify`` can prove its files carry the medical
disclaimers: each renderer module has ``proofs(files, ctx) -> Proofs``, which names, for each
file it wrote that a reader sees, how to read the file back (a ``Verifier``, saying what is
missing) and which articles the file must cover (a ``Scope``). The readers that several
renderers share are here; the others live beside the renderer whose files they read.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline import disclaimer
from pipeline.render.context import ArticleView, RenderContext

Verifier = Callable[[bytes, RenderContext], list[str]]
Scope = Callable[[RenderContext], RenderContext]
Proofs = dict[str, tuple[Verifier, Scope]]


def whole_build(ctx: RenderContext) -> RenderContext:
    """The scope of a file that covers every published article. One function for every such
    file: pipeline.verify digests each scope's articles once, by the scope's identity."""
    return ctx


def missing(text: str, articles: list[ArticleView]) -> list[ArticleView]:
    """The articles whose disclaimer ``text`` does not contain (whitespace and case aside)."""
    normalized = disclaimer.normalize(text)
    return [a for a in articles if disclaimer.normalize(a.disclaimer) not in normalized]


def html_disclaimers(data: bytes, ctx: RenderContext) -> list[str]:
    """An HTML file (a newsletter, a page): each article's disclaimer, as visible text."""
    text = disclaimer.visible_text(data.decode("utf-8"))
    return [f"the disclaimer of '{a.slug}'" for a in missing(text, ctx.articles)]


def text_disclaimers(data: bytes, ctx: RenderContext) -> list[str]:
    """A plain-text file: each article's disclaimer."""
    return [f"the disclaimer of '{a.slug}'" for a in missing(data.decode("utf-8"), ctx.articles)]
