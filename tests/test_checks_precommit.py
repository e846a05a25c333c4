"""The pre-commit manifest other repositories use: well formed, and each hook's entry runs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
PIPELINE = Path(sys.executable).with_name("pipeline")
# Keys pre-commit requires and allows in a hook definition (pre-commit's documentation).
REQUIRED = {"id", "name", "entry", "language"}
ALLOWED = REQUIRED | {"files", "exclude", "types", "types_or", "exclude_types", "always_run",
                      "fail_fast", "verbose", "pass_filenames", "require_serial",
                      "description", "language_version", "minimum_pre_commit_version",
                      "args", "stages", "additional_dependencies", "log_file"}


def hooks() -> list[dict]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_manifest_is_well_formed() -> None:
    found = hooks()
    assert [hook["id"] for hook in found] == ["pipeline-check", "pipeline-check-fix"]
    for hook in found:
        assert REQUIRED <= set(hook) <= ALLOWED, hook
        assert hook["language"] == "python"  # installs this repository with pip
        assert re.search(hook["files"], "articles/2026/neck-pain.md")
        assert hook["types"] == ["markdown"]


def test_entries_run_on_staged_files(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    good = articles / "good.md"
    good.write_text("---\ntitle: Tea\ndate: 2026-01-01\nsummary: Tea.\n---\n\nWarm tea.\n",
                    encoding="utf-8")
    bad = articles / "bad.md"
    bad.write_text("---\ntitle: Tea\ndate: 2026-01-01\nsummary: Tea.\n---\n\nTea cures colds.\n",
                   encoding="utf-8")
    entries = {hook["id"]: shlex.split(hook["entry"]) for hook in hooks()}
    for entry in entries.values():
        assert entry[0] == "pipeline"

    def run(hook: str, *files: Path) -> subprocess.CompletedProcess[str]:
        command = [str(PIPELINE), *entries[hook][1:], *map(str, files)]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                              check=False)

    assert run("pipeline-check", good).returncode == 1  # no disclaimer
    fixed = run("pipeline-check-fix", good, bad)
    assert "fixed:" in fixed.stdout
    assert fixed.returncode == 1  # the claim in bad.md remains
    assert "medical-claim" in fixed.stdout
    assert run("pipeline-check", good).returncode == 0
