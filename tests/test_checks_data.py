"""The phrase data files: every entry is text, every pattern compiles, and every phrase a
pattern can match contains one of its triggers (the rules only look near triggers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.checks import phrases

ROOT = Path(__file__).parent.parent


def all_strings(value: object) -> bool:
    if isinstance(value, dict):
        return all(all_strings(v) for k, v in value.items()
                   if k not in ("citation", "trigger_reach"))
    if isinstance(value, list):
        return all(all_strings(v) for v in value)
    return isinstance(value, str)


@pytest.mark.parametrize("name", ["medical_claims.yaml", "link_phrases.yaml"])
def test_entries_are_text(name: str) -> None:
    # YAML reads a bare no/yes/false as a boolean; every phrase must stay text.
    assert all_strings(yaml.safe_load((ROOT / "pipeline" / "data" / name).read_text()))


def claim_patterns() -> list[tuple[dict, bool, str]]:
    spec = phrases.data("medical_claims.yaml")
    return [(spec, False, pattern) for category in spec["categories"]
            for pattern in category["patterns"]]


def link_patterns() -> list[tuple[dict, bool, str]]:
    spec = phrases.data("link_phrases.yaml")
    return [(spec, True, pattern) for pattern in spec["dangling"]]


@pytest.mark.parametrize("spec,whole,pattern", claim_patterns() + link_patterns(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_match_has_a_trigger_within_reach(spec: dict, whole: bool, pattern: str) -> None:
    lists = {**phrases.data("medical_claims.yaml")["lists"],
             **phrases.data("link_phrases.yaml")["lists"]}
    regex = phrases.expand(pattern, lists)
    re.compile(regex)
    # Lookarounds limit what matches; drop them so generated text covers more ground.
    plain = re.sub(r"\(\?<?[!=][^()]*(?:\([^()]*\)[^()]*)*\)", "", regex)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(plain, fullmatch=True))
    def check(text: str) -> None:
        lower = re.sub(r"\s+", " ", text.lower())  # written text has single spaces
        end = r"(?![a-z0-9])" if whole else ""
        found = [m.start() for trigger in spec["triggers"]
                 for m in re.finditer(r"(?<![a-z0-9])" + re.escape(trigger) + end, lower)]
        assert found, text
        assert min(found) <= spec["trigger_reach"], text

    check()


def test_trigger_search_finds_what_a_full_scan_finds() -> None:
    """The fast search near triggers against the plain regex scan of every position."""
    from pipeline.checks.claim_rules import matcher
    from pipeline.checks.link_rules import _patterns

    fixtures = ROOT / "tests" / "fixtures" / "checks"
    texts = [line for name in ("claims-good.txt", "claims-bad.txt")
             for line in (fixtures / name).read_text(encoding="utf-8").splitlines()]
    texts += [path.read_text(encoding="utf-8") for path in sorted(fixtures.glob("*.md"))]
    texts.append(" ".join(texts))  # one long block with everything in it
    for finder in (matcher(("boosts immunity",)).finder, _patterns()[0]):
        fast = [(index, m.span()) for index, m in finder.search(texts)]
        full = [(index, m.span()) for index, text in enumerate(texts)
                for m in finder.pattern.finditer(text)]
        assert fast == full
