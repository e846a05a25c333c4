"""Issue 3's rules on fixture articles: path, line, column, rule id and exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checks.runner import check_paths
from pipeline.cli import cli
from pipeline.config import Config, DisclaimerConfig
from pipeline.disclaimer import normalize, normalize_each
from pipeline.findings import Finding
from tests.helpers import FIXTURES, write_article


def disclaimer_findings(findings: list[Finding]) -> list[Finding]:
    """Only the disclaimer rules: other rules (issue 4) may add warnings to test articles."""
    return [f for f in findings if f.rule.startswith("disclaimer")]

FOUNDATION = FIXTURES / "foundation"

# file -> (rule, line, col, severity, words the message must contain)
EXPECTED = {
    "no-front-matter.md": ("front-matter", 1, 1, "error", "no front matter"),
    "yaml-syntax.md": ("front-matter", 5, 8, "error", "starts on line 4"),
    "missing-title.md": ("front-matter", 1, 1, "error", "missing 'title'"),
    "bad-date.md": ("front-matter", 4, 1, "error", "'date' is not a date"),
    "bad-slug.md": ("front-matter", 4, 1, "error", "invalid slug"),
    "unknown-key.md": ("front-matter", 4, 1, "warning", "unknown key 'mood'"),
    "unknown-disclaimer.md": ("front-matter", 4, 1, "error", "unknown disclaimer 'sports'"),
    "latin1.md": ("encoding", 6, 4, "error", "not valid UTF-8"),
    "empty.md": ("front-matter", 1, 1, "error", "empty"),
    # The paraphrase is reported where it stands, to be replaced by the configured text.
    "paraphrased-disclaimer.md": ("disclaimer-missing", 8, 1, "error", "reads like a reworded one"),
    "disclaimer-in-code.md": ("disclaimer-missing", 1, 1, "error", "no 'standard' disclaimer"),
    "altered-disclaimer.md": ("disclaimer-altered", 8, 1, "error", "is [-not-] a substitute"),
}
CLEAN = ["good-basic.md", "heading-disclaimer.md", "bom-crlf.md"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gives_rule_at_line(name: str) -> None:
    rule, line, col, severity, words = EXPECTED[name]
    path = FOUNDATION / name
    result = CliRunner().invoke(cli, ["check", str(path)])
    lines = [text for text in result.output.splitlines() if f" {rule} " in text]
    assert lines, result.output
    assert lines[0].startswith(f"{path}:{line}:{col}: {severity} {rule} "), result.output
    assert words in lines[0]
    assert result.exit_code == (1 if severity == "error" else 0)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", CLEAN)
def test_clean_fixture_passes(name: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(FOUNDATION / name)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_every_problem_in_every_file_in_one_run() -> None:
    result = CliRunner().invoke(cli, ["check", str(FOUNDATION)])
    assert result.exit_code == 1
    reported = {Path(line.split(":", 1)[0]).name for line in result.output.splitlines()[:-1]
                if " warning summary-missing " not in line}
    assert set(EXPECTED) <= reported
    assert not reported & set(CLEAN)
    summary = result.output.splitlines()[-1]
    assert summary.startswith(f"{len(list(FOUNDATION.glob('*.md')))} files checked:")


def test_duplicate_slug_names_both_files(tmp_path: Path) -> None:
    first = write_article(tmp_path, "one.md", extra="slug: shared-slug")
    second = write_article(tmp_path, "two.md", extra="slug: shared-slug")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "duplicate-slug" in line]
    assert len(lines) == 2
    assert lines[0].startswith(f"{first}:4:1: error duplicate-slug") and str(second) in lines[0]
    assert lines[1].startswith(f"{second}:4:1: error duplicate-slug") and str(first) in lines[1]


def test_slug_from_file_stem_and_from_key_collide(tmp_path: Path) -> None:
    write_article(tmp_path, "foam-rolling.md")
    write_article(tmp_path, "other.md", extra="slug: foam-rolling")
    findings = check_paths([tmp_path], Config()).findings
    assert [f.rule for f in findings if f.severity == "error"] == [
        "duplicate-slug", "duplicate-slug"]


@pytest.mark.parametrize("variant", [
    "**Disclaimer:** {text}",
    "Disclaimer: {text}",
    "## Disclaimer\n\n{text}",
    "_{text}_",
    "{quoted}",
])
def test_disclaimer_forms_that_pass(tmp_path: Path, variant: str) -> None:
    from pipeline.config import STANDARD_DISCLAIMER as text

    quoted = text.replace("'", "\u2019").upper().replace(", diagnosis", ",\n diagnosis")
    body = "Some prose first.\n\n" + variant.format(text=text, quoted=quoted)
    write_article(tmp_path, "a.md", body=body, disclaimer=False)
    assert disclaimer_findings(check_paths([tmp_path], Config()).findings) == []


@pytest.mark.parametrize("change,diff", [
    (("is not a substitute", "is a substitute"), "is [-not-] a substitute"),
    (("diagnosis or treatment", "diagnosis"), "[-or treatment-]"),
    (("Always consult", "You may consult"), "[-always-] {+you may+}"),
])
def test_reworded_disclaimer_is_altered_with_word_diff(tmp_path: Path, change, diff) -> None:
    from pipeline.config import STANDARD_DISCLAIMER as text

    body = "Opening line.\n\nMore prose.\n\n" + text.replace(*change)
    path = write_article(tmp_path, "a.md", body=body, disclaimer=False)
    findings = disclaimer_findings(check_paths([path], Config()).findings)
    assert [(f.rule, f.line) for f in findings] == [("disclaimer-altered", 10)]
    assert diff in findings[0].message


def test_labelled_paragraph_with_other_text_is_altered(tmp_path: Path) -> None:
    body = "Prose.\n\n**Disclaimer:** Talk to your doctor first."
    path = write_article(tmp_path, "a.md", body=body, disclaimer=False)
    findings = disclaimer_findings(check_paths([path], Config()).findings)
    assert [(f.rule, f.line) for f in findings] == [("disclaimer-altered", 8)]


def test_configured_disclaimer_id(tmp_path: Path) -> None:
    sports = "Exercise carries some risk of injury; stop and seek advice if anything hurts."
    config = Config(disclaimers={"sports": DisclaimerConfig(text=sports)})
    path = tmp_path / "run.md"
    path.write_text(f"---\ntitle: Running\ndate: 2026-01-01\ndisclaimer: sports\n---\n\n"
                    f"Run easy.\n\n{sports}\n", encoding="utf-8")
    assert disclaimer_findings(check_paths([path], config).findings) == []
    path.write_text(path.read_text().replace("disclaimer: sports\n", ""))
    assert [f.rule for f in disclaimer_findings(check_paths([path], config).findings)] == [
        "disclaimer-missing"]


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "\n".join(['a: &a ["x","x","x","x","x","x","x","x","x"]'] + [
        f'{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]'
        for i in range(8)])
    path = tmp_path / "bomb.md"
    path.write_text(f"---\ntitle: Bomb\ndate: 2026-01-01\n{bomb}\n---\n\nBody.\n")
    findings = check_paths([path], Config()).findings
    assert findings[0].rule == "front-matter" and "aliases" in findings[0].message
    assert findings[0].line == 5


@pytest.mark.parametrize("front,rule_line,words", [
    ("- just\n- a list", 2, "not a list"),
    ("title: [1, 2]\ndate: 2026-01-01", 2, "'title' must be text"),
    ("title: Ok\ndate: 2026-13-45", 3, "'date'"),
    ("title: Ok\ndate: 2026-01-01\ntags: 5", 4, "'tags' must be a list"),
    ("title: Ok\ndate: 2026-01-01\ndraft: maybe", 4, "'draft' must be true or false"),
    ("title: Ok\ndate: 2026-01-01\nimage: ../../secret.png\nimage_alt: x", 4, "'image'"),
    ("title: \"bell\\a\"\ndate: 2026-01-01", 2, "control characters"),
])
def test_bad_front_matter_values(tmp_path: Path, front: str, rule_line: int, words: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(f"---\n{front}\n---\n\nBody.\n")
    findings = [f for f in check_paths([path], Config()).findings if f.rule == "front-matter"]
    assert findings, "expected a front-matter finding"
    assert (findings[0].line, findings[0].severity) == (rule_line, "error")
    assert words in findings[0].message


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_cli_as_subprocess_never_shows_traceback(tmp_path: Path) -> None:
    (tmp_path / "bin.md").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "weird.md").write_text("---\n: : :\n---\n")
    completed = subprocess.run([sys.executable, "-m", "pipeline", "check", str(tmp_path)],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout + completed.stderr
    assert "bin.md:1:" in completed.stdout and "weird.md:" in completed.stdout


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="ab \t\n\u00a0\u200b*_'\u2019\u2014Σσİ.-")))
def test_paragraphs_normalized_together_come_out_as_alone(texts: list[str]) -> None:
    assert normalize_each(texts) == [normalize(text) for text in texts]
