"""The README cannot drift from the code: the configuration reference is generated from the
model, and every command the CLI has is documented."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.cli import cli
from pipeline.config_doc import END, START, reference

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_configuration_reference_matches_the_model() -> None:
    section = README[README.index(START): README.index(END) + len(END)]
    assert section == reference(), "run: python -m pipeline.config_doc README.md"


def test_every_command_is_in_the_readme() -> None:
    for name in cli.commands:
        assert re.search(rf"`pipeline {re.escape(name)}\b", README), f"pipeline {name}"


def test_first_lines_give_the_two_commands() -> None:
    first = README.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split()[0:2] for line in first] == [["make", "build"], ["make", "test"]]
