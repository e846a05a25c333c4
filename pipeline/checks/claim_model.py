"""A small statistical model beside the medical-claim rule: does a sentence read like a claim?

pipeline/data/claim_model.json.gz holds a TF-IDF logistic regression trained by
scripts/train_claim_model.py (scikit-learn, a development tool only) on the development
sentences of benchmarks/claims. This module reads it in pure Python, reproducing
scikit-learn's ``TfidfVectorizer`` exactly: lowercase; word 1-2 grams of the tokens of
``(?u)\\b\\w\\w+\\b`` joined by a space; ``char_wb`` 3-5 grams of each whitespace-separated
word padded with one space each side; sublinear tf (1 + log tf) times idf; each vectorizer's
vector l2-normalised on its own, as a ``FeatureUnion`` joins them; then the logistic
function of w.x + b. A second, multinomial model on the word features names the claim's kind
(one of the rule's kinds). tests/test_claim_model.py compares the probabilities with
scikit-learn's own (tests/fixtures/claim_model_oracle.json, written by the training script).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from operator import itemgetter
from pathlib import Path

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")
_EDGE = re.compile(r"^\W+|\W+$")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def idf(documents: int, frequency: int) -> float:
    """scikit-learn's smoothed idf: ln((1 + n) / (1 + df)) + 1."""
    return math.log((1 + documents) / (1 + frequency)) + 1


def word_terms(lower: str) -> list[str]:
    tokens = _TOKEN.findall(lower)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def char_terms(word: str) -> list[str]:
    """scikit-learn's ``_char_wb_ngrams`` for one whitespace-separated word, n from 3 to 5."""
    padded = f" {word} "
    size = len(padded)
    found = []
    for n in range(3, 6):
        found += [padded[at:at + n] for at in range(max(1, size - n + 1))]
        if size <= n:  # a short word counts once, whatever n
            break
    return found


@dataclass(frozen=True, slots=True)
class Reading:
    probability: float
    kind: str  # the likeliest kind, were it a claim
    words: tuple[str, ...]  # the sentence's words that weighed most toward a claim


