"""The phrase data files: every entry is text, every pattern compiles and can be followed by
a word, every link phrase contains one of its triggers (that rule only looks near triggers),
and the condition vocabulary is what scripts/build_conditions.py makes from ICD-10-CM."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.checks import phrases

ROOT = Path(__file__).parent.parent


def all_strings(value: object) -> bool:
    if isinstance(value, dict):
        return all(all_strings(v) for k, v in value.items()
                   if not k.endswith("reach"))
    if isinstance(value, list):
        return all(all_strings(v) for v in value)
    return isinstance(value, str)


@pytest.mark.parametrize("name", ["claims.yaml", "link_phrases.yaml"])
def test_entries_are_text(name: str) -> None:
    # YAML reads a bare no/yes/false as a boolean; every phrase must stay text.
    assert all_strings(yaml.safe_load((ROOT / "pipeline" / "data" / name).read_text()))


def claim_patterns() -> list[str]:
    spec = phrases.data("claims.yaml")
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("conditions", "not_conditions", "lists"):
                    walk(item)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, str))
        elif isinstance(value, str):
            found.append(value)

    walk({k: v for k, v in spec.items() if k not in ("conditions", "not_conditions")})
    return found


def test_no_list_item_was_folded_into_a_pattern() -> None:
    """A list item under a key that holds one pattern (text, not a list) folds into that
    text as " - (...)" and quietly breaks the pattern."""
    assert [p for p in claim_patterns() if " - " in p or "\n" in p] == []


@pytest.mark.parametrize("pattern", claim_patterns())
def test_claim_patterns_compile_and_can_be_followed_by_a_word(pattern: str) -> None:
    """A pattern that ends in a space ("helps (with )?") can never be followed by a word:
    the whole-word guard after it fails, and it silently matches nothing in real text."""
    spec = phrases.data("claims.yaml")
    lists = {**spec["lists"], "restorables": spec["effects"]["restorables"]}
    compiled = phrases.alternation([pattern], lists)
    if "(?=" in pattern:
        return  # it says itself what must follow ("cure(?= for)", "forget ...(?=\\s*$)")
    plain = re.sub(r"\(\?<?[!=][^()]*(?:\([^()]*\)[^()]*)*\)", "",
                   phrases.expand(pattern, lists))

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(plain, fullmatch=True))
    def check(text: str) -> None:
        text = " ".join(text.split())
        assume(text and compiled.fullmatch(text))
        assert compiled.match(text + " word"), text

    check()


def family_patterns() -> list[tuple[str, int, str]]:
    from pipeline.checks.claim_reader import reader

    return [(family, index, compiled.pattern)
            for family, patterns in reader().family.items()
            for index, compiled in enumerate(patterns.patterns)]


@pytest.mark.parametrize("family,index,regex", family_patterns(),
                         ids=lambda value: str(value)[:60])
def test_every_claim_phrase_holds_a_trigger_that_calls_its_pattern(
        family: str, index: int, regex: str) -> None:
    """A sentence is searched only with the patterns its trigger words call for (it keeps
    check fast), so every phrase a pattern matches must hold a trigger word filed under that
    pattern: "cured" under "cur(e|es|ed|ing)", "repigmented" under "re ?pigment(ed)?"."""
    from pipeline.checks.claim_reader import reader

    read = reader()
    compiled = re.compile(regex)
    filed = {key for key, indices in read.family[family].by_key.items() if index in indices}
    exact = {key for key in filed if key in read.exact}
    stems = tuple(key for key in filed if key in read.stems)
    plain = re.sub(r"\(\?<?[!=][^()]*(?:\([^()]*\)[^()]*)*\)", "", regex)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(plain, fullmatch=True))
    def check(text: str) -> None:
        text = " ".join(text.split())
        if not (text and compiled.fullmatch(text)):
            return  # the lookarounds dropped above would have refused it
        words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)
        assert any(word in exact or word.startswith(stems) for word in words), text

    check()


def link_patterns() -> list[tuple[dict, bool, str]]:
    spec = phrases.data("link_phrases.yaml")
    return [(spec, True, pattern) for pattern in spec["dangling"]]


@pytest.mark.parametrize("spec,whole,pattern", link_patterns(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_every_match_has_a_trigger_within_reach(spec: dict, whole: bool, pattern: str) -> None:
    lists = phrases.data("link_phrases.yaml")["lists"]
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
    from pipeline.checks.link_rules import _patterns

    fixtures = ROOT / "tests" / "fixtures" / "checks"
    texts = [line for name in ("claims-good.txt", "claims-bad.txt")
             for line in (fixtures / name).read_text(encoding="utf-8").splitlines()]
    texts += [path.read_text(encoding="utf-8") for path in sorted(fixtures.glob("*.md"))]
    texts.append(" ".join(texts))  # one long block with everything in it
    for finder in (_patterns()[0],):
        fast = [(index, m.span()) for index, m in finder.search(texts)]
        full = [(index, m.span()) for index, text in enumerate(texts)
                for m in finder.pattern.finditer(text)]
        assert fast == full


def test_condition_vocabulary_is_generated_from_icd_10_cm() -> None:
    """The shipped vocabulary is exactly what the script derives from the ICD-10-CM tabular
    list in the pinned simple-icd-10-cm package: nobody edited it by hand."""
    pytest.importorskip("simple_icd_10_cm")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_conditions.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_condition_vocabulary_knows_clinical_and_everyday_names() -> None:
    from pipeline.checks.conditions import normalize_phrase, vocabulary

    words = vocabulary()
    for name in ("adhesive capsulitis", "frozen shoulder", "osteoarthritis", "arthritis",
                 "neoplasm", "tumour", "tumor", "lump", "influenza", "flu", "hypertension",
                 "high blood pressure", "oedema", "haemorrhoids", "Tumours"):
        assert normalize_phrase(name) in words.terms, name
    for word in ("release", "tension", "stress", "abdominal", "other", "cold"):
        assert normalize_phrase(word) not in words.terms, word
