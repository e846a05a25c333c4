"""How each platform counts a post and what else it refuses: the rules every snippet must meet.

Each counter is the platform's own rule, computed with the library that implements it
(twitter-text for X, the `regex` module's Unicode 17 grapheme clusters for the others). Where a
platform's clients disagree with each other, the larger count is used, so a post that fits here
fits in every one of them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import regex

CLUSTER = regex.compile(r"\X")
# Older segmenters (graphemer in atproto's validator until 2025, grapheme-splitter behind
# Mastodon's web composer) predate two joins of UAX #29: Indic conjuncts (GB9c, Unicode 15.1)
# and, for grapheme-splitter, emoji ZWJ sequences (GB11). Counting those joins as breaks gives
# the largest count among the platform's clients; for other text nothing changes.
_MAYBE_JOINED = regex.compile(r"[\u200d\p{InCB=Linker}]")
_CONJUNCT_JOIN = regex.compile(
    r"\p{InCB=Linker}[\p{InCB=Extend}\p{InCB=Linker}]*(?=\p{InCB=Consonant})")
_ZWJ_EMOJI_JOIN = regex.compile(r"\u200d(?=\p{Extended_Pictographic})")
# What Threads counts as an emoji: any cluster holding a pictograph, a flag letter or a keycap.
_EMOJI_CHAR = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")


def clusters(text: str) -> list[str]:
    return CLUSTER.findall(text)


_SEPARATOR = re.compile(r"([ \n])")
# A piece (between spaces and newlines) with a dot, whose first character, once in NFC (which may
# compose the second into it), is not ASCII.
_TANGLED = re.compile(r"[ \n][^ \n]?[^\x00-\x7f](?=[^ \n]*\.)")


def _pieces(text: str) -> tuple[list[str], str | None]:
    """The text cut at spaces and newlines into pieces each platform measures alone, and the
    separators between them (None: every space and newline in the text).

    No URL, emoji or hashtag spans a space or newline. Only where a piece could hold a URL and
    starts, once in NFC, with a non-ASCII character does the character before it matter
    (twitter-text may take it into the URL); such pieces stay joined to the one before."""
    if not _TANGLED.search(" " + text):
        return text.replace("\n", " ").split(" "), None
    parts = _SEPARATOR.split(text)
    pieces, separators = [parts[0]], []
    for index in range(1, len(parts), 2):
        separator, piece = parts[index], parts[index + 1]
        if "." in piece and not piece[:2].isascii():
            pieces[-1] += separator + piece
        else:
            separators.append(separator)
            pieces.append(piece)
    return pieces, "".join(separators)


def utf16_length(text: str) -> int:
    """JavaScript's ``text.length``: what browser-based composers count."""
    return len(text.encode("utf-16-le")) // 2


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


# --- Grapheme clusters -----------------------------------------------------------------------

# A space or newline is a cluster of its own unless a mark follows it (GB9, GB9a) or it follows a
# prepended concatenation mark (GB9b) or CR (GB3): at every other one, clusters can be counted
# piece by piece. Posts of one article share most pieces, so each is counted once per build.
_JOINS_BEFORE = regex.compile(r"[\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}]")
_JOINS_AFTER = regex.compile(r"[\p{GCB=Prepend}\r]$")


@dataclass(frozen=True, slots=True)
class _Piece:
    count: int
    joins_before: bool
    joins_after: bool


def _clusters_of(text: str, legacy_emoji: bool) -> int:
    found = CLUSTER.findall(text)
    count = len(found)
    if _MAYBE_JOINED.search(text):
        for cluster in found:
            if len(cluster) > 1:
                count += len(_CONJUNCT_JOIN.findall(cluster))
                if legacy_emoji:
                    count += len(_ZWJ_EMOJI_JOIN.findall(cluster))
    return count


@functools.lru_cache(maxsize=1 << 12)
def _cluster_piece(piece: str, legacy_emoji: bool) -> _Piece:
    return _Piece(_clusters_of(piece, legacy_emoji), bool(_JOINS_BEFORE.match(piece)),
                  bool(_JOINS_AFTER.search(piece)))


def cluster_count(text: str, *, legacy_emoji: bool = False) -> int:
    """Extended grapheme clusters, plus the breaks older segmenters still make."""
    pieces, _ = _pieces(text)
    found = [_cluster_piece(piece, legacy_emoji) for piece in pieces]
    if any(piece.joins_before for piece in found[1:]) or any(
            piece.joins_after for piece in found[:-1]):
        return _clusters_of(text, legacy_emoji)
    return sum(piece.count for piece in found) + len(pieces) - 1


# --- X ---------------------------------------------------------------------------------------

