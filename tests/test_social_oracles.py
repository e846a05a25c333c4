"""Independent checks of a social post, as each platform counts it, and the libraries behind them.

The oracles read whole posts with the platforms' own rules: twitter-text's ``parse_tweet`` for X;
``regex``'s ``\\X`` (Unicode 17) and the ``grapheme`` package (Unicode 13, as older clients
segment) for Bluesky and Mastodon; Mastodon's StatusLengthValidator (every URL twitter-text finds
with a protocol counts 23); Meta's rule for Threads (an emoji by its UTF-8 bytes, at most five
links). None of them uses pipeline code.
"""

from __future__ import annotations

import grapheme
import regex
from twitter_text import extract_urls_with_indices, parse_tweet

LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500, "threads": 500, "linkedin": 3000,
          "facebook": 250}
_CLUSTER = regex.compile(r"\X")
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")


def clusters(text: str) -> int:
    return max(len(_CLUSTER.findall(text)), grapheme.length(text))


def x_count(text: str) -> int:
    return parse_tweet(text).weightedLength


def mastodon_count(text: str) -> int:
    pieces, index = [], 0
    for url in extract_urls_with_indices(text, False):
        start, end = url["indices"]
        pieces += [text[index:start], "x" * 23]
        index = end
    return clusters("".join([*pieces, text[index:]]))


def threads_count(text: str) -> int:
    return sum(len(cluster.encode()) if _EMOJI.search(cluster) else len(cluster)
               for cluster in _CLUSTER.findall(text))


def threads_links(text: str) -> int:
    return len({url["url"] for url in extract_urls_with_indices(text)})


def problems(platform: str, text: str) -> list[str]:
    """What a platform would refuse in this post (empty: it posts as it is)."""
    found = []
    if platform == "x":
        parsed = parse_tweet(text)
        if not parsed.valid or parsed.weightedLength > 280:
            found.append(f"X: weighted length {parsed.weightedLength}, valid={parsed.valid}")
    elif platform == "bluesky":
        if clusters(text) > 300 or len(text.encode()) > 3000:
            found.append(f"Bluesky: {clusters(text)} graphemes, {len(text.encode())} bytes")
    elif platform == "mastodon":
        if mastodon_count(text) > 500:
            found.append(f"Mastodon: {mastodon_count(text)}")
    elif platform == "threads":
        if threads_count(text) > 500 or threads_links(text) > 5:
            found.append(f"Threads: {threads_count(text)}, {threads_links(text)} links")
    else:
        utf16 = len(text.encode("utf-16-le")) // 2
        if max(len(text), utf16) > LIMITS[platform]:
            found.append(f"{platform}: {utf16} UTF-16 units")
    return found


# --- The libraries count as the platforms document -------------------------------------------

def test_twitter_text_counts_urls_23_and_emoji_and_cjk_2() -> None:
    assert x_count("https://example.com/" + "a" * 200) == 23
    assert x_count("example.com") == 23
    assert x_count("a") == 1
    for wide in ("日", "한", "😀", "👨\u200d👩\u200d👧\u200d👦", "🇯🇵", "❤️"):
        assert x_count(wide) == 2, wide
    assert x_count("é") == 1 and x_count("e\u0301") == 1  # NFC first


def test_regex_segments_by_current_unicode() -> None:
    # Unicode 17.0 (2025) scripts are known, and the 15.1 rule keeps Indic conjuncts together.
    assert regex.match(r"\p{Script=Sidetic}", "\U00010940")
    assert len(_CLUSTER.findall("क्ष")) == 1
    assert len(_CLUSTER.findall("👨\u200d👩\u200d👧\u200d👦🇯🇵e\u0301")) == 3
    assert grapheme.length("क्ष") == 2  # older clients: two


def test_mastodon_oracle_counts_each_url_23() -> None:
    assert mastodon_count("see https://example.com/" + "a" * 300) == 4 + 23
    assert mastodon_count("example.com") == 11  # no protocol: Mastodon counts it as text


def test_threads_oracle_counts_emoji_bytes() -> None:
    assert threads_count("ab😀") == 2 + 4
    assert threads_count("👨\u200d👩\u200d👧") == 18
    assert threads_links("a.com b.com https://a.com") == 3
