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
        return all(all_strings(v) for k, v in value.items() if k != "citation")
    if isinstance(value, list):
        return all(all_strings(v) for v in value)
    return isinstance(value, str)


@pytest.mark.parametrize("name", ["medical_claims.yaml", "link_phrases.yaml"])
def test_entries_are_text(name: str) -> None:
    # YAML reads a bare no/yes/false as a boolean; every phrase must stay text.
    assert all_strings(yaml.safe_load((ROOT / "pipeline" / "data" / name).read_text()))


def claim_patterns() -> list[tuple[list[str], str]]:
    spec = phrases.data("medical_claims.yaml")
    return [(spec["triggers"], pattern) for category in spec["categories"]
            for pattern in category["patterns"]]


def link_patterns() -> list[tuple[list[str], str]]:
    spec = phrases.data("link_phrases.yaml")
    return [(spec["triggers"], pattern) for pattern in spec["dangling"]]


@pytest.mark.parametrize("triggers,pattern", claim_patterns() + link_patterns(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_match_contains_a_trigger(triggers: list[str], pattern: str) -> None:
    spec = {**phrases.data("medical_claims.yaml")["lists"],
            **phrases.data("link_phrases.yaml")["lists"]}
    regex = phrases.expand(pattern, spec)
    re.compile(regex)
    # Lookarounds limit what matches; drop them so generated text covers more ground.
    plain = re.sub(r"\(\?<?[!=][^()]*(?:\([^()]*\)[^()]*)*\)", "", regex)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(plain, fullmatch=True))
    def check(text: str) -> None:
        lower = text.lower()
        assert any(trigger.lower() in lower for trigger in triggers), text

    check()