@functools.cache
def _twitter() -> tuple[Callable[..., object], Callable[..., list[dict]], dict, regex.Pattern]:
    # Imported on first use: twitter-text loads its emoji table through pkg_resources (~150 ms).
    from twitter_text import extract_urls_with_indices, parse_tweet
    from twitter_text.config import config
    from twitter_text.regexp.emoji import emoji_list

    # Every emoji twitter-text knows has a code point outside ASCII; a piece of text holding none
    # of those code points cannot contain an emoji, so its slow emoji scan can be skipped.
    points = sorted({int(cp, 16) for item in emoji_list for cp in item.codepoint.split()
                     if int(cp, 16) > 0x7F})
    emoji_chars = regex.compile("[" + "".join(f"\\U{cp:08x}" for cp in points) + "]")
    return parse_tweet, extract_urls_with_indices, config["defaults"], emoji_chars


def _weight(char: str, options: dict) -> int:
    code = ord(char)
    for span in options["ranges"]:
        if span["start"] <= code <= span["end"]:
            return int(span["weight"])
    return int(options["default_weight"])


@functools.lru_cache(maxsize=1 << 12)
def _x_piece(piece: str) -> int:
    """twitter-text's weighted length of one piece of text, scaled by 100."""
    parse_tweet, extract_urls, options, emoji_chars = _twitter()
    if emoji_chars.search(piece):
        return parse_tweet(piece).weightedLength * options["scale"]  # type: ignore[attr-defined]
    # No emoji possible: the same sum parse_tweet makes (NFC, every URL at the t.co length,
    # each other character by its range's weight), without its emoji scan.
    text = unicodedata.normalize("NFC", piece).replace("\r\n", "\n").replace("\r", "\n")
    total = 0
    index = 0
    for url in extract_urls(text):
        start, end = url["indices"]
        total += sum(_weight(char, options) for char in text[index:start])
        total += options["transformed_url_length"] * options["scale"]
        index = end
    return total + sum(_weight(char, options) for char in text[index:])


def x_length(text: str) -> int:
    """X's weighted length (twitter-text v3: most CJK and every emoji 2, every URL 23).

    A sum over the pieces between spaces and newlines, which no URL or emoji spans and which NFC
    never composes across; pieces recur across posts, so each is weighed once per build.
    """
    _, _, options, _ = _twitter()
    text = text.replace("\r\n", "\n")  # one line break, as twitter-text reads it
    pieces, separators = _pieces(text)
    if separators is None:
        separators = text
    total = sum(map(_x_piece, pieces))
    total += separators.count(" ") * _x_piece(" ") + separators.count("\n") * _x_piece("\n")
    return total // options["scale"]


@functools.lru_cache(maxsize=1 << 12)
def _piece_urls(piece: str, without_protocol: bool) -> tuple[tuple[int, int], ...]:
    _, extract_urls, _, _ = _twitter()
    return tuple((url["indices"][0], url["indices"][1])
                 for url in extract_urls(piece, without_protocol))


def url_spans(text: str, *, without_protocol: bool) -> list[tuple[int, int]]:
    """Where twitter-text (X's rules, which Mastodon also uses) finds URLs: code point offsets.

    No URL spans a space or newline, and one may start right after either as at the start of
    the text, so each piece between them is searched alone (every URL has a dot)."""
    spans = []
    offset = 0
    for piece in _pieces(text)[0]:
        if "." in piece:
            spans += [(offset + start, offset + end)
                      for start, end in _piece_urls(piece, without_protocol)]
        offset += len(piece) + 1
    return spans


# --- Mastodon --------------------------------------------------------------------------------

MASTODON_URL_LENGTH = 23


@functools.lru_cache(maxsize=1 << 12)
def _mastodon_piece(piece: str) -> _Piece:
    if "." in piece:
        spans = _piece_urls(piece, False)
        if spans:
            parts = []
            index = 0
            for start, end in spans:
                parts += [piece[index:start], "x" * MASTODON_URL_LENGTH]
                index = end
            piece = "".join([*parts, piece[index:]])
    return _cluster_piece(piece, True)


def mastodon_length(text: str) -> int:
    """Mastodon's StatusLengthValidator: grapheme clusters after every URL with a protocol is
    replaced by 23 characters. Remote mentions would count shorter; counting them whole is safe.
    The web composer's counter (stringz) splits some emoji sequences, so those count as split."""
    pieces, _ = _pieces(text)
    found = [_mastodon_piece(piece) for piece in pieces]
    if any(piece.joins_before for piece in found[1:]) or any(
            piece.joins_after for piece in found[:-1]):
        countable = []
        index = 0
        for start, end in url_spans(text, without_protocol=False):
            countable += [text[index:start], "x" * MASTODON_URL_LENGTH]
            index = end
        return _clusters_of("".join([*countable, text[index:]]), True)
    return sum(piece.count for piece in found) + len(pieces) - 1


# --- Threads ---------------------------------------------------------------------------------

def threads_length(text: str) -> int:
    """Meta: "Emojis are counted as the number of UTF-8 bytes". Other characters count as
    UTF-16 code units, the largest of the usual per-character counts."""
    total = utf16_length(text)
    if _EMOJI_CHAR.search(text):
        for cluster in CLUSTER.findall(text):
            if _EMOJI_CHAR.search(cluster):
                total += utf8_length(cluster) - utf16_length(cluster)
    return total


