"""Whole articles written blind (tests/fixtures/blind_articles, by two writers who saw neither
the rule nor its word lists, from a brief like benchmarks/claims/BRIEF.md): sixteen careful,
evidence-aware articles that discuss conditions, medicines and misleading adverts, and eight
marketing articles whose writers listed each claim sentence in a ``<!-- CLAIMS ... -->``
comment (which `check` does not read). Both sets were used to tune the rule after they were
scored (the first: headings that name a topic, "family history", an aside before the
predicate; the second: adverts quoted after a colon), so this guards against regressions; it
is not a measure of unseen writing. Scored before that tuning, the careful articles raised 6
findings in 5 of 8 (first set) and 13 in 6 of 8 (second set); the marketing claims were 31 of
32 and 27 of 28 caught."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.checks.runner import check_paths
from pipeline.config import Config

ARTICLES = Path(__file__).parent / "fixtures" / "blind_articles"
CLAIMS = re.compile(r"<!-- CLAIMS\n(.*?)-->", re.DOTALL)


def claim_lines(paths: list[Path]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for item in check_paths(paths, Config()).findings:
        if item.rule == "medical-claim":
            found.setdefault(Path(item.path).name, set()).add(item.line)
    return found


@pytest.fixture(scope="module")
def findings() -> dict[str, set[int]]:
    return claim_lines(sorted(ARTICLES.glob("*.md")))


# A known false positive: the statistical model reads a reader's four-word lead-in, "I have
# asthma too.", as a claim (90%).
KNOWN = {"careful-12.md": {55}}


@pytest.mark.parametrize("name", [f"careful-{n:02d}.md" for n in range(1, 17)])
def test_careful_articles_raise_no_claim(findings: dict[str, set[int]], name: str) -> None:
    assert (ARTICLES / name).is_file()
    assert findings.get(name, set()) == KNOWN.get(name, set())


def test_marketing_articles_claims_are_caught(findings: dict[str, set[int]]) -> None:
    listed = caught = 0
    missed = []
    for path in sorted(ARTICLES.glob("marketing-*.md")):
        text = path.read_text(encoding="utf-8")
        marker = CLAIMS.search(text)
        assert marker is not None, path
        lines = text[:marker.start()].splitlines()
        for claim in marker.group(1).strip().splitlines():
            where = {n for n, line in enumerate(lines, 1) if claim.strip()[:40] in line}
            assert where, (path.name, claim)
            listed += 1
            if where & findings.get(path.name, set()):
                caught += 1
            else:
                missed.append(claim)
    assert listed == 60
    # One known miss: "we guarantee results: if your arthritis hasn't been reversed ...",
    # which the statistical model vetoes (0.097: the if-clause and the denial weigh).
    assert caught >= 59, missed
