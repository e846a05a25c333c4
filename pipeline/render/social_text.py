"""Cutting prose for a post: whole sentences first, then whole words (or clusters of text
written without spaces) with an ellipsis; never inside a grapheme cluster, a URL or a hashtag."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from pipeline import disclaimer as disclaimers
from pipeline.markup import Block
from pipeline.render.social_platforms import CLUSTER, url_spans

ELLIPSIS = "\u2026"
MAX_POINTS = 3
MAX_POINT_LENGTH = 200
_GENERIC_HEADING = regex.compile(
    r"^\W*(?:references|sources|further reading|bibliography|notes|(?:medical )?disclaimer)\W*$",
    regex.IGNORECASE)

# Characters no post should carry: what twitter-text rejects (BOM, noncharacters) and the bidi
# embeddings, overrides and isolates a title could leave open, flipping the link after it.
# Private-use characters show as nothing on any platform.
_UNWANTED = regex.compile(r"[\ufeff\ufffe\uffff\u202a-\u202e\u2066-\u2069\ue000-\uf8ff]")
# A sentence ends at . ! ? … (maybe closed by a quote or bracket) before a space and a word that
# does not start in lower case, or at a CJK full stop, where no space follows.
_SENTENCE_BREAK = regex.compile(
    r"(?<=[.!?…‼⁇⁈⁉][\"'”’»)\]]*)\s+(?=[^\p{Ll}\s])|(?<=[。！？][」』”’）)]*)(?=\S)")
_ABBREVIATION = regex.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Sr|Jr|St|vs|No|Fig|approx|cf|al|e\.g|i\.e)|(?<!\S)\p{Lu})\.$",
    regex.IGNORECASE)
_WORD = regex.compile(r"\S+")
# Scripts written without spaces: a cut may fall after any of their clusters.
_UNSPACED = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\u3000-\u303f\uff00-\uffef]")
_PROTECTED = regex.compile(r"(?:https?://|www\.)\S+|[#＃@＠]\S+")
# Not worth ending on before an ellipsis: spaces, dashes, opening brackets and quotes, commas.
_TRAILING = " \t-\u2010\u2011\u2012\u2013\u2014\u2015([{«‹“‘„‚〈《「『【〔（［｛,;:.、，；：/"

def clean(text: str) -> str:
    """One line of prose: unwanted controls gone, whitespace runs made single spaces."""
    return " ".join(_UNWANTED.sub("", text).split())


def _sentence_ends(text: str) -> list[int]:
    """Offsets where each sentence of ``text`` ends; the last is ``len(text)``."""
    ends = [match.start() for match in _SENTENCE_BREAK.finditer(text)
            if not _ABBREVIATION.search(text, 0, match.start())]
    return [*ends, len(text)]


def first_sentence(text: str) -> str:
    return text[: _sentence_ends(text)[0]]


def _protected(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    if "." in text:  # bare domains (example.com/path) are links to X and Threads too
        spans += url_spans(text, without_protocol=True)
    return spans


def _cut_positions(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Offsets, ascending, where ``text`` may be cut: after a word, after a cluster of an
    unspaced script, or between any clusters of a first word too long to keep whole; never
    inside one of the ``spans`` (links, hashtags, mentions)."""
    positions: list[int] = []
    for index, word in enumerate(_WORD.finditer(text)):
        token = word.group()
        if index == 0 or _UNSPACED.search(token):
            for cluster in CLUSTER.finditer(token):
                at = word.start() + cluster.end()
                if at < word.end() and (index == 0 or _UNSPACED.match(cluster.group())) and not any(
                        start < at < end for start, end in spans):
                    positions.append(at)
        positions.append(word.end())
    return [position for position in positions if position < len(text)]


def shortenings(text: str, floor: int = 1) -> list[str]:
    """Shorter versions of ``text``, longest first: whole sentences; then, within the first
    sentence, whole words (or clusters) with an ellipsis, none shorter than ``floor``."""
    ends = _sentence_ends(text)
    found = [text[:end] for end in reversed(ends[:-1])]
    first = text[: ends[0]]
    spans = _protected(first)
    for position in reversed(_cut_positions(first, spans)):
        if any(start < position <= end for start, end in spans):
            # A link or hashtag keeps its last character, and a space keeps the ellipsis out.
            candidate = first[:position] + " " + ELLIPSIS
        else:
            candidate = first[:position].rstrip(_TRAILING) + ELLIPSIS
        if len(candidate) <= floor:
            break
        if not found or found[-1] != candidate:
            found.append(candidate)
    return found


def tidy(text: str) -> str:
    """Lines without trailing spaces, at most one blank line in a row, none around the post."""
    text = "\n".join(line.rstrip(" \t") for line in text.replace("\r\n", "\n").split("\n"))
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def is_disclaimer(text: str, signature: str) -> bool:
    """``text`` is the disclaimer (``signature``: normalized) or a heading announcing one."""
    normalized = disclaimers.normalize(text)
    return signature in normalized or normalized.startswith(("disclaimer", "medical disclaimer"))


def key_points(blocks: tuple[Block, ...], disclaimer: str) -> tuple[str, ...]:
    """Two or three points of an article: its ## headings when it has at least two, otherwise
    the first sentences of the paragraphs after the lead (which the hook already covers)."""
    signature = disclaimers.normalize(disclaimer)
    headings = [block for block in blocks
                if block.kind == "heading" and block.level == 2
                and not _GENERIC_HEADING.match(block.text)
                and not is_disclaimer(block.text, signature)]
    texts: Iterator[str]
    if len(headings) >= 2:
        texts = (clean(block.text) for block in headings)
    else:
        paragraphs = (block for block in blocks if block.kind == "paragraph")
        next(paragraphs, None)
        texts = (first_sentence(clean(block.text)) for block in paragraphs
                 if not is_disclaimer(block.text, signature))
    points: list[str] = []
    for text in texts:
        if len(text) > MAX_POINT_LENGTH:
            text = next((cut for cut in shortenings(text) if len(cut) <= MAX_POINT_LENGTH), "")
        if text and text not in points:
            points.append(text)
            if len(points) == MAX_POINTS:
                break
    return tuple(points)