class Model:
    def __init__(self, data: dict, threshold: float | None = None,
                 veto: float | None = None) -> None:
        documents = data["documents"]
        self.threshold: float = data["threshold"] if threshold is None else threshold
        # Below this, a sentence the rules report is read as no claim after all.
        self.veto: float = data.get("veto", 0.0) if veto is None else veto
        self.intercept: float = data["intercept"]
        # term -> (idf, idf * coefficient): the tf factor multiplies both
        self.word = {term: (idf(documents, row[0]), idf(documents, row[0]) * row[1])
                     for term, row in data["word"].items()}
        self.char = {term: (idf(documents, row[0]), idf(documents, row[0]) * row[1])
                     for term, row in data["char"].items()}
        # term -> (idf squared, idf * coefficient, term): for decision(); the term keeps
        # two terms with equal numbers apart
        self.fast = {term: (row[0] * row[0], row[1], term) for term, row in self.word.items()}
        self.kinds: list[str] = data["kinds"]["classes"]
        self.kind_intercepts: list[float] = data["kinds"]["intercepts"]
        self.kind_weights = {term: row[2] for term, row in data["word"].items() if len(row) > 2}
        self.training: dict = data["training"]
        self._char_cache: dict[str, list[str]] = {}

    def _chars(self, word: str) -> list[str]:
        """The word's character n-grams that the model knows (cached: words repeat)."""
        found = self._char_cache.get(word)
        if found is None:
            char = self.char
            found = [t for t in char_terms(word) if t in char]
            if len(self._char_cache) < 200_000:
                self._char_cache[word] = found
        return found

    @staticmethod
    def _part(counts: Counter[str], table: dict[str, tuple[float, float]]
              ) -> tuple[float, float, dict[str, float]]:
        """(w.x before normalising, the l2 norm, each term's tf-idf weight)."""
        weights = {}
        dot = squares = 0.0
        for term, count in counts.items():
            term_idf, scaled = table[term]
            tf = 1.0 + math.log(count) if count > 1 else 1.0
            weights[term] = tf * term_idf
            squares += (tf * term_idf) ** 2
            dot += tf * scaled
        return dot, math.sqrt(squares), weights

    def _vectors(self, text: str):
        lower = text.lower()
        word = self.word
        words = Counter(t for t in word_terms(lower) if t in word)
        chars: Counter[str] = Counter()
        if self.char:  # a model with character n-grams (not the shipped one)
            for chunk in lower.split():
                chars.update(self._chars(chunk))
        return words, chars

    def decision(self, text: str) -> float:
        if self.char:  # a model with character n-grams (not the shipped one)
            words, chars = self._vectors(text)
            total = self.intercept
            for counts, table in ((words, self.word), (chars, self.char)):
                if counts:
                    dot, norm, _weights = self._part(counts, table)
                    total += dot / norm
            return total
        get = self.fast.get
        tokens = _TOKEN.findall(text.lower())
        rows = [row for row in map(get, tokens) if row is not None]
        rows += [row for row in map(get, map(" ".join, pairwise(tokens))) if row is not None]
        if not rows:
            return self.intercept
        dot = sum(map(_SECOND, rows))  # as if each term were there once (tf 1)
        squares = sum(map(_FIRST, rows))
        if len(set(tokens)) < len(tokens) and len(set(rows)) < len(rows):
            # a term repeated: its tf is 1 + log(count), not count
            for row, count in Counter(rows).items():
                if count > 1:
                    tf = 1.0 + math.log(count)
                    dot += (tf - count) * row[1]
                    squares += (tf * tf - count) * row[0]
        return self.intercept + dot / math.sqrt(squares)

    def probability(self, text: str) -> float:
        value = self.decision(text)
        if value >= 0:
            return 1.0 / (1.0 + math.exp(-value))
        small = math.exp(value)
        return small / (1.0 + small)

    def read(self, text: str) -> Reading:
        """The probability, the kind, and the words that weighed most (slower: for the
        sentences above the threshold)."""
        words, chars = self._vectors(text)
        total = self.intercept
        word_dot, word_norm, word_weights = self._part(words, self.word) if words else (
            0.0, 1.0, {})
        char_dot, char_norm, char_weights = self._part(chars, self.char) if chars else (
            0.0, 1.0, {})
        total += word_dot / word_norm + char_dot / char_norm
        probability = 1.0 / (1.0 + math.exp(-total)) if total >= 0 else (
            math.exp(total) / (1.0 + math.exp(total)))
        scores = list(self.kind_intercepts)
        for term, weight in word_weights.items():
            row = self.kind_weights.get(term)
            if row is not None:
                x = weight / word_norm
                for index, value in enumerate(row):
                    scores[index] += x * value
        kind = self.kinds[max(range(len(scores)), key=scores.__getitem__)]
        return Reading(probability, kind, self._weighed(text, word_weights, word_norm,
                                                        char_weights, char_norm))

    def _weighed(self, text: str, word_weights: dict[str, float], word_norm: float,
                 char_weights: dict[str, float], char_norm: float) -> tuple[str, ...]:
        """Up to three words or phrases of the text (as written) that pushed most toward a
        claim: each feature's share w_i x_i goes to the whitespace-separated word it comes
        from (a two-word term's half to each; a character n-gram's to the words holding it);
        neighbouring chosen words read as one phrase."""
        chunks = _SPACES.sub(" ", text).split()
        if not chunks:
            return ()
        where: dict[str, list[int]] = {}
        for index, chunk in enumerate(chunks):
            for token in _TOKEN.findall(chunk.lower()):
                where.setdefault(token, []).append(index)
        char_counts = Counter(t for chunk in chunks for t in char_terms(chunk.lower())
                              if t in char_weights)
        # Share each character n-gram's weight among its occurrences.
        contribution = [0.0] * len(chunks)
        for index, chunk in enumerate(chunks):
            for term in char_terms(chunk.lower()):
                if term in char_weights:
                    coefficient = self.char[term][1] / self.char[term][0]
                    contribution[index] += (char_weights[term] / char_norm * coefficient
                                            / char_counts[term])
        for term, weight in word_weights.items():
            coefficient = self.word[term][1] / self.word[term][0]
            share = weight / word_norm * coefficient
            parts = term.split(" ")
            for part in parts:
                places = where.get(part, [])
                for index in places:
                    contribution[index] += share / len(parts) / len(places)
        ranked = sorted((i for i in range(len(chunks)) if contribution[i] > 0
                         and _EDGE.sub("", chunks[i])), key=lambda i: -contribution[i])[:3]
        chosen = sorted(ranked)
        phrases: list[list[str]] = []
        for index in chosen:
            word = _EDGE.sub("", chunks[index])
            if phrases and phrases[-1][0] == str(index - 1):
                phrases[-1] = [str(index), f"{phrases[-1][1]} {word}"]
            else:
                phrases.append([str(index), word])
        return tuple(phrase for _index, phrase in phrases)


_PATH: list[Path | None] = [None]
_LIMITS: list[tuple[float | None, float | None]] = [(None, None)]


@cache
def _load(path: Path | None, threshold: float | None, veto: float | None) -> Model:
    if path is None:
        raw = resources.files("pipeline").joinpath("data", "claim_model.json.gz").read_bytes()
    else:
        raw = path.read_bytes()
    return Model(json.loads(gzip.decompress(raw)), threshold, veto)


def model() -> Model:
    """The shipped model, read once per process."""
    return _load(_PATH[0], *_LIMITS[0])


def use(path: Path | None, threshold: float | None = None, veto: float | None = None) -> None:
    """Read another model file (None: the shipped one), or set another threshold or veto:
    for the training script's held-out evaluation and for tests."""
    _PATH[0], _LIMITS[0] = path, (threshold, veto)
    _load.cache_clear()
