"""Finding the medical disclaimer in an article or an artifact, and saying how it was changed.

Comparison is on normalized text: whitespace, case, typographic quotes and dashes do not
matter; words and punctuation do, because a dropped "not" changes what the article promises.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import unescape

from pipeline.markup import Block

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    "*": "", "_": "",
})
_LABEL = re.compile(r"^\W*(?:medical\s+|health\s+|important\s+)?disclaimer\b\W*", re.IGNORECASE)
_LABEL_ONLY = re.compile(r"^\W*(?:medical\s+|health\s+|important\s+)?disclaimers?\W*$",
                         re.IGNORECASE)
# Share of the disclaimer's words a paragraph must keep, in order, to count as a reworded copy.
NEAR_MATCH = 0.6


def normalize(text: str) -> str:
    # Emphasis markers are dropped too: "**not** a substitute" is the same promise.
    return " ".join(text.translate(_TRANSLATE).lower().split())


def contains(text: str, disclaimer: str) -> bool:
    return normalize(disclaimer) in normalize(text)


@dataclass(frozen=True, slots=True)
class Alteration:
    block: Block
    diff: str


@dataclass(frozen=True, slots=True)
class DisclaimerStatus:
    present: bool
    altered: list[Alteration]


def _words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def word_diff(expected: str, actual: str, context: int = 3) -> str:
    """A compact word diff: ``is [-not-] a substitute``, with a few words of context."""
    want, got = _words(expected), _words(actual)
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(want[max(0, i1 - context): i1])
        after = " ".join(want[i2: i2 + context])
        change = []
        if i2 > i1:
            change.append("[-" + " ".join(want[i1:i2]) + "-]")
        if j2 > j1:
            change.append("{+" + " ".join(got[j1:j2]) + "+}")
        pieces.append(" ".join(part for part in (before, *change, after) if part))
    return "; ".join(f'"{piece}"' for piece in pieces[:4]) + (" ..." if len(pieces) > 4 else "")


_WORD = re.compile(r"[\w'-]+|[^\w\s]")


def _share_kept(disclaimer_words: list[str], normalized: str) -> float:
    """Share of the disclaimer's words that a (normalized) text keeps, in order."""
    words = _WORD.findall(normalized)
    # Cheap bound first: in-order matches can't exceed the words the two have in common.
    common = set(disclaimer_words).intersection(words)
    if sum(1 for word in disclaimer_words if word in common) < NEAR_MATCH * len(disclaimer_words):
        return 0.0
    matcher = difflib.SequenceMatcher(None, disclaimer_words, words, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept / max(1, len(disclaimer_words))


def _labelled(blocks: list[Block]) -> list[tuple[Block, str]]:
    """Blocks introduced by a 'Disclaimer' label or heading, with the text after the label."""
    found = []
    after_label = False
    for block in blocks:
        if block.kind == "heading":
            after_label = bool(_LABEL_ONLY.match(block.text))
            continue
        if _LABEL_ONLY.match(block.text):
            after_label = True
            continue
        if after_label:
            found.append((block, block.text))
        elif _LABEL.match(block.text):
            found.append((block, _LABEL.sub("", block.text, count=1)))
        after_label = False
    return found


def inspect(blocks: list[Block], disclaimer: str) -> DisclaimerStatus:
    target = normalize(disclaimer)
    target_words = _words(disclaimer)
    normalized = [normalize(block.text) for block in blocks]  # once: this runs on every block
    whole = " ".join(normalized)
    altered: list[Alteration] = []
    labelled = {id(block): text for block, text in _labelled(blocks)}
    for block, text in zip(blocks, normalized, strict=True):
        if target in text:
            continue
        if id(block) in labelled or _share_kept(target_words, text) >= NEAR_MATCH:
            shown = labelled.get(id(block), block.text)
            altered.append(Alteration(block, word_diff(disclaimer, shown)))
    return DisclaimerStatus(present=target in whole, altered=altered)


# Regular expressions, not an HTML parser: this runs over every page and email the build
# writes, on markup the pipeline itself produced (sanitized, attribute values escaped).
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HIDDEN = re.compile(r"<(head|script|style|title|template)\b[^>]*>.*?</\1\s*>",
                     re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    """Text a reader sees in an HTML document: no head, style, script, comments or tags."""
    text = _TAG.sub(" ", _HIDDEN.sub(" ", _COMMENT.sub(" ", html)))
    return " ".join(unescape(text).split())
