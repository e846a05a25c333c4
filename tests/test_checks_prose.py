"""Positions in awkward Markdown: containers, tables, headings, entities, escapes, non-ASCII,
CRLF line endings and front-matter values. Expected columns come from the file's own text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks.runner import check_paths
from pipeline.config import Config

FRONT = "---\ntitle: Notes\ndate: 2026-01-01\nsummary: Notes.\n---\n\n"


def claim_positions(tmp_path: Path, body: str, *, newline: str = "\n",
                    front: str = FRONT) -> list[tuple[int, int, int, int]]:
    path = tmp_path / "a.md"
    path.write_bytes((front + body).replace("\n", newline).encode("utf-8"))
    return [(f.line, f.col, f.end_line or 0, f.end_col or 0)
            for f in check_paths([path], Config()).findings if f.rule == "medical-claim"]


def where(text: str, phrase: str, occurrence: int = 1) -> tuple[int, int, int, int]:
    lines = text.split("\n")
    seen = 0
    for number, line in enumerate(lines, 1):
        start = -1
        while (start := line.find(phrase, start + 1)) >= 0:
            seen += 1
            if seen == occurrence:
                return number, start + 1, number, start + len(phrase) + 1
    raise AssertionError(f"{phrase!r} not in text")


@pytest.mark.parametrize("body,phrase,occurrences", [
    ("> - quoted list item: it cures colds", "cures colds", [1]),
    ("1. first\n2. second\n\n   - nested: Reiki heals anxiety", "heals anxiety", [1]),
    ("> > deep quote\n> > that cures colds", "cures colds", [1]),
    ("Setext heading that cures colds\n-------------------------------", "cures colds", [1]),
    ("## Heading that cures colds ##", "cures colds", [1]),
    ("| a | b |\n|---|---|\n| cures colds | it cures colds |", "cures colds", [1, 2]),
    ("Fish &amp; chips &mdash; and a tea that cures colds.", "cures colds", [1]),
    ("Caf\u00e9 cr\u00e8me \U0001f375 tea that cures colds.", "cures colds", [1]),
    ("Escaped \\*stars\\* then a tea that cures colds.", "cures colds", [1]),
    ("A <span class=\"x\">tea</span> that cures colds.", "cures colds", [1]),
    ("Tab\tseparated text that cures colds.", "cures colds", [1]),
    ("Text with `cures colds` in code, then a tea that cures colds.", "cures colds", [2]),
])
def test_claim_positions(tmp_path: Path, body: str, phrase: str, occurrences: list[int]) -> None:
    expected = [where(FRONT + body, phrase, n) for n in occurrences]
    assert claim_positions(tmp_path, body) == expected




@pytest.mark.parametrize("body,rule,count", [
    ("[" * 5000 + " text", "medical-claim", 0),
    (" ".join("`" * n for n in range(1, 150)), "medical-claim", 0),
    ("This cures colds. " * 2000, "medical-claim", 2000),
    ("this cures colds " * 2000, "medical-claim", 1),  # one sentence: one claim of a kind
    ("[a](x 'aaa " * 2000, "link", 0),
    ("[here](https://e.org) " * 1000, "dangling-link-text", 1000),
])
def test_hostile_paragraphs_are_checked_in_one_pass(tmp_path: Path, body: str, rule: str,
                                                     count: int) -> None:
    # Each of these is quadratic for a scanner that looks ahead from every bracket, backtick
    # or phrase; they must finish like any other article.
    path = tmp_path / "a.md"
    path.write_text(FRONT + body + "\n", encoding="utf-8")
    findings = check_paths([path], Config()).findings
    assert sum(1 for f in findings if f.rule == rule) == count
