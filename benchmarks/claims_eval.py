#!/usr/bin/env python3
"""Recall and false-positive rate of the medical-claim rule on sentences written blind.

The sentences in benchmarks/claims/ were written by writers who had not seen the rule (their
brief is benchmarks/claims/BRIEF.md), in batches, each split once into a development and a
test set (split.py). The rule is tuned and the model trained on the development sets only
(the dev files); the test sets (the test files) are for reporting. Each sentence becomes one
paragraph of an article checked by the real `pipeline check` code; a sentence counts as
flagged when a medical-claim finding lands on its line. Sentences the writers marked "unsure"
are left out.

    .venv/bin/python benchmarks/claims_eval.py             # numbers for dev and each test set
    .venv/bin/python benchmarks/claims_eval.py --errors    # also list dev's misses and false alarms
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.checks.runner import check_paths  # noqa: E402
from pipeline.config import Config  # noqa: E402

DATA = ROOT / "benchmarks" / "claims"
DISCLAIMER = "**Disclaimer:** " + Config().disclaimers["standard"].text
FRONT = "---\ntitle: Evaluation\ndate: 2026-01-01\n---\n\n"  # each article's front matter


@dataclass(frozen=True)
class Sentence:
    text: str
    claim: bool
    kind: str | None
    voice: str


@dataclass(frozen=True)
class Score:
    claims: int
    caught: int
    others: int
    flagged: int

    @property
    def recall(self) -> float:
        return self.caught / max(1, self.claims)

    @property
    def false_positive_rate(self) -> float:
        return self.flagged / max(1, self.others)


# Batch 3 was development only (split.py); batch 1's files have no number.
TESTS = ("test", *(f"test{batch}" for batch in (2, *range(4, 34))))
DEVS = ("dev", *(f"dev{batch}" for batch in range(2, 34)))
# "dev" and "tests": every batch's half together; then each half on its own.
SPLITS = {"dev": DEVS, "tests": TESTS, **{name: (name,) for name in (*TESTS, *DEVS[1:])}}
SHOWN = ("dev", "tests", *TESTS)  # what --split all prints


def load(split: str) -> list[Sentence]:
    return [sentence for name in SPLITS[split] for sentence in load_file(name)]


def load_file(name: str) -> list[Sentence]:
    """The scored sentences of one file (``dev`` here is batch 1's development half)."""
    rows = [json.loads(line) for line in
            (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Sentence(r["text"], r["label"] == "claim", r.get("kind"), r.get("voice") or "")
            for r in rows if r["label"] in ("claim", "not")]


def flagged(sentences: list[Sentence], config: Config | None = None) -> list[list[str]]:
    """The medical-claim messages on each sentence, checked as paragraphs of one article."""
    lines = FRONT.splitlines()
    where = []
    for sentence in sentences:
        where.append(len(lines) + 1)
        # A line break inside a sentence would move it; the writers' sentences have none.
        lines += [" ".join(sentence.text.split()), ""]
    lines.append(DISCLAIMER)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "evaluation.md"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        findings = check_paths([path], config or Config()).findings
    by_line: dict[int, list[str]] = {}
    for item in findings:
        if item.rule == "medical-claim":
            by_line.setdefault(item.line, []).append(item.message)
    return [by_line.get(line, []) for line in where]


def stops_alone(sentences: list[Sentence], config: Config | None = None) -> list[bool]:
    """Whether each sentence, as the only paragraph of an article of its own, stops it: an
    error, not a warning. A claim that only the statistical model reads, or that sits inside
    quotation marks, is a warning in an article that makes no other claim (medical-claim
    judges an article by its strongest evidence); ``flagged`` puts every sentence in one
    article, beside thousands of claims, where each finding is an error."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, sentence in enumerate(sentences):
            path = Path(folder) / f"s{index:05d}.md"
            path.write_text(f"{FRONT}{' '.join(sentence.text.split())}\n\n{DISCLAIMER}\n",
                            encoding="utf-8")
            paths.append(path)
        findings = check_paths(paths, config or Config(), jobs=0).findings
        stopped = {Path(item.path).name for item in findings
                   if item.rule == "medical-claim" and item.severity == "error"}
        return [path.name in stopped for path in paths]


def score(sentences: list[Sentence], results: list[list[str]]) -> Score:
    claims = [bool(r) for s, r in zip(sentences, results, strict=True) if s.claim]
    others = [bool(r) for s, r in zip(sentences, results, strict=True) if not s.claim]
    return Score(len(claims), sum(claims), len(others), sum(others))


def report(split: str, show_errors: bool, alone: bool = False) -> Score:
    sentences = load(split)
    results = flagged(sentences)
    total = score(sentences, results)
    print(f"{split}: recall {total.recall:.1%} ({total.caught}/{total.claims} claims), "
          f"false positives {total.false_positive_rate:.1%} "
          f"({total.flagged}/{total.others} non-claims)")
    if alone:
        by_itself = score(sentences, [["stops"] if stops else []
                                      for stops in stops_alone(sentences)])
        print(f"  each sentence as an article of its own, errors only: recall "
              f"{by_itself.recall:.1%} ({by_itself.caught}/{by_itself.claims}), false "
              f"positives {by_itself.false_positive_rate:.1%} "
              f"({by_itself.flagged}/{by_itself.others})")
    kinds = Counter(s.kind for s in sentences if s.claim)
    caught = Counter(s.kind for s, r in zip(sentences, results, strict=True) if s.claim and r)
    print("  recall by kind: " + ", ".join(
        f"{kind} {caught[kind]}/{count}" for kind, count in sorted(kinds.items())))
    if show_errors:
        for sentence, result in zip(sentences, results, strict=True):
            if sentence.claim and not result:
                print(f"  MISS [{sentence.kind}] {sentence.text}")
            elif not sentence.claim and result:
                print(f"  FALSE [{'; '.join(result)}] {sentence.text}")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true",
                        help="list the dev set's misses and false alarms (never the test set's)")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--alone", action="store_true",
                        help="also check each sentence as an article of its own and count "
                             "only errors (slower)")
    args = parser.parse_args()
    splits = SHOWN if args.split == "all" else (args.split,)
    for split in splits:
        report(split, args.errors and split.startswith("dev"), args.alone)
    return 0


if __name__ == "__main__":
    sys.exit(main())
