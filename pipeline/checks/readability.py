"""Flesch reading ease with textstat's counting rules, fast enough for a thousand articles.

textstat (0.7.13) is not used at run time: importing it takes over 0.1 s (it loads NLTK),
its English path downloads NLTK's CMU dictionary on first use (no network in most CI
sandboxes), and it counts syllables one word at a time. This module follows textstat's rules
exactly: its formula constants, its words (punctuation removed, contractions kept), its
sentences (its pattern; sentences of two words or fewer are ignored) and its syllables
without the CMU dictionary (Pyphen's en_US hyphenation points, found by a faster scan of the
same patterns), with each distinct word hyphenated once per process. Tests compare every
count with textstat and pyphen themselves.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

# textstat's LANG_CONFIGS["en"] and RE_NONCONTRACTION_APOSTROPHE (tests hold them equal).
ENGLISH = {"fre_base": 206.835, "fre_sentence_length": 1.015, "fre_syll_per_word": 84.6}
NON_CONTRACTION_APOSTROPHE = r"\'(?![tsd]|ve|ll|re)"
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
_NON_CONTRACTION = re.compile(NON_CONTRACTION_APOSTROPHE)
_PUNCTUATION = re.compile(r"[^\w\s']")
# A sentence counts when three or more of its whitespace-separated chunks hold a letter or
# digit. Matched from the sentence's start, chunk by chunk, with possessive quantifiers (no
# backtracking into a chunk): the earlier pattern, searched from every position, backtracked
# across a long unbroken word (40,000 letters: 80 s; a 1 MB word never finished).
_WORD_CHUNK = r"[^\s\w]*+\w\S*+"
_OTHER_CHUNKS = r"(?:[^\s\w]++\s++)*+"
_THREE_WORDS = re.compile(r"\s*+" + _OTHER_CHUNKS + _WORD_CHUNK
                          + r"(?:\s++" + _OTHER_CHUNKS + _WORD_CHUNK + r"){2}")


Patterns = dict[str, tuple[int, tuple[int, ...]]]
# Lines of a hyphenation dictionary that are settings or comments, not patterns (pyphen's list).
_NOT_PATTERNS = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
                 "COMPOUNDRIGHTHYPHENMIN")


_NO_LEVEL = re.compile(r"(?<![0-9])(?=[^0-9]|$)")
_TWO_DIGITS = re.compile(r"[0-9]{2}")


def en_us_patterns() -> Patterns:
    """The patterns of pyphen's ``hyph_en_US.dic``, as ``pyphen.HyphDict`` reads them (a test
    compares the two): letters -> (offset of the first non-zero level, the levels from there
    to the last non-zero one).

    Read here because importing pyphen (19 ms) and its parse (43 ms) cost each process 36 ms
    more than this parse (26 ms). Measured in December 2026 (2 cores, best of 20 interleaved
    runs): a one-article ``pipeline check --no-cache`` takes 0.384 s, 0.403 s with
    ``Pyphen.positions`` instead of this module's scan (4%, most of it here). The file
    has none of the escapes (^^hh) or non-standard breaks (/) that other languages use:
    should a pyphen update add some, pyphen itself reads it.
    """
    spec = importlib.util.find_spec("pyphen")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        return _patterns_by_pyphen()
    path = Path(next(iter(folders))) / "dictionaries" / "hyph_en_US.dic"
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):  # installed some other way (a zip): ask pyphen
        return _patterns_by_pyphen()
    if lines[0].strip().upper() != "UTF-8":
        return _patterns_by_pyphen()
    patterns: Patterns = {}
    for line in lines[1:]:
        text = line.strip()
        if not text or text.startswith(_NOT_PATTERNS):
            continue
        if "^^" in text or "/" in text or _TWO_DIGITS.search(text):
            return _patterns_by_pyphen()
        # "0" where no level is written: then levels and letters alternate ("0.0a0c0h4").
        padded = _NO_LEVEL.sub("0", text)
        levels = padded[0::2]
        significant = levels.strip("0")
        if significant:
            first = len(levels) - len(levels.lstrip("0"))
            patterns[padded[1::2]] = first, tuple(map(int, significant))
    return patterns


def _patterns_by_pyphen() -> Patterns:
    from pyphen import Pyphen

    return dict(Pyphen(lang="en_US").hd.patterns)


Trie = dict[str, "Trie | tuple[int, tuple[int, ...]]"]


class _Hyphenation:
    """Pyphen's en_US hyphenation points, counted the way ``Pyphen.positions`` finds them.

    Liang's algorithm looks up every substring of the word (up to the longest pattern) in the
    pattern table; pyphen tries them all, which costs about 15 µs per new word, and a
    thousand articles bring tens of thousands of distinct words. Once enough words came, the
    patterns go into a trie and the walk from each letter stops where no pattern continues:
    the same points (tests compare with pyphen on large word lists), at about 4 µs a word.

    Measured in December 2026 on 1,000 articles drawn from 30,000 words (benchmarks/corpus.py
    --rich; 25,800 distinct words per worker): counting takes 0.26 s per worker, 0.53-0.62 s
    with ``Pyphen.positions``; a cold ``pipeline check --no-cache`` takes 3.17 s, 3.44 s with
    ``Pyphen.positions`` (medians of 8 interleaved runs on 2 cores: 8%, CPU 5.80 s against
    6.32 s). The default corpus has 65 words: there the trie is never built.
    """

    left = right = 2  # pyphen.Pyphen's defaults (the .dic file's own minimums are ignored)

    # Building the trie takes about 9 ms: it pays for itself after some 800 new words, so
    # the first ones (all of them in a small archive) are looked up as pyphen does; or at
    # once for a word of a few thousand letters (a pasted blob: 1 MB took 7 s without it).
    TRIE_AFTER = 800
    TRIE_FOR_LENGTH = 2000

    def __init__(self) -> None:
        self.patterns = en_us_patterns()
        self.longest = max(map(len, self.patterns))
        self.trie: Trie | None = None
        self.words = 0

    def _build_trie(self) -> Trie:
        root: Trie = {}
        for key, found in self.patterns.items():
            node = root
            for char in key:
                node = node.setdefault(char, {})  # type: ignore[assignment]
            node[""] = found  # "" never follows a letter: it marks where a pattern ends
        return root

    def points(self, word: str) -> int:
        """How many points ``Pyphen(lang="en_US").positions(word)`` returns."""
        self.words += 1
        if self.trie is None and (self.words > self.TRIE_AFTER
                                  or len(word) > self.TRIE_FOR_LENGTH):
            self.trie = self._build_trie()
        pointed = f".{word.lower()}."
        size = len(pointed)
        levels = [0] * (size + 1)

        def raise_levels(at: int, values: tuple[int, ...]) -> None:
            for index, value in enumerate(values, at):
                if value > levels[index]:
                    levels[index] = value

        if self.trie is None:
            patterns, longest = self.patterns, self.longest
            for start in range(size - 1):
                for end in range(start + 1, min(start + longest, size) + 1):
                    found = patterns.get(pointed[start:end])
                    if found is not None:
                        raise_levels(start + found[0], found[1])
        else:
            longest = self.longest
            for start in range(size - 1):
                node = self.trie
                # No pattern is longer: the bound keeps a long word's walk linear (a slice to
                # the word's end copied it from every letter, 14 s for a 1 MB word).
                for char in pointed[start:start + longest]:
                    node = node.get(char)  # type: ignore[assignment]
                    if node is None:
                        break
                    found = node.get("")
                    if found is not None:
                        raise_levels(start + found[0], found[1])  # type: ignore[index]
        last = len(word) - self.right
        # Level index i is the point before the word's character i - 1 (pyphen's numbering).
        return sum(1 for index in range(self.left + 1, last + 2)
                   if index < len(levels) and levels[index] % 2)


class _Syllables(dict[str, int]):
    """Syllables per word, hyphenated on first sight."""

    _hyphenation: _Hyphenation | None = None

    def __missing__(self, word: str) -> int:
        if self._hyphenation is None:
            type(self)._hyphenation = _Hyphenation()
        assert self._hyphenation is not None
        count = self[word] = self._hyphenation.points(word) + 1
        return count


_SYLLABLES = _Syllables()


@dataclass(frozen=True, slots=True)
class Counts:
    """Counts of a text. They add up: the counts of paragraphs that each end a sentence sum
    to the counts of the paragraphs joined (a test holds that), so an article is counted
    once, paragraph by paragraph."""

    words: int
    kept: int  # sentences of three or more words: textstat ignores shorter ones
    syllables: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.words + other.words, self.kept + other.kept,
                      self.syllables + other.syllables)

    @property
    def sentences(self) -> int:
        """textstat's sentence count: at least one for any text with words."""
        return max(1, self.kept) if self.words else 0

    @property
    def reading_ease(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return (ENGLISH["fre_base"]
                - ENGLISH["fre_sentence_length"] * self.words / self.sentences
                - ENGLISH["fre_syll_per_word"] * self.syllables / self.words)


# _PUNCTUATION for ASCII text as a translation table: a quarter of the time of the regex.
_ASCII_PUNCTUATION = str.maketrans("", "", "".join(
    chr(code) for code in range(128) if _PUNCTUATION.match(chr(code))))


def words(text: str) -> list[str]:
    """textstat's words, lowercased: punctuation removed except in contractions."""
    if "'" in text:
        text = _NON_CONTRACTION.sub("", text)
    if text.isascii():
        return text.translate(_ASCII_PUNCTUATION).lower().split()
    return _PUNCTUATION.sub("", text).lower().split()


def has_three_words(sentence: str) -> bool:
    """Whether textstat counts the sentence: it ignores those of two words or fewer."""
    return _THREE_WORDS.match(sentence) is not None


def count(text: str) -> Counts:
    found = words(text)
    if not found:
        return Counts(0, 0, 0)
    sentences = _SENTENCE.findall(text)
    kept = sum(1 for sentence in sentences if has_three_words(sentence))
    return Counts(len(found), kept, sum(map(_SYLLABLES.__getitem__, found)))
