"""dangling-link-text and link: link words without a link, and links readers cannot follow."""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import accumulate
from urllib.parse import urlsplit

from pipeline.articles import Article
from pipeline.checks import Rule, article_rule, finding, phrases
from pipeline.checks.prose import Link, TextBlock, prose_of
from pipeline.config import Config
from pipeline.findings import Finding, Severity

DANGLING = Rule(
    "dangling-link-text", Severity.ERROR,
    "Link words with no link ('click here', 'find more details on this page'), or a link "
    "whose text says nothing.",
    "Words that point at a link ('click here', 'read more here', 'visit this site', 'find "
    "more details on this page', 'at this website') are reported when they are plain text: "
    "the link was deleted, or a spam anchor was pasted in as text. Links whose text is empty "
    "or meaningless ('here', 'link', 'click here', 'this', 'read more') are reported too: "
    "screen readers list links by their text, and email clients show it alone.\n"
    "Fix: link the words that describe the destination, e.g. 'the [NHS guide to back pain]"
    "(https://www.nhs.uk/conditions/back-pain/)', or delete the leftover words.",
)
LINK = Rule(
    "link", Severity.WARNING,
    "A link is malformed, uses http:, points at a local address, or is a bare URL in prose.",
    "Every link must open for every reader: a well-formed https: address (or a path relative "
    "to the site), not http: (browsers warn, email clients may block), not localhost, "
    "127.0.0.1 or a private network address, not a scheme that publishing removes "
    "(javascript:, file:, data:), and not a web address missing its 'https://' (that becomes "
    "a broken relative link). Broken Markdown link syntax ('[text] (url)', an undefined "
    "'[text][ref]', a destination with spaces) and bare URLs in prose are reported too: "
    "readers cannot click a bare URL in every client, and it reads badly aloud.\n"
    "Fix: write [descriptive text](https://example.org/page); encode spaces as %20 or wrap "
    "the address in <...>.",
)

