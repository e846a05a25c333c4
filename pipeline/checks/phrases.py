"""Phrase lists shipped in ``pipeline/data/`` and the small pattern language they use.

A pattern is a regular expression written the way a phrase reads: a space matches any run of
spaces or a hyphen (`` ?`` makes it optional), ``(a|b)`` groups never capture, ``{name}``
inserts a named list, and the whole pattern matches whole words only. Matching ignores case.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from importlib import resources
from typing import Any

import yaml

_GAP = r"[\s\-]+"
_LIST_REF = re.compile(r"\{([a-z_]+)\}")
_PLAIN_GROUP = re.compile(r"(?<!\\)\((?!\?)")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def data(name: str) -> dict[str, Any]:
    """A YAML file from ``pipeline/data`` (shipped inside the package)."""
    text = resources.files("pipeline").joinpath("data", name).read_text(encoding="utf-8")
    loaded = yaml.load(text, Loader=_Loader)  # a safe loader: plain data only
    if not isinstance(loaded, dict):
        raise ValueError(f"pipeline/data/{name}: expected a mapping at the top level")
    return loaded


def expand(pattern: str, lists: dict[str, list[str] | str]) -> str:
    """The regular expression for one pattern (without the whole-word guards)."""

    if not isinstance(pattern, str):
        raise ValueError(f"phrase pattern {pattern!r} is not text: quote it in the YAML file")

    def insert(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in lists:
            raise ValueError(f"unknown list {{{name}}} in phrase pattern {pattern!r}")
        items = lists[name]
        items = [items] if isinstance(items, str) else items
        return "(?:" + "|".join(expand(item, lists) for item in items) + ")"

    text = _PLAIN_GROUP.sub("(?:", _LIST_REF.sub(insert, pattern))
    # " ?" is an optional space ("100 ?%"); any other space is a required gap.
    return text.replace(" ?", "\0").replace(" ", _GAP).replace("\0", r"[\s\-]*")


def whole_words(regex: str) -> str:
    return r"(?<!\w)(?:" + regex + r")(?!\w)"


def literal(phrase: str) -> str:
    """A user's plain phrase (from pipeline.toml) as a regular expression."""
    words = phrase.replace("\u2019", "'").split()
    return _GAP.join(re.escape(word) for word in words)


def alternation(patterns: list[str], lists: dict[str, list[str] | str], *,
                ignore_case: bool = True) -> re.Pattern[str]:
    """The patterns as one regular expression. Without ``ignore_case`` it is for lowercased
    text (the patterns are written in lower case), and runs two to three times faster."""
    return re.compile(whole_words("|".join(expand(p, lists) for p in patterns)),
                      re.IGNORECASE if ignore_case else 0)


_TOKEN_START = re.compile(r"(?<![^\s\-])\S|\b\w")


class Finder:
    """A phrase pattern tried only where a phrase can start near one of its trigger words.

    Scanning every position of every paragraph with a large case-insensitive alternation
    costs milliseconds per article; finding a few literal trigger words in the article's
    lowercased text is nearly free. Every phrase contains at least one trigger (tests hold
    the data files to that), so the pattern is tried at the few word starts up to ``reach``
    characters ahead of each trigger, and a match must reach past the trigger.
    """

    def __init__(self, pattern: re.Pattern[str], triggers: list[str], *, reach: int = 120,
                 whole_words: bool = False) -> None:
        """Triggers must start a word ("cure" finds "cures", not "secure"); with
        ``whole_words`` they must also end one ("post" does not find "posture"). ``reach``:
        how far before its first trigger a phrase may start (tests hold the data to it)."""
        self.pattern = pattern
        self.reach = reach
        self.triggers = tuple(sorted({str(t).lower() for t in triggers if str(t).strip()}))
        self.whole_words = whole_words

    def _hits(self, lower: str) -> list[int]:
        hits: list[int] = []
        find = lower.find
        whole = self.whole_words
        for trigger in self.triggers:
            if trigger in lower:
                size = len(trigger)
                at = find(trigger)
                while at >= 0:
                    if (not at or not lower[at - 1].isalnum()) and (
                            not whole or not lower[at + size:at + size + 1].isalnum()):
                        hits.append(at)
                    at = find(trigger, at + 1)
        hits.sort()
        return hits

    def search(self, texts: list[str], lower: str | None = None) -> list[tuple[int, re.Match[str]]]:
        """Matches in each text, as (index of the text, match), in order, not overlapping.

        ``lower`` may pass ``"\n".join(texts).lower()`` when the caller already has it.
        """
        if lower is None:
            lower = "\n".join(texts).lower()
        if len(lower) != sum(map(len, texts)) + max(0, len(texts) - 1):
            # A character whose lowercase is longer (U+0130): offsets differ, scan it all.
            return [(i, m) for i, text in enumerate(texts) for m in self.pattern.finditer(text)]
        hits = self._hits(lower)
        if not hits:
            return []
        starts = []
        offset = 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        found: list[tuple[int, re.Match[str]]] = []
        match_at = self.pattern.match
        # Hits come in text order, so in each text every position before ``done`` was tried
        # already (for an earlier hit) or lies inside a match: never try it twice.
        done_index, done = -1, 0
        for at in hits:
            index = bisect_right(starts, at) - 1
            local = at - starts[index]
            text = texts[index]
            if index != done_index:
                done_index, done = index, 0
            window = max(done, local - self.reach)
            for candidate in _TOKEN_START.finditer(text, window, local + 1):
                begin = candidate.start()
                match = match_at(text, begin)
                if match and match.end() > local:
                    found.append((index, match))
                    done = match.end()
                    break
            else:
                done = max(done, local + 1)
        return found
