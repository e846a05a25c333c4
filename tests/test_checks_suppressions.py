"""Inline suppressions: next-line and block forms, required reasons, unknown and unused
directives, and directives shown in code (which are not directives)."""

from __future__ import annotations

from pathlib import Path

from pipeline.checks.runner import check_paths
from pipeline.config import CheckConfig, Config, RuleConfig
from tests.helpers import FIXTURES, write_article

CHECKS = FIXTURES / "checks"


def summary(path: Path, config: Config | None = None) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.col, f.rule, f.severity)
            for f in check_paths([path], config or Config()).findings]


def test_suppression_fixture() -> None:
    path = CHECKS / "suppression.md"
    findings = check_paths([path], Config()).findings
    assert [(f.line, f.col, f.rule, f.severity) for f in findings] == [
        (10, 1, "suppression", "warning"),  # no reason: ignored, so ...
        (11, 28, "medical-claim", "error"),  # ... the claim is still reported
        (13, 1, "suppression", "warning"),  # unknown rule 'medical-clam' (link still applies)
        (16, 1, "suppression", "warning"),  # nothing to silence on the next line
        (25, 10, "medical-claim", "error"),  # after pipeline-enable
        (25, 50, "suppression", "warning"),  # pipeline-enable with nothing open
    ]
    messages = [f.message for f in findings if f.rule == "suppression"]
    assert "has no reason" in messages[0]
    assert "unknown rule 'medical-clam'" in messages[1]
    assert "unused suppression" in messages[2] and "line 17" in messages[2]
    assert "no pipeline-disable" in messages[3]
    directive = path.read_text(encoding="utf-8").splitlines()[9]
    assert (findings[0].end_line, findings[0].end_col) == (10, len(directive) + 1)


def test_block_without_enable_runs_to_the_end_and_at_the_top_covers_the_file(
        tmp_path: Path) -> None:
    body = ("<!-- pipeline-disable summary-missing, medical-claim: archived reader letters -->\n\n"
            "It cures colds.\n\nIt cures flu.")
    path = write_article(tmp_path, "a.md", body=body, extra="summary: ''")
    assert summary(path) == []


def test_block_in_the_middle_starts_at_its_line(tmp_path: Path) -> None:
    body = ("It cures colds.\n\n<!-- pipeline-disable medical-claim: quoted advert -->\n\n"
            "It cures flu.")
    path = write_article(tmp_path, "a.md", body=body, extra="summary: x")
    assert summary(path) == [(7, 4, "medical-claim", "error")]


def test_several_rules_and_inline_comment(tmp_path: Path) -> None:
    body = ("Intro. <!-- pipeline-disable-next-line medical-claim,link: quoting the 1998 "
            "leaflet -->\nIt cures colds, see http://example.org/leaflet.")
    path = write_article(tmp_path, "a.md", body=body, extra="summary: x")
    assert summary(path) == []


def test_suppressing_an_unsuppressible_rule_is_reported(tmp_path: Path) -> None:
    body = "<!-- pipeline-disable-next-line encoding: test -->\nText."
    path = write_article(tmp_path, "a.md", body=body, extra="summary: x")
    findings = check_paths([path], Config()).findings
    assert [(f.rule, f.line) for f in findings] == [("suppression", 7), ("suppression", 7)]
    assert "cannot be suppressed" in findings[0].message


def test_suppression_rule_is_configurable(tmp_path: Path) -> None:
    body = "<!-- pipeline-disable-next-line link: nothing here -->\nText."
    path = write_article(tmp_path, "a.md", body=body, extra="summary: x")
    strict = Config(check=CheckConfig(rules={"suppression": RuleConfig(severity="error")}))
    assert summary(path, strict) == [(7, 1, "suppression", "error")]
    quiet = Config(check=CheckConfig(rules={"suppression": RuleConfig(severity="off")}))
    assert summary(path, quiet) == []


def test_rule_turned_off_makes_its_suppressions_not_unused(tmp_path: Path) -> None:
    body = "<!-- pipeline-disable-next-line link: old archive -->\nText."
    path = write_article(tmp_path, "a.md", body=body, extra="summary: x")
    off = Config(check=CheckConfig(rules={"link": RuleConfig(severity="off")}))
    assert summary(path, off) == []


def test_directive_in_code_is_not_a_directive(tmp_path: Path) -> None:
    body = ("```\n<!-- pipeline-disable-next-line medical-claim: example -->\n```\n\n"
            "It cures colds.")
    path = write_article(tmp_path, "a.md", body=body, extra="summary: x")
    assert summary(path) == [(11, 4, "medical-claim", "error")]
