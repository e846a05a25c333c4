"""`pipeline check --fix`: appends a missing disclaimer atomically, keeps line endings and
BOM, never touches an article whose disclaimer was reworded, and says what it changed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from click.testing import CliRunner

from pipeline import disclaimer
from pipeline.articles import load_article
from pipeline.cli import cli
from pipeline.config import STANDARD_DISCLAIMER, Config
from tests.helpers import write_article


def fix(*args: str):
    return CliRunner().invoke(cli, ["check", "--fix", *args])


def test_appends_the_disclaimer_and_reports_what_is_left(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", body="Walking helps.", disclaimer=False,
                         extra="summary: x")
    os.chmod(path, 0o640)
    result = fix(str(path))
    assert result.output.splitlines() == [
        f"fixed: {path}: appended the 'standard' disclaimer",
        "1 file checked: 0 errors, 0 warnings"]
    assert result.exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.endswith(f"Walking helps.\n\n**Disclaimer:** {STANDARD_DISCLAIMER}\n")
    article = load_article(path, Config()).article
    assert article is not None
    assert disclaimer.inspect(article.blocks, STANDARD_DISCLAIMER).present
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temporary file left
    again = fix(str(path))
    assert again.output.splitlines() == ["1 file checked: 0 errors, 0 warnings"]
    assert path.read_text(encoding="utf-8") == text


def test_keeps_crlf_and_bom_and_adds_missing_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Tea\r\ndate: 2026-01-01\r\nsummary: x\r\n"
                     b"---\r\n\r\nWarm drinks.")
    assert fix(str(path)).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.endswith(b"Warm drinks.\r\n\r\n**Disclaimer:** "
                         + STANDARD_DISCLAIMER.encode() + b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_never_touches_an_altered_disclaimer(tmp_path: Path) -> None:
    altered = STANDARD_DISCLAIMER.replace("is not a substitute", "is a substitute")
    path = write_article(tmp_path, "a.md", body=f"Text.\n\n**Disclaimer:** {altered}",
                         disclaimer=False, extra="summary: x")
    before = path.read_bytes()
    result = fix(str(path))
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert "disclaimer-altered" in result.output and "fixed:" not in result.output


def test_uses_the_articles_configured_disclaimer(tmp_path: Path) -> None:
    config = tmp_path / "pipeline.toml"
    sports = "Exercise carries some risk of injury; stop and seek advice if anything hurts."
    config.write_text(f'[disclaimers.sports]\ntext = "{sports}"\n')
    path = tmp_path / "run.md"
    path.write_text("---\ntitle: Run\ndate: 2026-01-01\nsummary: x\ndisclaimer: sports\n---\n\n"
                    "Run easy.\n", encoding="utf-8")
    result = fix("--config", str(config), str(path))
    assert "appended the 'sports' disclaimer" in result.output
    assert path.read_text().endswith(f"Run easy.\n\n**Disclaimer:** {sports}\n")
    assert result.exit_code == 0


def test_does_not_write_when_the_disclaimer_would_be_swallowed_by_code(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", body="Text.\n\n```\nunclosed fence", disclaimer=False,
                         extra="summary: x")
    before = path.read_bytes()
    result = fix(str(path))
    assert path.read_bytes() == before
    assert "not fixed" in result.output and result.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_fix_messages_go_to_stderr_for_machine_formats(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", body="Text.", disclaimer=False, extra="summary: x")
    result = fix("--format", "json", str(path))
    assert result.stdout == "[]\n"
    assert "fixed:" in result.stderr
