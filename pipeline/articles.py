"""Reading article files: front matter, Markdown body, and the Article model.

Loading never raises on bad content: it returns findings (rule ``front-matter`` or
``encoding``) with the file, line and column, so one run reports every problem.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml
from markdown_it.token import Token

from pipeline import markup
from pipeline.config import Config
from pipeline.findings import Finding, Severity

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Top-level folders the web archive (or the deployed feeds) use: an article slug must not take
# them (the duplicate-slug rule reports it; the site renderer refuses it).
RESERVED_SLUGS = frozenset({"tags", "page", "feeds", "newsletter"})
# The front-matter lines a copy without tokens keeps: duplicate slugs and images are
# checked across the whole archive, on copies.
_LINES_KEPT = frozenset({"slug", "image", "image_alt"})
KNOWN_KEYS = {
    "title", "date", "author", "summary", "tags", "slug", "image", "image_alt", "draft",
    "updated", "disclaimer",
}
# Control characters, and lone UTF-16 surrogates (which YAML's "\ud83e" escapes can produce):
# neither can be written as UTF-8 text or XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Unicode's bidirectional controls (embeddings, overrides, isolates and the three marks): no
# editor shows them, and in a title they can make a subject line, a post or a tag page read in
# another order than it was written (U+202E turns "...txt.exe" into "...exe.txt"). Right-to-left
# scripts need none of them: each letter carries its own direction.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_INVALID = object()
# Far above any real value: they stop a runaway paste from reaching every output.
TEXT_LIMITS = {"title": 1000, "summary": 5000, "author": 200, "image": 2000, "image_alt": 1000,
               "tags": 100}
MAX_TAGS = 50  # a front-matter value that failed to load (already reported)


@dataclass(slots=True)
class Article:
    path: Path
    display_path: str
    slug: str
    title: str
    date: dt.datetime
    body: str
    body_start: int  # 1-based file line of the body's first line
    author: str | None = None
    summary: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    image_alt: str | None = None
    draft: bool = False
    updated: dt.datetime | None = None
    disclaimer_id: str = "standard"
    key_lines: dict[str, int] = field(default_factory=dict)
    source_lines: list[str] = field(default_factory=list)
    # markdown-it's block tokens; their inline children are parsed on first use (``inline``
    # holds what that needs until then): the checks never use them, rendering does.
    tokens: list[Token] = field(default_factory=list)
    inline: markup.Env | None = None
    html: str = ""
    text_blocks: list[markup.Block] | None = None
    # Image sources with their lines, kept when the parsed tokens are dropped (cache, workers).
    image_refs: tuple[tuple[str, int], ...] | None = None

    def file_line(self, body_line: int) -> int:
        """File line of a 1-based body line (front matter shifts everything down)."""
        return body_line + self.body_start - 1

    def parsed_tokens(self) -> list[Token]:
        """The tokens with their inline children, as ``markup.parse`` gives them."""
        if self.inline is not None:
            markup.parse_inline(self.tokens, self.inline)
            self.inline = None
        return self.tokens

    @property
    def blocks(self) -> list[markup.Block]:
        if self.text_blocks is None:
            self.text_blocks = markup.blocks(self.parsed_tokens())
        return self.text_blocks

    def rendered_html(self) -> str:
        """The body as sanitized HTML, rendered on first use (``check`` rarely needs it)."""
        if not self.html and self.tokens:
            self.html = markup.sanitize(markup.render(self.parsed_tokens()))
        return self.html

    def without_tokens(self, *, rendering: bool = True) -> Article:
        """A copy for caches and other processes: its image sources kept, the tokens (most of
        the memory) dropped. ``rendering`` keeps what the renderers need (the HTML and text
        blocks, made now); without it the body text goes too, leaving enough to report,
        fix and run the corpus rules."""
        refs = tuple(self.image_references())
        # Only the lines the checks of whole archives and of images report at (a key's line
        # for each article was 0.6 KB of 2.5: 6 MB of a 10,000-article build's main process).
        lines = {key: line for key, line in self.key_lines.items() if key in _LINES_KEPT}
        if not rendering:
            return replace(self, body="", tokens=[], inline=None, html="", text_blocks=[],
                           source_lines=[], image_refs=refs, key_lines=lines)
        self.rendered_html()
        return replace(self, tokens=[], inline=None, source_lines=[], text_blocks=self.blocks,
                       image_refs=refs, key_lines=lines)

    def image_references(self) -> Iterator[tuple[str, int]]:
        """Every image source the article names, with the file line that names it."""
        if self.image_refs is not None:  # a cached or worker copy: the tokens are gone
            yield from self.image_refs
            return
        if self.image:
            yield self.image, self.key_lines.get("image", 1)
        for src, body_line in markup.image_sources(self.tokens, self.inline):
            yield src, self.file_line(body_line)

    @property
    def lead(self) -> str:
        return markup.lead_paragraph(self.blocks)

    @property
    def description(self) -> str:
        return self.summary or self.lead

    def local_date(self, tz: dt.tzinfo) -> dt.date:
        """The article's calendar date in the publication's time zone."""
        return self.date.astimezone(tz).date()

    def is_published(self, today: dt.date, tz: dt.tzinfo) -> bool:
        return not self.draft and self.local_date(tz) <= today


@dataclass(slots=True)
class LoadResult:
    path: Path
    display_path: str
    article: Article | None
    findings: list[Finding]


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML that refuses anchors/aliases: front matter never needs them, and they are
    how a 'billion laughs' document blows up memory."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases (*name) are not allowed in front matter",
                event.start_mark)
        return super().compose_node(parent, index)


class _Reporter:
    def __init__(self, display_path: str) -> None:
        self.display_path = display_path
        self.findings: list[Finding] = []
        self.lines: list[str] = []  # the file's lines, once decoded: to point at a character

    def error(self, line: int, col: int, rule: str, message: str) -> None:
        self.findings.append(
            Finding(self.display_path, line, col, rule, Severity.ERROR, message))

    def warning(self, line: int, col: int, rule: str, message: str) -> None:
        self.findings.append(
            Finding(self.display_path, line, col, rule, Severity.WARNING, message))


def _decode(raw: bytes, report: _Reporter) -> str | None:
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        report.error(1, 1, "encoding",
                     f"this is a binary file, not a Markdown article (NUL byte on line {line})")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error(line, col, "encoding",
                     f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        return None
    # CRLF and lone CR are both accepted; line numbers stay those an editor shows.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        # XML (feeds) cannot carry these at all, and no editor shows them: refuse, don't guess.
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        report.error(line, col, "encoding",
                     f"invisible control character U+{ord(bad.group()):04X}; delete it")
        return None
    return text


def _split_front_matter(lines: list[str], report: _Reporter) -> tuple[str, int] | None:
    """Return (yaml text, 1-based line of the closing fence)."""
    if not lines or lines[0].rstrip() != "---":
        report.error(1, 1, "front-matter",
                     "no front matter: start the file with a line '---', then 'title:' and "
                     "'date:', then a closing '---'")
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return "\n".join(lines[1:index]), index + 1
    report.error(1, 1, "front-matter",
                 "front matter is not closed: add a line '---' after the last key")
    return None


def _text_field(name: str, value: Any, line: int, report: _Reporter) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        report.error(line, 1, "front-matter", f"'{name}' must be text, not {_kind(value)}")
        return None
    text = str(value).strip()
    if _CONTROL.search(text):
        report.error(line, 1, "front-matter", f"'{name}' contains control characters; remove them")
        return None
    bidi = _BIDI_CONTROL.search(text)
    if bidi:
        char = bidi.group()
        found_line, col = _locate(char, line, report.lines)
        report.error(found_line, col, "front-matter",
                     f"'{name}' contains U+{ord(char):04X} {unicodedata.name(char)}, an invisible "
                     "bidirectional control that can make the text display in another order "
                     "than it reads; delete it (right-to-left words need no control characters)")
        return None
    limit = TEXT_LIMITS.get(name, TEXT_LIMITS["tags"])
    if len(text) > limit:
        report.error(line, 1, "front-matter",
                     f"'{name}' is {len(text):,} characters long; the most accepted is {limit:,}")
        return None
    return text


def _locate(char: str, line: int, lines: list[str]) -> tuple[int, int]:
    """File line and column of ``char`` in the value whose key is on ``line``: that line, or
    one of the lines that continue it (indented, or a "- item" of a list). Column 1 of the
    key's line if the value wrote it as a YAML escape ("\\u202e")."""
    index = line - 1
    while 0 <= index < len(lines) and (index == line - 1 or lines[index][:1] in (" ", "\t")
                                       or lines[index].startswith("- ")):
        column = lines[index].find(char)
        if column >= 0:
            return index + 1, column + 1
        index += 1
    return line, 1


