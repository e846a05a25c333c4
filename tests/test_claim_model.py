"""The statistical claim model beside the medical-claim rule (pipeline/checks/claim_model.py).

Its pure-Python reading is compared with scikit-learn's own, through an oracle the training
script wrote with scikit-learn (tests/fixtures/claim_model_oracle.json): scikit-learn is not
a dependency, so it cannot run here."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

from pipeline.checks import claim_model
from pipeline.checks.claim_model import char_terms, model, word_terms
from pipeline.checks.claim_reader import KINDS
from pipeline.checks.claim_rules import MODEL_ONLY
from pipeline.checks.runner import check_paths
from pipeline.config import CheckConfig, Config, RuleConfig
from tests.helpers import FIXTURES, write_article

ORACLE = json.loads((FIXTURES / "claim_model_oracle.json").read_text(encoding="utf-8"))
# Sentences from the development sets that the rules let pass and the model reports.
MISSED = {
    "Nine out of ten neuroscientists recommend CerebraMax for anxiety.": "proof",
    "Throw out that drawer full of antacids and prescription reflux pills—RefluxRelief Chews "
    "are all you'll ever need.": "substitution",
}
BODY_START = 7  # write_article: 4 front-matter lines (with summary), closing '---', blank line


def _data() -> dict:
    raw = resources.files("pipeline").joinpath("data", "claim_model.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def test_probabilities_match_scikit_learn() -> None:
    assert len(ORACLE) == 200
    found = model()
    worst = max(abs(found.probability(row["text"]) - row["probability"]) for row in ORACLE)
    assert worst < 1e-6
    # read() takes the slower way to the same number, and names scikit-learn's kind.
    for row in ORACLE:
        reading = found.read(row["text"])
        assert abs(reading.probability - row["probability"]) < 1e-6
        assert reading.kind == row["kind"], row["text"]
    # The oracle holds sentences on both sides of the threshold.
    above = sum(row["probability"] >= found.threshold for row in ORACLE)
    assert 20 < above < len(ORACLE) - 20


def test_analyzers_are_scikit_learns() -> None:
    # The outputs of scikit-learn 1.9.1's analyzers on the same text (lowercased first).
    assert word_terms("a cure-all, for ibs: 100% é-safe") == [
        "cure", "all", "for", "ibs", "100", "safe", "cure all", "all for", "for ibs",
        "ibs 100", "100 safe"]
    assert [t for w in ["a", "ab", "cure-all!"] for t in char_terms(w)] == [
        " a ", " ab", "ab ", " ab ", " cu", "cur", "ure", "re-", "e-a", "-al", "all", "ll!",
        "l! ", " cur", "cure", "ure-", "re-a", "e-al", "-all", "all!", "ll! ", " cure",
        "cure-", "ure-a", "re-al", "e-all", "-all!", "all! "]


def test_the_shipped_file() -> None:
    path = Path(str(resources.files("pipeline").joinpath("data", "claim_model.json.gz")))
    assert path.stat().st_size < 600_000
    raw = path.read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0: the same bytes on every run
    data = _data()
    training = data["training"]
    assert training["files"] and all(
        name.startswith("benchmarks/claims/dev") for name in training["files"])
    assert training["sentences"] == training["claims"] + training["not_claims"]
    assert set(data["kinds"]["classes"]) <= set(KINDS)
    assert 0.5 < data["threshold"] < 1
    assert model().threshold == data["threshold"]


def _findings(tmp_path: Path, paragraphs: list[str], config: Config | None = None):
    path = write_article(tmp_path, "a.md", body="\n\n".join(paragraphs),
                         extra="summary: A summary.")
    return [f for f in check_paths([path], config or Config()).findings
            if f.rule == "medical-claim"]


def test_a_sentence_the_rules_miss(tmp_path: Path) -> None:
    sentences = list(MISSED)
    found = _findings(tmp_path, ["Some text first. " + sentences[0], sentences[1]])
    assert [(f.line, f.col, f.kind) for f in found] == [
        (BODY_START, len("Some text first. ") + 1, "proof"), (BODY_START + 2, 1, "substitution")]
    first = found[0]
    # The finding spans the sentence (end_col: just past its last character).
    assert (first.end_line, first.end_col) == (BODY_START, len("Some text first. ")
                                                + len(sentences[0]) + 1)
    assert "reads like a health claim of kind proof" in first.message
    assert "most weight on '" in first.message
    assert "link the study" in first.message  # the kind's rewording
    # Only the model reads a claim in this article: a warning (medical-claim judges an
    # article by its strongest evidence; beside a claim the rules read, it is an error).
    assert first.severity == "warning" and first.message.endswith(MODEL_ONLY)


def test_the_model_follows_the_kinds_configuration(tmp_path: Path) -> None:
    config = Config(check=CheckConfig(rules={"medical-claim": RuleConfig(
        kinds={"proof": "warning", "substitution": "off"})}))
    found = _findings(tmp_path, list(MISSED), config)
    assert [(f.kind, f.severity) for f in found] == [("proof", "warning")]


def test_what_the_rules_let_pass_the_model_does_too(tmp_path: Path) -> None:
    sentence = next(iter(MISSED))
    paragraphs = [
        sentence.replace(".", "?"),  # a question
        "<!-- pipeline-disable-next-line medical-claim: quoting a reader -->\n" + sentence,
    ]
    assert _findings(tmp_path, paragraphs) == []


def test_the_rules_finding_stands_alone(tmp_path: Path) -> None:
    # A sentence the rules report gets no second finding from the model.
    found = _findings(tmp_path, ["Turmeric cures arthritis and works better than ibuprofen."])
    assert found and all("statistical" not in f.message for f in found)


def test_a_threshold_above_one_turns_the_model_off(tmp_path: Path) -> None:
    try:
        claim_model.use(None, 1.01)
        assert _findings(tmp_path, list(MISSED)) == []
    finally:
        claim_model.use(None)