_BARE_URL = re.compile(r"(?<![\w/@.:-])(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_SPACED_LINK = re.compile(r"\[[^\[\]\n]+\][ \t]+\((?:https?://|www\.|/)", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
_SCHEMELESS = re.compile(
    r"^(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|uk|au|nz|ca|ie|"
    r"io|info|health|co|us|de|fr|eu|int|nhs\.uk))(?:[/:?#]|$)", re.IGNORECASE)
_MISSING_COLON = re.compile(r"^(?:h+t+p+s?|h?t+p+s?)//", re.IGNORECASE)
_SCHEME_TYPO = re.compile(r"h+t+p+s*|h?t+p+s*|htt?ps?s+", re.IGNORECASE)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)
_REMOVED_SCHEMES = {"javascript", "vbscript", "data", "file"}
_MEANINGLESS_STRIP = re.compile(r"[^\w\s]+")
_IP_LIKE = re.compile(r"[0-9.]+$|[0-9a-f:.]*:[0-9a-f:.%\w]*$", re.IGNORECASE)  # IPv4 or IPv6
# A link stripped out of spun or pasted text leaves its words stranded in Title Case between
# a double space and a space before punctuation: "Over  Visit Website , these sessions". Spam
# anchors vary endlessly ("Simply Click The Up Coming Article"); this shape does not.
_TITLE_WORD = (r"(?:[A-Z0-9][\w'\u2019.-]*"
               r"|a|an|the|to|of|on|at|in|for|and|or|this|that|these|here|now|out|more|up)")
_STRANDED = re.compile(r"(?<=\S) {2,}(?=[A-Z])(" + _TITLE_WORD + r"(?: " + _TITLE_WORD
                       + r"){0,7}) +(?=[,.;:!?])")


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    # Nearly every host is a name: skip the exception ipaddress raises for each one.
    if not _IP_LIKE.match(host):
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _local_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in ("localhost", "0.0.0.0") or host.endswith((".localhost", ".local", ".internal")):
        return True
    address = _ip_address(host)
    if address is None:
        return False
    return (address.is_private or address.is_loopback or address.is_link_local
            or address.is_unspecified or address.is_reserved)


def _host_problem(host: str) -> str | None:
    if not host:
        return "has no host name after '//'"
    if _ip_address(host) is not None:
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"has an invalid host name '{host}'"
    labels = ascii_host.rstrip(".").split(".")
    if len(labels) < 2:
        return f"has the host '{host}', which is not a public domain (no '.com', '.org' ...)"
    if not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return f"has an invalid host name '{host}'"
    return None


def url_problem(url: str, *, image: bool = False) -> str | None:
    """What is wrong with a link destination, or None. Relative paths are fine."""
    value = url.strip()
    what = "image address" if image else "link"
    if not value:
        return f"the {what} is empty: put the address between the parentheses"
    if any(char.isspace() for char in value):
        return f"the {what} contains spaces: write them as %20 or wrap the address in <...>"
    try:
        parts = urlsplit(value)
        scheme = parts.scheme.lower()
        if not scheme:
            if value.startswith("//"):
                return f"the {what} '{value}' has no scheme: write https:{value}"
            if _MISSING_COLON.match(value):
                return f"the {what} '{value}' is malformed: it should start with https://"
            if _SCHEMELESS.match(value):
                return (f"the {what} '{value}' lacks 'https://', so it becomes a broken "
                        f"relative link: write https://{value}")
            return None
        if scheme in ("http", "https"):
            if not value[len(scheme) + 1:].startswith("//"):
                return f"the {what} '{value}' is malformed: write {scheme}://host/path"
            host = parts.hostname or ""
            if host and _local_host(host):
                return (f"the {what} '{value}' points at {host}, a local address readers "
                        "cannot reach")
            problem = _host_problem(host)
            if problem:
                return f"the {what} '{value}' {problem}"
            _ = parts.port  # raises ValueError for a bad port
            if scheme == "http":
                return f"the {what} '{value}' uses http:; use https: so it opens without warnings"
            return None
    except ValueError as exc:
        return f"the {what} '{value}' is malformed ({exc})"
    if scheme == "mailto":
        return None if "@" in parts.path else f"the {what} '{value}' has no email address"
    if scheme == "tel":
        return None
    if scheme in _REMOVED_SCHEMES:
        return f"'{scheme}:' {what}s are removed when the article is published"
    if len(scheme) == 1:
        return f"the {what} '{value}' is a Windows file path, not a web address"
    if _SCHEME_TYPO.fullmatch(scheme):
        return f"the {what} '{value}' is malformed: it should start with https://"
    return (f"the {what} '{value}' uses '{scheme}:', which publishing removes; "
            "use an https: address")


def is_citation(url: str) -> bool:
    """A link that can stand as a source: a well-formed public http(s) address."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return False
    return (parts.scheme.lower() in ("http", "https") and _host_problem(host) is None
            and not _local_host(host))


@cache
def _patterns() -> tuple[phrases.Finder, frozenset[str]]:
    spec = phrases.data("link_phrases.yaml")
    lists = spec.get("lists", {})
    meaningless = frozenset(str(word).lower() for word in spec["meaningless_link_words"])
    finder = phrases.Finder(phrases.alternation(spec["dangling"], lists), spec["triggers"],
                            reach=int(spec["trigger_reach"]), whole_words=True)
    return finder, meaningless


class _Ranges:
    """Ranges [start, end) of one block, which may overlap or nest, asked in O(log n) whether
    one holds an offset, covers a span or overlaps it. Asking every range in turn made a
    paragraph of thousands of broken links and bare URLs quadratic (16,000: 39 s)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _end in ordered]
        self._reach = list(accumulate((end for _start, end in ordered), max))

    def _furthest_end(self, count: int) -> int:
        """The furthest end among the first ``count`` ranges (by start)."""
        return self._reach[count - 1] if count else -1

    def holds(self, at: int) -> bool:
        return self._furthest_end(bisect_right(self._starts, at)) > at

    def covers(self, start: int, end: int) -> bool:
        return self._furthest_end(bisect_right(self._starts, start)) >= end

    def overlaps(self, start: int, end: int) -> bool:
        return self._furthest_end(bisect_left(self._starts, end)) > start


def _link_texts(links: list[Link]) -> _Ranges:
    """Where the block's link texts are (autolinks have none)."""
    return _Ranges((link.text_start, link.text_end) for link in links
                   if link.kind != "autolink")


def _span(article: Article, rule: Rule, block: TextBlock, start: int, end: int,
          message: str, *, source: bool = False) -> Finding:
    if source:
        line, col = block.source_position(start)
        end_line, end_col = block.source_end_position(end)
    else:
        line, col = block.position(start)
        end_line, end_col = block.end_position(end)
    return finding(article, rule, line, col, message, end_line=end_line, end_col=end_col)


def _link_text(block: TextBlock, link: Link) -> str:
    return " ".join(block.text[link.text_start:link.text_end].split())


@article_rule(DANGLING)
def check_dangling(article: Article, config: Config) -> Iterator[Finding]:
    dangling, meaningless = _patterns()
    prose = prose_of(article)
    reported: dict[int, list[tuple[int, int]]] = {}  # by block: the phrases reported
    linked: dict[int, _Ranges] = {}

    def inside_link(index: int, start: int, end: int) -> bool:
        if index not in linked:
            linked[index] = _link_texts(prose.blocks[index].links)
        return linked[index].covers(start, end)

    for index, found in dangling.search(prose.texts, prose.lower):
        block = prose.blocks[index]
        if inside_link(index, found.start(), found.end()):
            continue
        reported.setdefault(index, []).append((found.start(), found.end()))
        phrase = " ".join(found.group().split())
        yield _span(article, DANGLING, block, found.start(), found.end(),
                    f"'{phrase}' points at a link that is not there: link the words that "
                    "describe the destination, or delete them")
    for index, block in enumerate(prose.blocks):
        if "  " not in block.text:
            continue
        phrases_here = _Ranges(reported.get(index, ()))
        for stranded in _STRANDED.finditer(block.text):
            start, end = stranded.span(1)
            if inside_link(index, start, end) or phrases_here.overlaps(start, end):
                continue  # linked after all, or already reported by its phrase
            yield _span(article, DANGLING, block, start, end,
                        f"'{stranded.group(1)}' looks like the text of a link that was removed "
                        "(a stray double space before it, a space before the punctuation "
                        "after it): link it or delete it")
    for block in prose.blocks:
        for link in block.links:
            if link.kind in ("autolink", "definition"):
                continue
            text = _link_text(block, link)
            if not text and not (link.image_alt or "").strip():
                yield _span(article, DANGLING, block, link.start, link.end,
                            "link has no text: write words that say where it goes",
                            source=True)
            elif set(_MEANINGLESS_STRIP.sub(" ", text).lower().split()) <= meaningless:
                yield _span(article, DANGLING, block, link.start, link.end,
                            f"link text '{text}' says nothing about where the link goes: "
                            "use words that describe the destination", source=True)


@article_rule(LINK)
def check_links(article: Article, config: Config) -> Iterator[Finding]:
    prose = prose_of(article)
    for block in [*prose.blocks, *prose.definitions]:
        for link in block.links:
            if link.kind == "reference":
                continue  # checked once, at its definition
            problem = url_problem(link.url)
            if problem:
                yield _span(article, LINK, block, link.url_start, link.url_end, problem,
                            source=True)
        for image in block.images:
            problem = url_problem(image.src, image=True)
            if problem:
                yield _span(article, LINK, block, image.start, image.end, problem, source=True)
        for broken in block.broken:
            yield _span(article, LINK, block, broken.start, broken.end,
                        f"broken link: {broken.reason}", source=True)
        if block.kind == "definition":
            continue
        text = block.text
        spaced = ([(m.start(), m.end()) for m in _SPACED_LINK.finditer(text)]
                  if "] " in text or "]\t" in text else [])
        for start, end in spaced:
            yield _span(article, LINK, block, start, end,
                        "broken link: remove the space between ']' and '(' so this becomes a "
                        "link")
        if "http" not in text and "www." not in text and "HTTP" not in text and "WWW." not in text:
            continue
        linked = _link_texts(block.links)
        spaced_ranges = _Ranges(spaced)
        broken_ranges = _Ranges((broken.start, broken.end) for broken in block.broken)
        for found in _BARE_URL.finditer(text):
            start = found.start()
            end = start + len(found.group().rstrip(_TRAILING))
            if linked.covers(start, end) or spaced_ranges.holds(start):
                continue
            if broken_ranges.holds(block.source_offset(start)):
                continue  # already reported as a broken link
            yield _span(article, LINK, block, start, end,
                        f"bare URL '{block.text[start:end]}' in the text: make it a link with "
                        "words that describe it, e.g. [NHS advice on back pain](https://...)")