def slug_from_filename(stem: str) -> str:
    """A URL slug from any file name: 'Neck pain – Été.md' gives 'neck-pain-ete'."""
    from slugify import slugify  # transliterates non-Latin scripts too

    return slugify(stem, max_length=80, word_boundary=True)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _to_datetime(name: str, value: Any, line: int, tz: dt.tzinfo,
                 report: _Reporter) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            report.error(line, 1, "front-matter",
                         f"'{name}' is not a date: write YYYY-MM-DD or an ISO 8601 date-time "
                         f"such as 2026-03-01T08:30:00+01:00 (got {value!r})")
            return None
    else:
        report.error(line, 1, "front-matter",
                     f"'{name}' must be a date (YYYY-MM-DD), not {_kind(value)}")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def _local_path_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https"):
        return None
    if parts.scheme:
        return f"scheme '{parts.scheme}:' is not allowed; use https: or a path inside articles/"
    path = PurePosixPath(parts.path)
    if path.is_absolute() or value.startswith("\\") or ".." in path.parts or "\\" in value:
        return "must be an https URL or a relative path inside articles/ (no '..', no '/' start)"
    return None


# libyaml's composer is ~10x faster than PyYAML's, but cannot refuse aliases; front matter
# that could hold an anchor or alias ('&' or '*') takes the careful pure-Python path.
_FastLoader = getattr(yaml, "CSafeLoader", None)


