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
# A sentence counts when it has three or more tokens with a letter or digit in them.
_TOKEN = r"[^\s\w]*\w\S*"
_SKIP = r"(?:\s+[^\s\w]+)*\s+"
_THREE_WORDS = re.compile(_TOKEN + _SKIP + _TOKEN + _SKIP + r"[^\s\w]*\w")


_NOWHERE = (0, ())  # what the pattern table gives for a string that begins no pattern
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

    Read here because importing pyphen and parsing the file its way costs each process about
    50 ms, a twentieth of checking a thousand articles; this takes a fifth of that. The file
    has none of the escapes (^^hh) or non-standard breaks (/) that other languages use:
    should a pyphen update add some, pyphen itself reads it.
    """
    spec = importlib.util.find_spec("pyphen")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        return _patterns_by_pyphen()
    path = Path(next(iter(folders))) / "dictionaries" / "hyph_en_US.dic"
    lines = path.read_text(encoding="utf-8").split("\n")
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


class _Hyphenation:
    """Pyphen's en_US hyphenation points, counted the way ``Pyphen.positions`` finds them.

    Liang's algorithm looks up every substring of the word (up to the longest pattern) in the
    pattern table; pyphen tries them all, which costs about 15 µs per new word, and a
    thousand articles bring tens of thousands of distinct words. Here, once enough words
    came, the scan from a letter stops at the first substring that begins no pattern, since
    no longer one can be a pattern either: the same points (tests compare with pyphen on
    large word lists), in less than half the time.
    """

    left = right = 2  # pyphen.Pyphen's defaults (the .dic file's own minimums are ignored)

    # Building the table of pattern beginnings takes 15 ms; it pays for itself after about
    # 2,000 words, so the first ones (all of them in a small archive) are scanned in full.
    PRUNE_AFTER = 2_000

    def __init__(self) -> None:
        self.patterns = en_us_patterns()
        self.longest = max(map(len, self.patterns))
        self.table: dict[str, tuple[int, tuple[int, ...]] | None] | None = None
        self.words = 0

    def _pruning_table(self) -> dict[str, tuple[int, tuple[int, ...]] | None]:
        # Every beginning of a pattern: None where it is not a pattern itself.
        table: dict[str, tuple[int, tuple[int, ...]] | None] = {
            key[:end]: None for key in self.patterns for end in range(1, len(key))}
        table.update(self.patterns)
        return table

    def points(self, word: str) -> int:
        """How many points ``Pyphen(lang="en_US").positions(word)`` returns."""
        self.words += 1
        if self.table is None and self.words > self.PRUNE_AFTER:
            self.table = self._pruning_table()
        # Without the table, a string that is no pattern gives None and the scan goes on.
        table = self.patterns if self.table is None else self.table
        missing = None if self.table is None else _NOWHERE
        pointed = f".{word.lower()}."
        size = len(pointed)
        levels = [0] * (size + 1)
        longest = self.longest
        for start in range(size - 1):
            for end in range(start + 1, min(start + longest, size) + 1):
                found = table.get(pointed[start:end], missing)
                if found is _NOWHERE:
                    break
                if found is not None:
                    offset, values = found
                    at = start + offset
                    for index, value in enumerate(values, at):
                        if value > levels[index]:
                            levels[index] = value
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
    words: int
    sentences: int
    syllables: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.words + other.words, self.sentences + other.sentences,
                      self.syllables + other.syllables)

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


def count(text: str) -> Counts:
    found = words(text)
    if not found:
        return Counts(0, 0, 0)
    sentences = _SENTENCE.findall(text)
    kept = sum(1 for sentence in sentences if _THREE_WORDS.search(sentence))
    return Counts(len(found), max(1, kept), sum(map(_SYLLABLES.__getitem__, found)))
