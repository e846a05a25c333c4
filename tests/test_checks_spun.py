"""Signals of spun text: words doubled by accident (repeated-word) and a disclaimer someone
reworded (disclaimer-missing, reported at that paragraph). Positions come from the files'
own text; the shared seed article, where it sits beside the repo, is checked too."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks.runner import check_paths
from pipeline.config import Config
from tests.helpers import FIXTURES, SEED, seed_article, write_article

CHECKS = FIXTURES / "checks"


def found(path: Path, rule: str) -> list[tuple[int, int, int, int]]:
    return [(f.line, f.col, f.end_line or 0, f.end_col or 0)
            for f in check_paths([path], Config()).findings if f.rule == rule]


def locate(path: Path, text: str, second: str) -> tuple[int, int, int, int]:
    """Where the second word of ``text`` stands: on its own line when the double breaks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if text in line:
            col = line.index(text) + len(text) - len(second) + 1
            return number, col, number, col + len(second)
    raise AssertionError(text)


def test_doubled_words_are_warned_at_the_second_word() -> None:
    path = CHECKS / "spun-article.md"
    assert found(path, "repeated-word") == [
        locate(path, "therapy therapy", "therapy"),
        locate(path, "The the", "the"),  # in any case
    ]


def test_legitimate_doubles_and_code_pass(tmp_path: Path) -> None:
    body = ("She had had enough. He said that that was fine. What it is is a habit.\n\n"
            "Bye bye, see you. `word word` in code.\n\n```\nmassage massage\n```")
    path = write_article(tmp_path, "fine.md", body=body, extra="summary: Fine.")
    assert found(path, "repeated-word") == []


def test_double_across_a_line_break_and_in_any_case(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", body="Regular massage\nMassage helps me relax.",
                         extra="summary: A.")
    line = path.read_text().splitlines().index("Massage helps me relax.") + 1
    assert found(path, "repeated-word") == [(line, 1, line, 8)]
    result = check_paths([path], Config())
    item = next(f for f in result.findings if f.rule == "repeated-word")
    assert item.severity == "warning" and "'massage Massage'" in item.message


def test_reworded_disclaimer_is_reported_at_its_paragraph() -> None:
    path = CHECKS / "spun-article.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, 1) if line.startswith("It is vital"))
    findings = [f for f in check_paths([path], Config()).findings
                if f.rule.startswith("disclaimer")]
    assert [(f.rule, f.line, f.col) for f in findings] == [("disclaimer-missing", start, 1)]
    assert "reads like a reworded one" in findings[0].message
    assert "replace it with the configured text" in findings[0].message


def test_an_article_without_any_disclaimer_is_still_reported_at_line_one(tmp_path: Path) -> None:
    path = write_article(tmp_path, "bare.md", body="Walking is pleasant.", disclaimer=False,
                         extra="summary: Bare.")
    findings = [f for f in check_paths([path], Config()).findings
                if f.rule == "disclaimer-missing"]
    assert [(f.line, f.col) for f in findings] == [(1, 1)]
    assert "reworded" not in findings[0].message


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not beside the repo")
def test_seed_doubles_and_reworded_disclaimer_at_their_lines(tmp_path: Path) -> None:
    path = seed_article(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    doubles = [i for i, line in enumerate(lines, 1) if "therapy therapy" in line]
    assert doubles  # the seed doubles "therapy" more than once
    assert sorted({line for line, *_ in found(path, "repeated-word")}) == doubles
    reworded = next(i for i, line in enumerate(lines, 1)
                    if "should not switch out clinical recommendations" in line)
    findings = [f for f in check_paths([path], Config()).findings
                if f.rule == "disclaimer-missing"]
    assert [(f.line, f.col) for f in findings] == [(reworded, 1)]