def _compose(yaml_text: str, report: _Reporter) -> yaml.MappingNode | None:
    loader_class = _NoAliasLoader
    if _FastLoader is not None and "&" not in yaml_text and "*" not in yaml_text:
        loader_class = _FastLoader
    try:
        loader = loader_class(yaml_text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2  # +1 for 1-based, +1 for the opening fence
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem:
            # The parser notices late; say where the unfinished construct began.
            problem += f" ({exc.context} that starts on line {exc.context_mark.line + 2})"
        report.error(line, col, "front-matter", f"invalid YAML in front matter: {problem}")
        return None
    except yaml.YAMLError as exc:
        report.error(2, 1, "front-matter", f"invalid YAML in front matter: {exc}")
        return None
    except RecursionError:
        report.error(2, 1, "front-matter", "front matter is nested too deeply")
        return None
    if node is None:
        report.error(1, 1, "front-matter", "front matter is empty: add 'title:' and 'date:'")
        return None
    if not isinstance(node, yaml.MappingNode):
        report.error(node.start_mark.line + 2, node.start_mark.column + 1, "front-matter",
                     "front matter must be 'key: value' lines, not a list or a single value")
        return None
    return node


def _front_matter_values(
    node: yaml.MappingNode, report: _Reporter
) -> tuple[dict[str, Any], dict[str, int]]:
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    constructor = yaml.SafeLoader("")
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            report.error(line, key_node.start_mark.column + 1, "front-matter",
                         "front matter keys must be plain names")
            continue
        if key in values:
            report.error(line, 1, "front-matter", f"'{key}' is given twice; keep one")
            continue
        try:
            values[key] = constructor.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            report.error(line, 1, "front-matter", f"'{key}' has an invalid value: {exc}")
            values[key] = _INVALID
        except RecursionError:
            report.error(line, 1, "front-matter", f"'{key}' is nested too deeply")
            values[key] = _INVALID
        lines[key] = line
    constructor.dispose()
    return values, lines


def load_article(path: Path, config: Config, display_path: str | None = None) -> LoadResult:
    display = display_path or str(path)
    report = _Reporter(display)

    def done(article: Article | None = None) -> LoadResult:
        return LoadResult(path, display, article, report.findings)

    try:
        size = path.stat().st_size
        if size > config.check.max_file_bytes:
            report.error(1, 1, "encoding",
                         f"file is {size:,} bytes, over the limit of "
                         f"{config.check.max_file_bytes:,} (check.max_file_bytes)")
            return done()
        raw = path.read_bytes()
    except OSError as exc:
        report.error(1, 1, "encoding", f"cannot read the file: {exc.strerror}")
        return done()
    if not raw.strip():
        report.error(1, 1, "front-matter", "the file is empty: add front matter and a body")
        return done()
    text = _decode(raw, report)
    if text is None:
        return done()
    lines = report.lines = text.split("\n")
    split = _split_front_matter(lines, report)
    if split is None:
        return done()
    yaml_text, closing_line = split
    node = _compose(yaml_text, report)
    if node is None:
        return done()
    meta, key_lines = _front_matter_values(node, report)
    article = _build_article(path, display, meta, key_lines, lines, closing_line, config, report)
    return done(article)


def _build_article(path: Path, display: str, meta: dict[str, Any], key_lines: dict[str, int],
                   lines: list[str], closing_line: int, config: Config,
                   report: _Reporter) -> Article | None:
    tz = zoneinfo.ZoneInfo(config.site.timezone)

    def line_of(key: str) -> int:
        return key_lines.get(key, 1)

    for key in meta:
        if key not in KNOWN_KEYS:
            report.warning(line_of(key), 1, "front-matter",
                           f"unknown key '{key}' is ignored; known keys: "
                           + ", ".join(sorted(KNOWN_KEYS)))

    # Keys whose value failed to load were reported already; they count as present.
    meta = {key: value for key, value in meta.items() if value is not _INVALID}
    title = _text_field("title", meta.get("title"), line_of("title"), report)
    if "title" not in key_lines:
        report.error(1, 1, "front-matter", "missing 'title'; add a line 'title: Your title'")
    elif "title" in meta and (title == "" or meta["title"] is None):
        report.error(line_of("title"), 1, "front-matter", "'title' is empty")

    date = None
    if "date" not in key_lines:
        report.error(1, 1, "front-matter", "missing 'date'; add a line 'date: YYYY-MM-DD'")
    elif "date" in meta:
        date = _to_datetime("date", meta["date"], line_of("date"), tz, report)
    updated = None
    if meta.get("updated") is not None:
        updated = _to_datetime("updated", meta["updated"], line_of("updated"), tz, report)

    slug = slug_from_filename(path.stem)
    if "slug" in meta:
        slug_value = meta["slug"]
        if not isinstance(slug_value, str) or not SLUG_RE.match(slug_value):
            report.error(line_of("slug"), 1, "front-matter",
                         f"invalid slug {slug_value!r}: use lowercase letters, digits and single "
                         "hyphens, such as 'neck-pain-at-work'")
            slug_value = None
        slug = slug_value or slug
    elif not slug:
        report.error(1, 1, "front-matter",
                     f"no slug can be made from the file name {path.name!r}: add "
                     "'slug: lowercase-words-with-hyphens'")

    tags: list[str] = []
    raw_tags = meta.get("tags")
    if raw_tags is not None:
        if isinstance(raw_tags, str):
            raw_tags = [raw_tags]
        if not isinstance(raw_tags, list):
            report.error(line_of("tags"), 1, "front-matter",
                         "'tags' must be a list, such as [massage, chronic-pain]")
        else:
            for tag in raw_tags:
                value = _text_field("tags", tag, line_of("tags"), report)
                if value and value not in tags:
                    tags.append(value)
            if len(tags) > MAX_TAGS:
                report.error(line_of("tags"), 1, "front-matter",
                             f"{len(tags)} tags; the most accepted is {MAX_TAGS}")
                tags = tags[:MAX_TAGS]

    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        report.error(line_of("draft"), 1, "front-matter", "'draft' must be true or false")
        draft = True  # an unclear draft flag must never publish

    disclaimer_id = meta.get("disclaimer", "standard")
    if not isinstance(disclaimer_id, str) or disclaimer_id not in config.disclaimers:
        known = ", ".join(sorted(config.disclaimers))
        report.error(line_of("disclaimer"), 1, "front-matter",
                     f"unknown disclaimer {disclaimer_id!r}; configured ids: {known} "
                     "(add [disclaimers.<id>] text = \"...\" to pipeline.toml)")
        disclaimer_id = "standard"

    image = _text_field("image", meta.get("image"), line_of("image"), report)
    if image and (problem := _local_path_problem(image)):
        report.error(line_of("image"), 1, "front-matter", f"'image' {problem}")
        image = None
    image_alt = _text_field("image_alt", meta.get("image_alt"), line_of("image_alt"), report)

    body_lines = lines[closing_line:]
    body = "\n".join(body_lines)
    tokens, inline_env = markup.parse_blocks(body)
    if (deep := markup.too_deep(tokens)) is not None and deep.map:
        report.error(deep.map[0] + closing_line + 1, 1, "nesting",
                     f"lists or quotes nested more than {markup.MAX_NESTING} levels deep; "
                     "everything after this line would be lost: flatten the nesting")
    if title is None or date is None or not title:
        return None
    return Article(
        path=path,
        display_path=display,
        slug=slug,
        title=unicodedata.normalize("NFC", title),
        date=date,
        body=body,
        body_start=closing_line + 1,
        author=_text_field("author", meta.get("author"), line_of("author"), report),
        summary=_text_field("summary", meta.get("summary"), line_of("summary"), report),
        tags=tags,
        image=image,
        image_alt=image_alt,
        draft=draft,
        updated=updated,
        disclaimer_id=disclaimer_id,
        key_lines=key_lines,
        source_lines=lines,
        tokens=tokens,
        inline=inline_env,
    )


def find_article_files(paths: list[Path]) -> list[Path]:
    """Markdown files under the given files or folders, sorted.

    Symlinks inside a folder are not followed: an article folder must not be a way to read
    (and publish) files from elsewhere on the machine. Hidden folders are skipped.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root, name)
                    if name.endswith(".md") and not name.startswith(".") and \
                            not candidate.is_symlink():
                        found.append(candidate)
        elif path.is_file():
            found.append(path)
    return sorted(dict.fromkeys(found))


def load_articles(paths: list[Path], config: Config) -> list[LoadResult]:
    return [load_article(path, config) for path in find_article_files(paths)]