def link_count(text: str) -> int:
    """Threads counts every unique URL in the text, with or without a protocol."""
    return len({text[start:end] for start, end in url_spans(text, without_protocol=True)})


# --- Bluesky ---------------------------------------------------------------------------------

def bluesky_length(text: str) -> int:
    """app.bsky.feed.post text: maxGraphemes 300 (and maxLength 3000 UTF-8 bytes, below)."""
    return cluster_count(text)


# --- Bluesky facets --------------------------------------------------------------------------

# The Bluesky app's tag rule: '#' after a space or the start, at least one character that is not
# a digit or punctuation, trailing punctuation not part of the tag.
_BSKY_TAG = regex.compile(
    r"(?:^|(?<=\s))[#＃]((?!\ufe0f)[^\s\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2]*"
    r"[^\d\s\p{P}\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2]+"
    r"[^\s\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2]*)")
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")


def bluesky_facets(text: str, link: str) -> list[dict]:
    """``app.bsky.richtext.facet`` records for the post's links and hashtags, with UTF-8 byte
    offsets (``byteEnd`` exclusive), so the text can be posted through the AT Protocol as is."""
    spans: list[tuple[int, int, dict]] = []
    start = text.find(link)
    while start >= 0:
        end = start + len(link)
        if (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace()):
            spans.append((start, end, {"$type": "app.bsky.richtext.facet#link", "uri": link}))
        start = text.find(link, end)
    for start, end in url_spans(text, without_protocol=False):
        if not any(a < end and start < b for a, b, _ in spans):
            spans.append((start, end, {"$type": "app.bsky.richtext.facet#link",
                                       "uri": text[start:end]}))
    for match in _BSKY_TAG.finditer(text):
        tag = _TRAILING_PUNCTUATION.sub("", match.group(1))
        start, end = match.start(), match.start(1) + len(tag)
        if (tag and len(CLUSTER.findall(tag)) <= 64 and utf8_length(tag) <= 640
                and not any(a < end and start < b for a, b, _ in spans)):
            spans.append((start, end, {"$type": "app.bsky.richtext.facet#tag", "tag": tag}))
    facets = []
    for start, end, feature in sorted(spans, key=lambda span: span[0]):
        byte_start = utf8_length(text[:start])
        facets.append({"index": {"byteStart": byte_start,
                                 "byteEnd": byte_start + utf8_length(text[start:end])},
                       "features": [feature]})
    return facets


# --- The platforms ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    limit: int
    count: Callable[[str], int]
    unit: str
    max_bytes: int | None = None  # UTF-8 bytes, where the protocol caps them too
    max_links: int | None = None
    max_hashtags: int | None = None  # the platform's own cap, below any configured number

    def measure(self, text: str, limit: int | None = None) -> tuple[int, bool]:
        """The post's count, and whether the platform takes it (count, bytes and links)."""
        count = self.count(text)
        if count > (limit or self.limit):
            return count, False
        if self.max_bytes is not None and utf8_length(text) > self.max_bytes:
            return count, False
        return count, self.max_links is None or link_count(text) <= self.max_links


PLATFORMS: dict[str, Platform] = {
    platform.name: platform for platform in (
        Platform("x", "X", 280, x_length, "weighted characters"),
        Platform("bluesky", "Bluesky", 300, bluesky_length, "grapheme clusters", max_bytes=3000),
        Platform("mastodon", "Mastodon", 500, mastodon_length, "characters (URLs as 23)"),
        # Threads turns one tag per post into its topic; more '#' words stay plain text.
        Platform("threads", "Threads", 500, threads_length, "characters (emoji by UTF-8 bytes)",
                 max_links=5, max_hashtags=1),
        Platform("linkedin", "LinkedIn", 3000, utf16_length, "characters (UTF-16)"),
        # Facebook takes 63,206 characters; 250 is the length of post that gets read.
        Platform("facebook", "Facebook", 250, utf16_length, "characters (UTF-16)"),
    )
}


# --- Hashtags --------------------------------------------------------------------------------

MAX_HASHTAG_LENGTH = 50  # Threads topics stop at 50 characters; Bluesky tags at 64 graphemes
_APOSTROPHE = regex.compile(r"['’ʼ]")
_TAG_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*")
_LETTER = regex.compile(r"\p{L}")


def _capitalized(word: str) -> str:
    first = word[0].upper()
    # 'ß'.upper() is 'SS': keep letters whose capital is not a single character as they are.
    return (first if len(first) == 1 else word[0]) + word[1:]


def hashtag(tag: str) -> str | None:
    """'neck-pain' -> '#NeckPain': letters, marks and digits only, each word capitalized, at
    least one letter (all platforms ignore '#2024'), at most 50 characters."""
    words = _TAG_WORD.findall(_APOSTROPHE.sub("", unicodedata.normalize("NFC", tag)))
    body = "".join(_capitalized(word) for word in words)
    if not _LETTER.search(body) or len(body) > MAX_HASHTAG_LENGTH:
        return None
    return "#" + body
