"""The prose of an article as the checks see it, with exact source positions.

markdown-it gives each block a line range but no columns, and its inline tokens carry no
positions at all. The checks must point at a phrase (line and column in the file), must skip
code spans, HTML comments and link destinations, and must know which words are link text.
So each block's raw inline source (``token.content``) is scanned once here, following the
CommonMark inline rules that matter (escapes, code spans, autolinks, raw HTML, links and
images, inline and by reference, emphasis markers, entities), into:

* ``text``: what a reader sees (link text kept, URLs, code and markup removed), and
* an offset map from ``text`` back to the block's source, then to file line and column.

Which blocks exist still comes from markdown-it's tokens (the same parse that renders the
article), so code blocks and fences are never scanned. Tests cross-check the links found
here against markdown-it's own link tokens.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate

from pipeline.articles import Article

Position = tuple[int, int]  # 1-based file line and column

# Typographic quotes and spaces become their plain forms, one character for one, so that
# phrase patterns stay simple and offsets stay exact.
_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\u2010": "-", "\u2011": "-",
})
_SPECIAL = re.compile(r"[\\`<\[!&*_]")
_BRACKETISH = re.compile(r"[\\`\[\]]")
_HTML_SPECIAL = re.compile(r"[<&]")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>\x00-\x1f]*)>")
_EMAIL_AUTOLINK = re.compile(
    r"<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>")
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:" + _ATTRIBUTE + r")*)\s*/?>")
_CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_ATTR_VALUE = re.compile(
    r"""([A-Za-z_:][A-Za-z0-9_.:-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_HIDDEN_TAGS = ("script", "style", "textarea", "template")
_HIDDEN_CLOSE = re.compile(r"</(script|style|textarea|template)\s*>", re.IGNORECASE)
_URLISH = re.compile(r"\(\s*<?(?:https?:|www\.|mailto:|/|\.\.?/)", re.IGNORECASE)
_MAX_TITLE = 2000  # a link title longer than this is not one (and bounds the search)
# markdown-it's limit (parseLinkDestination: "level > 32"), which CommonMark allows: deeper
# parentheses in a destination are not a link in the rendered page either. It also keeps the
# scan linear: destinations that overlap without closing each sit at least one level deeper
# than the one before, so at most 33 scans cover any character.
_MAX_PAREN_DEPTH = 32
_DEFINITION = re.compile(
    r"^ {0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(?:<([^<>\n]*)>|(\S+))"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$")


@cache
def _closing_backticks(count: int) -> re.Pattern[str]:
    return re.compile("(?<!`)`{" + str(count) + "}(?!`)")


def normalize_label(label: str) -> str:
    return " ".join(label.split()).casefold()


@dataclass(slots=True)
class Link:
    url: str
    kind: str  # "inline", "reference", "autolink", "html" or "definition"
    start: int  # block source offsets of the whole link, then of its destination
    end: int
    url_start: int
    url_end: int
    text_start: int = 0  # offsets in the block's visible text
    text_end: int = 0
    image_alt: str | None = None  # alt text of an image inside the link text


@dataclass(slots=True)
class Image:
    src: str
    alt: str | None  # None: no alt attribute at all (raw HTML)
    kind: str  # "markdown" or "html"
    start: int
    end: int


@dataclass(slots=True)
class Comment:
    body: str  # between '<!--' and '-->'
    start: int
    end: int


@dataclass(slots=True)
class BrokenLink:
    """``[text][label]`` whose label is not defined, or ``[text](`` that never closes."""

    start: int
    end: int
    reason: str


@dataclass(slots=True)
class TextBlock:
    """One block of prose: a paragraph, heading, table cell, HTML block or front-matter value."""

    kind: str
    source: str  # the block's raw source (markdown-it's inline content)
    text: str = ""
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    broken: list[BrokenLink] = field(default_factory=list)
    _map_text: list[int] = field(default_factory=lambda: [0])
    _map_source: list[int] = field(default_factory=lambda: [0])
    # Where the source lives in the file: its first line, and per line a column base
    # computed on demand from the article's source lines.
    first_line: int = 1
    source_lines: list[str] = field(default_factory=list)
    cell_hint: int = 0
    in_blockquote: bool = False  # inside a Markdown block quote ("> ..."): quoted words
    in_list: bool = False  # inside a bulleted or numbered list
    fixed: Position | None = None
    _line_starts: list[int] | None = None
    _bases: dict[int, int] = field(default_factory=dict)

    def source_offset(self, text_offset: int) -> int:
        i = bisect_right(self._map_text, text_offset) - 1
        return self._map_source[i] + (text_offset - self._map_text[i])

    def source_position(self, offset: int) -> Position:
        """File line and column of an offset into ``source``."""
        if self.fixed is not None:
            return self.fixed
        if self._line_starts is None:
            starts = [0]
            find = self.source.find
            at = find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = find("\n", at + 1)
            self._line_starts = starts
        index = bisect_right(self._line_starts, offset) - 1
        return self.first_line + index, self._base(index) + offset - self._line_starts[index] + 1

    def _base(self, index: int) -> int:
        base = self._bases.get(index)
        if base is None:
            base = self._bases[index] = self._find_base(index)
        return base

    def _find_base(self, index: int) -> int:
        """Column (0-based) of the block's ``index``-th source line in the file line."""
        starts = self._line_starts or [0]
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(self.source)
        piece = self.source[starts[index]:end].rstrip()
        file_index = self.first_line + index - 1
        if not piece or file_index >= len(self.source_lines):
            return 0
        line = self.source_lines[file_index]
        if self.kind != "cell":
            stripped = line.rstrip()
            # Block content is the tail of its line after container markers (quote, list).
            if stripped.endswith(piece):
                return len(stripped) - len(piece)
        found = line.find(piece, self.cell_hint if self.kind == "cell" else 0)
        if found < 0:
            found = line.find(piece.strip())
        return max(found, 0)

    def position(self, text_offset: int) -> Position:
        return self.source_position(self.source_offset(text_offset))

    def end_position(self, text_end: int) -> Position:
        """Position just after the character before ``text_end`` (an exclusive end)."""
        line, col = self.position(max(0, text_end - 1))
        return line, col + 1

    def source_end_position(self, end: int) -> Position:
        line, col = self.source_position(max(0, end - 1))
        return line, col + 1


class _Builder:
    """Collects visible text and the offset map back to the source."""

    __slots__ = ("block", "length", "parts")

    def __init__(self, block: TextBlock) -> None:
        self.block = block
        self.parts: list[str] = []
        self.length = 0

    def copy(self, source: str, start: int, end: int) -> None:
        if start >= end:
            return
        block = self.block
        if block._map_source[-1] - block._map_text[-1] != start - self.length:
            block._map_text.append(self.length)
            block._map_source.append(start)
        self.parts.append(source[start:end])
        self.length += end - start

    def put(self, text: str, at: int) -> None:
        """Text that stands for the source at ``at`` (an entity, an escaped character)."""
        block = self.block
        block._map_text.append(self.length)
        block._map_source.append(at)
        self.parts.append(text)
        self.length += len(text)


def _attributes(raw: str) -> dict[str, str]:
    found = {}
    for match in _ATTR_VALUE.finditer(raw):
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found[match.group(1).lower()] = html.unescape(value)
    return found


def _unescape(text: str) -> str:
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return html.unescape(text) if "&" in text else text


def _inline_links_as_text(raw: str) -> str:
    r"""``re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)``: each ``[text](url)`` (or image)
    replaced by its text, in one pass. The regex tried every '[' against the first ']' after
    it, so the alt text of an image holding ten thousand nested brackets was quadratic."""
    parts: list[str] = []
    copied = search = 0
    while (bracket := raw.find("[", search)) >= 0:
        close = raw.find("]", bracket + 1)
        if close < 0:
            break  # no later '[' has a ']' either
        if not raw.startswith("(", close + 1):
            search = close + 1  # every '[' before this ']' fails the same way
            continue
        paren = raw.find(")", close + 2)
        if paren < 0:
            break  # no later '[' has a ')' after it either
        start = bracket - 1 if bracket > copied and raw[bracket - 1] == "!" else bracket
        parts += [raw[copied:start], raw[bracket + 1:close]]
        copied = search = paren + 1
    parts.append(raw[copied:])
    return "".join(parts)


def _plain_alt(raw: str) -> str:
    """Alt text as a reader hears it: markup removed, escapes resolved."""
    text = _inline_links_as_text(raw)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(_unescape(text).split())


class _Spans:
    """Code spans, bracket pairs and the places of closing marks of one block, each found in
    one pass.

    Looking ahead from every '[', backtick, '<!--' or '](' separately is quadratic on hostile
    input (16 KB of '[a](' took about 7 s to check, 64 KB two minutes); these answers come from a
    single scan each and a memo or a binary search.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._closers: dict[int, tuple[int, int]] = {}  # run length -> (searched from, found)
        self._pairs: dict[int, int] | None = None
        self._places: dict[str, list[int]] = {}  # a mark -> every offset where it starts
        self._hidden_closes: dict[str, list[tuple[int, int]]] | None = None
        self._non_space: list[int] | None = None

    def find(self, mark: str, start: int, limit: int) -> int:
        """``source.find(mark, start, limit)``, from one list of the mark's places (overlapping
        ones included, as ``find`` sees them)."""
        places = self._places.get(mark)
        if places is None:
            places = self._places[mark] = []
            find = self.source.find
            at = find(mark)
            while at >= 0:
                places.append(at)
                at = find(mark, at + 1)
        index = bisect_left(places, start)
        if index < len(places) and places[index] + len(mark) <= limit:
            return places[index]
        return -1

    def find_any(self, chars: str, start: int, limit: int) -> int:
        """The first offset in [start, limit) holding one of ``chars``, or -1."""
        key = "\0" + chars  # never a mark of find()'s
        places = self._places.get(key)
        if places is None:
            pattern = re.compile("[" + re.escape(chars) + "]")
            places = self._places[key] = [m.start() for m in pattern.finditer(self.source)]
        index = bisect_left(places, start)
        return places[index] if index < len(places) and places[index] < limit else -1

    def hidden_close_end(self, tag: str, start: int) -> int:
        """End of the first '</tag>' (any case, spaces before '>') at or after start, or -1."""
        if self._hidden_closes is None:
            self._hidden_closes = {name: [] for name in _HIDDEN_TAGS}
            for match in _HIDDEN_CLOSE.finditer(self.source):
                self._hidden_closes[match.group(1).lower()].append((match.start(), match.end()))
        closes = self._hidden_closes[tag]
        index = bisect_left(closes, (start, -1))
        return closes[index][1] if index < len(closes) else -1

    def non_space(self, start: int, end: int) -> int:
        """How many characters of source[start:end] are not whitespace (as str.split sees)."""
        if self._non_space is None:
            self._non_space = list(accumulate((not char.isspace() for char in self.source),
                                              initial=0))
        return self._non_space[end] - self._non_space[start]

    def code_span_end(self, start: int) -> tuple[int, int]:
        """(end of the backtick run at start, end of its code span or -1)."""
        source = self.source
        run_end = start
        while run_end < len(source) and source[run_end] == "`":
            run_end += 1
        count = run_end - start
        searched_from, found = self._closers.get(count, (len(source) + 1, -1))
        if not (searched_from <= run_end and (found < 0 or run_end <= found)):
            closing = _closing_backticks(count).search(source, run_end)
            found = closing.start() if closing else -1
            self._closers[count] = (run_end, found)
        return run_end, (found + count if found >= 0 else -1)

    def matching_bracket(self, start: int, limit: int) -> int:
        """Index of the ']' closing the '[' at start before limit, or -1."""
        if self._pairs is None:
            self._pairs = self._pair_brackets()
        close = self._pairs.get(start, -1)
        return close if close < limit else -1

    def _pair_brackets(self) -> dict[int, int]:
        source = self.source
        pairs: dict[int, int] = {}
        stack: list[int] = []
        search = _BRACKETISH.search
        found = search(source)
        while found:
            i = found.start()
            char = source[i]
            if char == "\\":
                found = search(source, i + 2)
                continue
            if char == "`":
                run_end, span_end = self.code_span_end(i)
                found = search(source, span_end if span_end >= 0 else run_end)
                continue
            if char == "[":
                stack.append(i)
            elif stack:
                pairs[stack.pop()] = i
            found = search(source, i + 1)
        return pairs


def _skip_space(source: str, i: int, limit: int) -> int:
    newlines = 0
    while i < limit and source[i] in " \t\n":
        if source[i] == "\n":
            newlines += 1
            if newlines > 1:
                break
        i += 1
    return i


def _inline_destination(spans: _Spans, start: int, limit: int
                        ) -> tuple[str, int, int, int] | None:
    """Parse ``(destination "title")`` with '(' at ``start``: (url, url start, url end, end)."""
    source = spans.source
    i = _skip_space(source, start + 1, limit)
    if i < limit and source[i] == "<":
        # The first '>' with no '<' or line break before it: searching for '>' alone would
        # look to the block's end from every unclosed '[a](<'.
        close = spans.find_any("<>\n", i + 1, limit)
        if close < 0 or source[close] != ">":
            return None
        url_start, url_end = i + 1, close
        i = close + 1
    else:
        url_start = i
        depth = 0
        while i < limit:
            char = source[i]
            if char == "\\" and i + 1 < limit and source[i + 1] in _ASCII_PUNCT:
                i += 2
                continue
            if char.isspace() or ord(char) < 0x20:
                break
            if char == "(":
                depth += 1
                if depth > _MAX_PAREN_DEPTH:
                    return None
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if depth:
            return None
        url_end = i
    i = _skip_space(source, i, limit)
    if i < limit and source[i] in "\"'(" and i > url_end:
        closer = ")" if source[i] == "(" else source[i]
        j = source.find(closer, i + 1, min(limit, i + _MAX_TITLE))
        while j > 0 and source[j - 1] == "\\":
            j = source.find(closer, j + 1, min(limit, i + _MAX_TITLE))
        if j < 0:
            return None
        i = _skip_space(source, j + 1, limit)
    if i >= limit or source[i] != ")":
        return None
    return _unescape(source[url_start:url_end]), url_start, url_end, i + 1


class _Scanner:
    """One pass over a block's source; see the module docstring."""

    def __init__(self, block: TextBlock, refs: dict[str, str], markdown: bool) -> None:
        self.block = block
        self.refs = refs
        self.markdown = markdown
        self.out = _Builder(block)
        self.spans = _Spans(block.source)
        self.longest_ref = max(map(len, refs), default=0)

    def run(self) -> None:
        self.scan(0, len(self.block.source), in_link=False)
        self.block.text = "".join(self.out.parts).translate(_PLAIN)

    def scan(self, i: int, limit: int, in_link: bool) -> None:
        source = self.block.source
        special = _SPECIAL if self.markdown else _HTML_SPECIAL
        html_link: Link | None = None
        while i < limit:
            found = special.search(source, i, limit)
            if found is None:
                self.out.copy(source, i, limit)
                return
            at = found.start()
            self.out.copy(source, i, at)
            char = source[at]
            if char == "<":
                i, html_link = self.angle(at, limit, html_link)
            elif char == "&":
                entity = _ENTITY.match(source, at)
                if entity:
                    self.out.put(html.unescape(entity.group()), at)
                    i = entity.end()
                else:
                    self.out.copy(source, at, at + 1)
                    i = at + 1
            elif char == "\\":
                nxt = source[at + 1: at + 2]
                if nxt in _ASCII_PUNCT and nxt:
                    self.out.put(nxt, at + 1)
                    i = at + 2
                elif nxt == "\n":  # hard line break
                    i = at + 1
                else:
                    self.out.copy(source, at, at + 1)
                    i = at + 1
            elif char == "`":
                run_end, span_end = self.spans.code_span_end(at)
                if 0 <= span_end <= limit:
                    self.out.put(" ", at)  # code is not prose, but it separates words
                    i = span_end
                else:
                    self.out.copy(source, at, run_end)
                    i = run_end
            elif char in "*_":
                run_end = at
                while run_end < limit and source[run_end] == char:
                    run_end += 1
                before = source[at - 1] if at else " "
                after = source[run_end] if run_end < len(source) else " "
                if char == "_" and before.isalnum() and after.isalnum():
                    self.out.copy(source, at, run_end)  # snake_case, not emphasis
                i = run_end
            elif char == "!" and source.startswith("[", at + 1):
                i = self.image(at, limit)
            elif char == "[" and not in_link:
                i = self.link(at, limit)
            else:
                self.out.copy(source, at, at + 1)
                i = at + 1
        if html_link is not None:  # <a> left open: its text runs to the block's end
            html_link.text_end = self.out.length

    def angle(self, at: int, limit: int, html_link: Link | None) -> tuple[int, Link | None]:
        source = self.block.source
        block = self.block
        end = self._comment_end(at, limit)
        if end >= 0:
            block.comments.append(Comment(source[at + 4:end - 3], at, end))
            return end, html_link
        match = _AUTOLINK.match(source, at, limit) if self.markdown else None
        if match:
            block.links.append(Link(match.group(1), "autolink", at, match.end(), at + 1,
                                    match.end() - 1, self.out.length, self.out.length))
            self.out.put(" ", at)
            return match.end(), html_link
        match = _EMAIL_AUTOLINK.match(source, at, limit) if self.markdown else None
        if match:
            self.out.put(" ", at)
            return match.end(), html_link
        match = _CLOSE_TAG.match(source, at, limit)
        if match:
            if match.group(1).lower() == "a" and html_link is not None:
                html_link.text_end = self.out.length
                html_link.end = match.end()
                html_link = None
            return match.end(), html_link
        match = _OPEN_TAG.match(source, at, limit)
        if match:
            tag = match.group(1).lower()
            attrs = _attributes(match.group(2))
            if tag == "a" and "href" in attrs:
                value = re.search(r"""href\s*=\s*["']?""", match.group(), re.IGNORECASE)
                url_start = at + (value.end() if value else 0)
                html_link = Link(attrs["href"], "html", at, match.end(), url_start,
                                 url_start + len(attrs["href"]), self.out.length,
                                 self.out.length)
                block.links.append(html_link)
            elif tag == "img":
                block.images.append(Image(attrs.get("src", ""), attrs.get("alt"), "html", at,
                                          match.end()))
                if html_link is not None and attrs.get("alt"):
                    html_link.image_alt = attrs["alt"]
            elif tag in ("br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4"):
                self.out.put(" ", at)
            elif tag in _HIDDEN_TAGS and not match.group().endswith("/>"):
                close_end = self.spans.hidden_close_end(tag, match.end())
                return (close_end if close_end >= 0 else len(source)), html_link
            return match.end(), html_link
        end = self._other_html_end(at, limit)
        if end >= 0:
            return end, html_link
        self.out.copy(source, at, at + 1)
        return at + 1, html_link

    def _comment_end(self, at: int, limit: int) -> int:
        r"""End of the HTML comment at ``at`` within limit, or -1: what the pattern
        ``<!--(?:-?>|[\s\S]*?-->)`` matches, with the closing '-->' looked up, not searched
        for from every '<!--' (ten thousand unclosed ones were quadratic)."""
        source = self.block.source
        if not source.startswith("<!--", at, limit):
            return -1
        if source.startswith(">", at + 4, limit):
            return at + 5
        if source.startswith("->", at + 4, limit):
            return at + 6
        close = self.spans.find("-->", at + 4, limit)
        return close + 3 if close >= 0 else -1

    def _other_html_end(self, at: int, limit: int) -> int:
        """End of a processing instruction ``<?...?>``, declaration ``<!X...>`` or
        ``<![CDATA[...]]>`` at ``at`` within limit, or -1 (looked up, as for comments)."""
        source = self.block.source
        if source.startswith("<?", at, limit):
            close = self.spans.find("?>", at + 2, limit)
            return close + 2 if close >= 0 else -1
        if source.startswith("<![CDATA[", at, limit):
            close = self.spans.find("]]>", at + 9, limit)
            return close + 3 if close >= 0 else -1
        if source.startswith("<!", at, limit) and at + 2 < limit and \
                source[at + 2] in _ASCII_LETTERS:
            close = self.spans.find(">", at + 3, limit)
            return close + 1 if close >= 0 else -1
        return -1

    def _target(self, close: int, limit: int, text_start: int, *, record: bool = True,
                ) -> tuple[str, str, int, int, int]:
        """Resolve what follows ``[text]``: (kind, url, url start, url end, end) or kind ''."""
        source = self.block.source
        if close + 1 < limit and source[close + 1] == "(":
            parsed = _inline_destination(self.spans, close + 1, limit)
            if parsed:
                return "inline", *parsed
            if record and _URLISH.match(source, close + 1, limit) and self._reference(
                    text_start, close) is None:
                end = self.spans.find(")", close + 1, limit)
                self.block.broken.append(BrokenLink(
                    text_start - 1, end + 1 if end > 0 else close + 1,
                    "the address in '(...)' is not valid: a space must be written %20 (or "
                    "the address wrapped in <...>), and ')' must close it"))
                return "", "", 0, 0, 0
        if close + 1 < limit and source[close + 1] == "[":
            label_end = self.spans.find("]", close + 2, limit)
            if label_end > 0 and self.spans.find("[", close + 2, label_end) < 0:
                url = self._reference(close + 2, label_end) if label_end > close + 2 else \
                    self._reference(text_start, close)
                if url is not None:
                    return "reference", url, close + 2, label_end, label_end + 1
                if source[close + 2:label_end].strip() and record:
                    self.block.broken.append(BrokenLink(
                        text_start - 1, label_end + 1,
                        f"reference [{source[close + 2:label_end]}] is not defined"))
                    return "", "", 0, 0, 0
        url = self._reference(text_start, close)
        if url is not None:
            return "reference", url, text_start, close, close + 1
        return "", "", 0, 0, 0

    def _reference(self, start: int, end: int) -> str | None:
        """The URL defined for the label source[start:end], if any. A label's normal form is
        never shorter than its non-space characters (case folding never shortens), so a long
        bracket text that cannot match is not normalized: in a run of nested brackets, doing
        so from every '[' was quadratic."""
        if not self.refs:
            return None
        if end - start > self.longest_ref and self.spans.non_space(start, end) > self.longest_ref:
            return None
        return self.refs.get(normalize_label(self.block.source[start:end]))

    def _contains_link(self, start: int, close: int) -> bool:
        """Whether ``[...]`` text holds a link of its own: then, as CommonMark says, the inner
        link wins and the outer brackets are plain text. (Images inside are fine.)"""
        source = self.block.source
        i = start
        while i < close:
            char = source[i]
            if char == "\\":
                i += 2
                continue
            if char == "`":
                run_end, span_end = self.spans.code_span_end(i)
                i = span_end if 0 <= span_end <= close else run_end
                continue
            if char == "[" and (i == 0 or source[i - 1] != "!"):
                inner = self.spans.matching_bracket(i, close)
                if inner >= 0 and self._target(inner, close, i + 1, record=False)[0]:
                    return True
            i += 1
        return False

    def link(self, at: int, limit: int) -> int:
        source = self.block.source
        close = self.spans.matching_bracket(at, limit)
        if close < 0:
            self.out.copy(source, at, at + 1)
            return at + 1
        kind, url, url_start, url_end, end = self._target(close, limit, at + 1)
        if not kind or self._contains_link(at + 1, close):
            self.out.copy(source, at, at + 1)
            return at + 1
        link = Link(url, kind, at, end, url_start, url_end, self.out.length)
        images_before = len(self.block.images)
        self.scan(at + 1, close, in_link=True)
        link.text_end = self.out.length
        if len(self.block.images) > images_before:
            link.image_alt = self.block.images[-1].alt
        self.block.links.append(link)
        return end

    def image(self, at: int, limit: int) -> int:
        source = self.block.source
        close = self.spans.matching_bracket(at + 1, limit)
        if close < 0:
            self.out.copy(source, at, at + 1)
            return at + 1
        kind, url, _url_start, _url_end, end = self._target(close, limit, at + 2)
        if not kind:
            self.out.copy(source, at, at + 1)
            return at + 1
        self.block.images.append(Image(url, _plain_alt(source[at + 2:close]), "markdown", at,
                                       end))
        return end


def scan_block(kind: str, source: str, refs: dict[str, str], *, markdown: bool = True,
               first_line: int = 1, source_lines: list[str] | None = None) -> TextBlock:
    block = TextBlock(kind, source, first_line=first_line, source_lines=source_lines or [])
    if (_SPECIAL if markdown else _HTML_SPECIAL).search(source) is None:
        block.text = source.translate(_PLAIN)  # the common case: plain prose
    else:
        _Scanner(block, refs, markdown).run()
    return block


@dataclass(slots=True)
class Prose:
    blocks: list[TextBlock]  # body blocks in order, then title and summary blocks
    definitions: list[TextBlock]  # one per reference definition line: '[label]: url'
    refs: dict[str, str]
    _texts: list[str] | None = None
    _lower: str | None = None

    @property
    def texts(self) -> list[str]:
        if self._texts is None:
            self._texts = [block.text for block in self.blocks]
        return self._texts

    @property
    def lower(self) -> str:
        """Every block's text, lowercased, one block per line (for trigger searches)."""
        if self._lower is None:
            self._lower = "\n".join(self.texts).lower()
        return self._lower

    @property
    def body_blocks(self) -> list[TextBlock]:
        return [block for block in self.blocks if block.kind not in ("title", "summary")]


def _definitions(article: Article) -> tuple[dict[str, str], list[TextBlock]]:
    """Reference definitions: markdown-it keeps no token for them, so read the lines that no
    top-level block covers."""
    if "]:" not in article.body:
        return {}, []
    lines = article.body.split("\n")
    covered = bytearray(len(lines) + 1)
    for token in article.tokens:
        if token.map and token.level == 0:
            start, end = token.map
            covered[start:end] = b"\x01" * (end - start)
    refs: dict[str, str] = {}
    blocks: list[TextBlock] = []
    for index, line in enumerate(lines):
        if covered[index] or "]:" not in line:
            continue
        match = _DEFINITION.match(line)
        if not match:
            continue
        label = normalize_label(match.group(1))
        url_group = 2 if match.group(2) is not None else 3
        url = _unescape(match.group(url_group))
        refs.setdefault(label, url)
        block = TextBlock("definition", line, first_line=article.file_line(index + 1),
                          source_lines=article.source_lines)
        block.links.append(Link(url, "definition", 0, len(line), match.start(url_group),
                                match.end(url_group)))
        blocks.append(block)
    return refs, blocks


def _front_matter_block(article: Article, key: str, value: str | None) -> TextBlock | None:
    if not value:
        return None
    line_number = article.key_lines.get(key)
    if line_number is None or line_number > len(article.source_lines):
        return None
    line = article.source_lines[line_number - 1]
    found = line.find(value, line.find(":") + 1)
    block = TextBlock(key, value, text=value.translate(_PLAIN), first_line=line_number,
                      source_lines=article.source_lines)
    if found < 0:  # quoted with escapes, or folded over lines: point at the value's start
        after_colon = line.find(":") + 1
        start = after_colon + len(line[after_colon:]) - len(line[after_colon:].lstrip())
        block.fixed = (line_number, start + 1)
    else:
        block._bases[0] = found
        block._line_starts = [0]
    return block


_LIST_TOKENS = frozenset({"bullet_list_open", "bullet_list_close", "ordered_list_open",
                          "ordered_list_close"})


def extract(article: Article) -> Prose:
    refs, definitions = _definitions(article)
    blocks: list[TextBlock] = []
    tokens = article.tokens
    lines = article.source_lines
    last_row = (-1, 0)
    quotes = lists = 0  # how many block quotes and lists are open
    for index, token in enumerate(tokens):
        if token.type in ("blockquote_open", "blockquote_close"):
            quotes += 1 if token.nesting > 0 else -1
        elif token.type in _LIST_TOKENS:
            lists += token.nesting
        elif token.type == "inline" and token.map and index:
            opener = tokens[index - 1].type
            kind = ("heading" if opener == "heading_open" else
                    "paragraph" if opener == "paragraph_open" else "cell")
            block = scan_block(kind, token.content, refs, first_line=article.file_line(
                token.map[0] + 1), source_lines=lines)
            if kind == "cell":
                # Cells of one row share a line: search each after the one before it.
                row = token.map[0]
                hint = last_row[1] if last_row[0] == row else 0
                block.cell_hint = hint
                file_index = block.first_line - 1
                if token.content and file_index < len(lines):
                    found = lines[file_index].find(token.content, hint)
                    last_row = (row, found + len(token.content) if found >= 0 else hint)
            block.in_blockquote = quotes > 0
            block.in_list = lists > 0
            blocks.append(block)
        elif token.type == "html_block" and token.map:
            blocks.append(scan_block("html", token.content, refs, markdown=False,
                                     first_line=article.file_line(token.map[0] + 1),
                                     source_lines=lines))
    for key, value in (("title", article.title), ("summary", article.summary)):
        block = _front_matter_block(article, key, value)
        if block is not None:
            blocks.append(block)
    return Prose(blocks, definitions, refs)


_LAST: list[tuple[Article, Prose]] = []


def prose_of(article: Article) -> Prose:
    """The article's prose, computed once however many rules ask for it in a row."""
    if _LAST and _LAST[0][0] is article:
        return _LAST[0][1]
    prose = extract(article)
    _LAST[:] = [(article, prose)]
    return prose
