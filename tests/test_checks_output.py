"""Output formats of `pipeline check`: text, json, github and SARIF (validated against the
SARIF 2.1.0 schema), colour, exit codes, --strict, --explain and `pipeline rules`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from pipeline.cli import cli
from tests.helpers import FIXTURES, write_article

CHECKS = FIXTURES / "checks"
SCHEMA = json.loads((CHECKS / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
PIPELINE = Path(sys.executable).with_name("pipeline")


def run(*args: str, env: dict[str, str] | None = None, **kwargs):
    return CliRunner().invoke(cli, ["check", *args], env=env, **kwargs)


def test_text_format_lines_and_summary() -> None:
    result = run(str(CHECKS / "link.md"))
    lines = result.output.splitlines()
    assert result.exit_code == 0  # warnings only
    assert lines[0].startswith(f"{CHECKS / 'link.md'}:7:20: warning link ")
    assert lines[-1] == "1 file checked: 0 errors, 11 warnings in 1 file"
    assert "\x1b[" not in result.output


def test_json_format() -> None:
    result = run("--format", "json", str(CHECKS / "medical-claim.md"))
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    first = records[0]
    assert set(first) == {"path", "line", "column", "end", "rule", "kind", "severity",
                          "message"}
    # "cures arthritis" in the title: the effect and the condition it is said to act on.
    assert (first["rule"], first["kind"], first["line"], first["column"], first["end"]) == (
        "medical-claim", "treatment", 2, 18, {"line": 2, "column": 33})
    assert first["severity"] == "error" and first["path"] == str(CHECKS / "medical-claim.md")
    assert "checked" in result.stderr  # the summary stays off stdout


def test_github_format_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "Our tea cures colds, 100% safe, http://example.org/a%b,c"
    write_article(tmp_path / "articles", "tea:v2.md", body=body, extra="summary: Tea.")
    monkeypatch.chdir(tmp_path)
    result = run("--format", "github", str(tmp_path / "articles"))
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=articles/tea%3Av2.md,line=7,col=9,endLine=7,endColumn=20,"
                        "title=medical-claim::'cures colds' claims to cure or treat colds "
                        "(treatment); instead, say what the evidence shows and for whom: 'some "
                        "people with colds find it eases their symptoms for a while', with a "
                        "link to the study")
    link = next(line for line in lines if "title=link" in line)
    assert link.startswith("::warning file=articles/tea%3Av2.md,line=7,col=33,")
    assert link.split("::", 2)[2].endswith("'http://example.org/a%25b,c' in the text: make "
                                           "it a link with words that describe it, e.g. "
                                           "[NHS advice on back pain](https://...)")
    assert lines[-1].startswith("1 file checked: 2 errors, 1 warning")
    assert result.exit_code == 1


def test_sarif_validates_against_the_schema_and_carries_positions() -> None:
    result = run("--format", "sarif", str(CHECKS))
    log = json.loads(result.stdout)
    errors = sorted(Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert errors == []
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0"
    driver = run_["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert {"medical-claim", "dangling-link-text", "image-alt", "link", "title-length",
            "summary-missing", "readability", "front-matter", "encoding", "duplicate-slug",
            "disclaimer-missing", "disclaimer-altered", "suppression"} <= set(ids)
    claim = next(r for r in run_["results"] if r["ruleId"] == "medical-claim")
    assert ids[claim["ruleIndex"]] == "medical-claim"
    location = claim["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/fixtures/checks/medical-claim.md"
    assert location["region"] == {"startLine": 2, "startColumn": 18, "endLine": 2,
                                  "endColumn": 33}
    assert claim["properties"] == {"kind": "treatment"}
    assert {r["level"] for r in run_["results"]} == {"error", "warning"}
    # What GitHub code scanning needs beyond the schema: rule ids, messages, locations.
    for item in run_["results"]:
        assert item["ruleId"] and item["message"]["text"] and item["locations"]


def test_sarif_is_deterministic() -> None:
    assert run("--format", "sarif", str(CHECKS)).stdout == run(
        "--format", "sarif", str(CHECKS)).stdout


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", body="It cures colds.")
    forced = run("--color", "always", str(path))
    assert "\x1b[31m" in forced.output  # red 'error'
    assert "\x1b[" not in run(str(path)).output  # not a terminal
    script = ("import sys, pty, os; from pipeline.cli import main; "
              f"sys.argv = ['pipeline', 'check', {str(path)!r}]; main()")
    for no_color, coloured in (("", True), ("1", False)):
        env = {**os.environ, "NO_COLOR": no_color}
        output = _run_in_pty([sys.executable, "-c", script], env)
        assert ("\x1b[" in output) is coloured, output


def _run_in_pty(command: list[str], env: dict[str, str]) -> str:
    import pty

    main, secondary = pty.openpty()
    process = subprocess.Popen(command, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode()


@pytest.mark.parametrize("args,code", [
    (["tests/fixtures/checks/clean.md"], 0),
    (["tests/fixtures/checks/link.md"], 0),
    (["--strict", "tests/fixtures/checks/link.md"], 1),
    (["--strict", "tests/fixtures/checks/clean.md"], 0),
    (["tests/fixtures/checks/medical-claim.md"], 1),
    (["--format", "yaml"], 2),
    (["does/not/exist.md"], 2),
    (["--explain", "no-such-rule"], 2),
])
def test_exit_codes_from_the_real_command(args: list[str], code: int) -> None:
    root = Path(__file__).parent.parent
    completed = subprocess.run([str(PIPELINE), "check", *args], cwd=root, capture_output=True,
                               text=True, check=False)
    assert completed.returncode == code, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr


def test_bad_rule_config_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "pipeline.toml"
    config.write_text('[check.rules.medical-clam]\nseverity = "off"\n')
    result = run("--config", str(config), str(CHECKS / "clean.md"))
    assert result.exit_code == 2
    assert "unknown rule" in result.output and "medical-claim" in result.output
    config.write_text('[check.rules.medical-claim]\nseverity = "loud"\n')
    assert run("--config", str(config), str(CHECKS / "clean.md")).exit_code == 2


def test_configured_severities(tmp_path: Path) -> None:
    config = tmp_path / "pipeline.toml"
    config.write_text('[check.rules.medical-claim]\nseverity = "warning"\n'
                      '[check.rules.summary-missing]\nseverity = "off"\n'
                      '[check.rules.link]\nseverity = "error"\n')
    path = write_article(tmp_path, "a.md", body="It cures colds; see http://example.org/x.")
    result = run("--config", str(config), str(path))
    assert [line.split(" ")[1:3] for line in result.output.splitlines()[:-1]
            if not line.startswith("tip: ")] == [["warning", "medical-claim"], ["error", "link"]]
    assert result.exit_code == 1


def test_explain_prints_the_rule() -> None:
    result = CliRunner().invoke(cli, ["check", "--explain", "medical-claim"])
    assert result.exit_code == 0
    assert result.output.startswith("medical-claim (default: error)")
    assert "Fix:" in result.output and "claim_phrases" in result.output


def test_rules_lists_every_rule_with_configured_severity(tmp_path: Path) -> None:
    config = tmp_path / "pipeline.toml"
    config.write_text('[check.rules.readability]\nseverity = "off"\n')
    result = CliRunner().invoke(cli, ["rules", "--config", str(config)])
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in result.output.splitlines()}
    for rule in ("medical-claim", "dangling-link-text", "image-alt", "link", "title-length",
                 "summary-missing", "readability", "front-matter", "encoding",
                 "duplicate-slug", "disclaimer-missing", "disclaimer-altered", "suppression"):
        assert rule in rows
    assert rows["medical-claim"].split()[1] == "error"
    assert rows["link"].split()[1] == "warning"
    assert "off (default warning)" in rows["readability"]


def test_the_quoted_claim_tip_is_shown_and_works(tmp_path: Path) -> None:
    """Text output ends a run with medical-claim findings with how to keep a quoted claim;
    following it to the letter silences that finding and only that one."""
    quoted = "> Our nettle tea cures arthritis for good."
    own = "Our ginger balm cures eczema."  # the article's own claim keeps the quote an error
    body = (f"My aunt's leaflet, word for word:\n\n{quoted}\n\nNo trial shows anything like "
            f"it.\n\n{own}")
    path = write_article(tmp_path, "letter.md", body=body, extra="summary: A letter.")
    first = run(str(path))
    assert first.exit_code == 1
    assert first.output.count(" error medical-claim ") == 3  # two on the quoted line
    tip = next(line for line in first.output.splitlines() if line.startswith("tip: "))
    comment = tip[tip.index("<!--"):tip.index("-->") + 3]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(quoted, f"{comment}\n{quoted}"), encoding="utf-8")
    second = run(str(path))
    assert second.exit_code == 1
    [left] = [line for line in second.output.splitlines() if " medical-claim " in line]
    assert "'cures eczema'" in left and "arthritis" not in left
    assert second.output.splitlines()[-1].startswith("1 file checked: 1 error")
    assert [item["line"] for item in json.loads(run("--format", "json", str(path)).stdout)] \
        == [text.splitlines().index(own) + 2]  # the comment moved it down a line


def test_a_folder_without_articles_is_a_usage_error(tmp_path: Path) -> None:
    """A CI gate pointed at the wrong folder must fail, not report a clean run of nothing."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "notes.txt").write_text("Not an article.\n", encoding="utf-8")
    result = run(str(folder))
    assert result.exit_code == 2
    assert str(folder) in result.output and "*.md" in result.output
    assert "checked" not in result.output
