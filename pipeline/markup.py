"""Markdown to safe HTML, and the visible text (and the images) of each block with its source
line.

markdown-it-py keeps a line map on every block token, which is what lets the checks
point at ``path:line``; nh3 (ammonia) enforces an allow-list on whatever raw HTML an
author typed, so nothing executable reaches an email, a feed or a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Real articles nest lists and quotes a few levels; past this markdown-it stops parsing.
MAX_NESTING = 40


def _configured() -> MarkdownIt:
    # CommonMark plus GFM tables; raw HTML is parsed so it can be sanitized, not dropped blindly.
    return MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")


_parser = cache(_configured)


@cache
def _block_parser() -> MarkdownIt:
    return _configured().disable(["inline", "text_join"])


@cache
def _inline_rules() -> list[Callable[[StateCore], None]]:
    """The core rules that run after the block parser ('inline', 'text_join')."""
    ruler = _parser().core.ruler
    names = ruler.get_active_rules()
    return ruler.getRules("")[names.index("block") + 1:]


def too_deep(tokens: list[Token]) -> Token | None:
    """The first block nested so deep that markdown-it stopped parsing (and dropped the rest)."""
    return next((t for t in tokens if t.level >= MAX_NESTING - 1 and t.map), None)


def parse(markdown: str) -> list[Token]:
    return _parser().parse(markdown)


Env = dict[str, Any]


def parse_blocks(markdown: str) -> tuple[list[Token], Env]:
    """The block structure only: inline tokens keep their source but get no children yet.

    Inline parsing is half of markdown-it's time and the checks never need its result (they
    scan each block's source themselves); ``parse_inline`` completes the tokens, with the
    ``env`` returned here (it holds the reference definitions), into what ``parse`` gives.
    """
    env: Env = {}
    return _block_parser().parse(markdown, env), env


def parse_inline(tokens: list[Token], env: Env) -> None:
    state = StateCore("", _parser(), env, tokens)
    for rule in _inline_rules():
        rule(state)


def inline_children(token: Token, env: Env) -> list[Token]:
    """One inline token's children, parsed now and not kept (``parse_inline`` keeps them)."""
    alone = Token("inline", "", 0, content=token.content, map=token.map, children=[])
    parse_inline([alone], env)
    return alone.children or []


def _html_image_sources(html: str) -> list[str]:
    """The ``src`` of every ``<img>`` in a raw HTML fragment, as a browser parses it (html5ever,
    through nh3; comments, script bodies and attribute entities handled as the page will).

    Python's own ``html.parser`` (3.11) looks for the end of each unclosed comment, '<?',
    '<!' or tag from its start to the end of the input: ten thousand '<!--' took 1.7 s. Only
    sources that name a file matter here, and nh3 passes every relative URL through (it drops
    sources with a scheme it does not allow, which are never local files anyway)."""
    if "<img" not in html.lower():
        return []
    sources: list[str] = []

    def keep(tag: str, attribute: str, value: str) -> str:
        if tag == "img" and attribute == "src" and value:
            sources.append(value)
        return value

    nh3.clean(html, tags={"img"}, attributes={"img": {"src"}}, attribute_filter=keep,
              link_rel=None)
    return sources


def _may_hold_image(source: str) -> bool:
    # Only these spell an image; skipping other blocks spares parsing their inline markup.
    return "![" in source or ("<" in source and "<img" in source.lower())


def image_sources(tokens: list[Token], env: Env | None) -> Iterator[tuple[str, int]]:
    """Every image source the blocks name (``![alt](src)``, raw ``<img src>``), with the
    1-based body line of the block naming it. ``env`` is what ``parse_blocks`` returned, while
    the inline children are not parsed yet (None once they are): they are parsed here only
    for the blocks that can hold an image, and not kept."""
    for token in tokens:
        if not token.map:
            continue
        line = token.map[0] + 1
        if token.type == "html_block":
            yield from ((src, line) for src in _html_image_sources(token.content))
        if token.type != "inline" or not _may_hold_image(token.content):
            continue
        children = token.children if env is None else inline_children(token, env)
        for child in children or []:
            if child.type == "image":
                yield str(child.attrs.get("src", "")), line
            elif child.type == "html_inline":
                yield from ((src, line) for src in _html_image_sources(child.content))


def render(tokens: list[Token]) -> str:
    return _parser().renderer.render(tokens, _parser().options, {})


def sanitize(html: str, rewrite_url: Callable[[str], str] | None = None) -> str:
    """Allow-list sanitize; optionally rewrite every href/src (to make them absolute)."""

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr in ("href", "src") and rewrite_url is not None:
            return rewrite_url(value)
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        attribute_filter=attribute_filter,
        link_rel="noopener",
        strip_comments=True,
    )


@dataclass(frozen=True, slots=True)
class Block:
    """A block of text a reader sees, with its 1-based line in the Markdown body."""

    kind: str  # "paragraph", "heading" or "html"
    line: int
    end_line: int
    text: str
    level: int = 0  # heading level


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    """Visible text of an HTML fragment (sanitized first, so script and style bodies are gone)."""
    parser = _TextOf()
    parser.feed(sanitize(html))
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def inline_text(token: Token) -> str:
    """Visible text of an inline token: no code spans, no raw tags, no image alt text."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline" and not child.content.startswith("<!--"):
            continue
    return " ".join("".join(parts).split())


def blocks(tokens: list[Token]) -> list[Block]:
    found: list[Block] = []
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.map and index > 0:
            opener = tokens[index - 1]
            kind = {"heading_open": "heading", "paragraph_open": "paragraph"}.get(
                opener.type, "cell")
            level = int(opener.tag[1]) if kind == "heading" else 0
            text = inline_text(token)
            if text:
                found.append(Block(kind, token.map[0] + 1, token.map[1], text, level))
        elif token.type == "html_block" and token.map:
            text = html_text(token.content)
            if text:
                found.append(Block("html", token.map[0] + 1, token.map[1], text))
    return found


def lead_paragraph(found: list[Block]) -> str:
    return next((block.text for block in found if block.kind == "paragraph"), "")
