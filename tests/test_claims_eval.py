"""The blind-written claim sentences: the sets stay apart, the evaluation never shows a test
set's sentences, and the rule's numbers do not fall below what was reported (a regression
guard; the figures themselves come from `benchmarks/claims_eval.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "claims"
sys.path.insert(0, str(ROOT / "benchmarks"))

import claims_eval  # noqa: E402

TEST_SPLITS = [split for split in claims_eval.SPLITS if split.startswith("test")]


def texts(name: str) -> set[str]:
    return {json.loads(line)["text"] for line in
            (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}


def test_development_and_test_sets_share_no_sentence() -> None:
    development = set().union(*(texts(name) for name in claims_eval.SPLITS["dev"]))
    for split in TEST_SPLITS:
        for name in claims_eval.SPLITS[split]:
            assert not development & texts(name), name


def test_every_sentence_is_labelled() -> None:
    for path in DATA.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert row["label"] in ("claim", "not", "unsure"), path
            assert row["text"].strip() and "\n" not in row["text"], path


def test_errors_are_listed_for_development_only() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "claims_eval.py"),
                             "--errors"], capture_output=True, text=True, check=True)
    shown = {line.split("] ", 1)[1] for line in result.stdout.splitlines()
             if line.startswith(("  MISS [", "  FALSE ["))}
    tests = set().union(*(texts(name) for split in TEST_SPLITS
                          for name in claims_eval.SPLITS[split]))
    assert not shown & tests


@pytest.mark.parametrize("split,recall,false_positives", [
    # Rules and model together, measured 7 December (the 7th session); the rules were tuned on
    # dev13 to dev18; the model is trained on dev1-14 (retrained with dev15, it missed a
    # hand-written claim and flagged a blind careful article, so it was not kept).
    ("dev", 0.975, 0.01),  # 0.98 before the untuned dev25 joined it (9th session)
    ("test", 0.96, 0.04),
    ("test2", 0.95, 0.02),
    ("test4", 0.975, 0.01),
    ("test5", 0.91, 0.01),
    ("test6", 0.97, 0.03),
    ("test7", 0.955, 0.015),  # one claim fewer after the 7th session (test errors unread)
    ("test8", 0.92, 0.01),
    ("test9", 0.91, 0.01),
    ("test10", 0.89, 0.02),
    ("test11", 0.97, 0.06),
    ("test12", 0.96, 0.03),
    ("test13", 0.93, 0.03),
    ("test14", 0.91, 0.04),
    ("test15", 0.91, 0.07),
    ("test16", 0.90, 0.02),
    ("test17", 0.87, 0.02),
    ("test18", 0.93, 0.07),
    ("test19", 0.915, 0.025),  # one claim fewer after the 8th session (test errors unread)
    # 0.92 until the 10th session: a claim in a quotation in a product's voice inside the
    # writer's own prose is read as an advert quoted; it cost test20 two claims (test errors
    # unread) and removed nine false findings in careful blind articles.
    ("test20", 0.915, 0.02),
    ("test21", 0.93, 0.01),
    ("test22", 0.93, 0.02),
    ("test23", 0.95, 0.02),
    ("test24", 0.91, 0.025),
    ("test25", 0.90, 0.02),  # scored once when it arrived (9th session), before any tuning
    ("test26", 0.89, 0.025),  # scored once after the 9th session's tuning, never tuned on
    ("test27", 0.975, 0.03),  # scored once when it arrived (10th session), before any tuning
    ("test28", 0.90, 0.03),  # scored once after the 10th session's tuning, never tuned on
    ("test29", 0.875, 0.02),  # scored once after all the 10th session's tuning, never tuned on
    ("test30", 0.91, 0.01),  # scored once when it arrived (11th session), before any tuning
    ("test31", 0.95, 0.02),  # scored once at the 11th session's start and again after its
    # tuning (the same counts), never tuned on
    ("test32", 0.96, 0.02),  # scored once at the 13th session's start, before any tuning
    ("test33", 0.95, 0.01),  # written during the 13th session's first tuning; scored before
    # its second round and after (the same counts), never tuned on
])
def test_numbers_do_not_regress(split: str, recall: float, false_positives: float) -> None:
    sentences = claims_eval.load(split)
    score = claims_eval.score(sentences, claims_eval.flagged(sentences))
    assert score.recall >= recall, score
    assert score.false_positive_rate <= false_positives, score
