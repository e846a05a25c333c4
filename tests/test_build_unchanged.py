"""`pipeline build` with nothing to do decides so from the files alone, before it loads the
configuration; any file the build reads, the configuration file included, or a new day,
makes it build again."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline.build
from pipeline.build import build, unchanged_build
from pipeline.config import Config, load_config
from tests.helpers import write_article

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for index in range(3):
        write_article(tmp_path / "articles", f"post-{index}.md", title=f"Stretch note {index}",
                      date=f"2026-05-0{index + 1}", body="Walking may ease stiffness.")
    (tmp_path / "pipeline.toml").write_text('[site]\ntitle = "Quiet Muscles"\n')
    return tmp_path


def built(project: Path) -> None:
    config_file = project / "pipeline.toml"
    build(project / "articles", project / "output", load_config(config_file),
          templates_dir=project / "templates", editions_dir=project / "editions",
          config_file=config_file)


def unchanged(project: Path) -> bool:
    return unchanged_build(project / "articles", project / "output", project / "pipeline.toml",
                           templates_dir=project / "templates") is not None


def test_the_cli_decides_nothing_changed_without_loading_the_configuration(
        project: Path) -> None:
    probe = ("import sys; from pipeline.cli import main; sys.argv = ['pipeline', 'build'];\n"
             "try: main()\nexcept SystemExit: pass\n"
             "print('LOADED' if 'pydantic' in sys.modules else 'NOT LOADED')")
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", probe], cwd=project, env=env, text=True,
                              capture_output=True, check=True).stdout

    first = run()
    assert "published" in first and first.endswith("LOADED\n") and "NOT" not in first
    second = run()
    assert "Up to date" in second and second.endswith("NOT LOADED\n")
    (project / "pipeline.toml").write_text('[site]\ntitle = "Loud Muscles"\n')
    third = run()
    assert "Up to date" not in third
    assert b"Loud Muscles" in (project / "output" / "site" / "index.html").read_bytes()


@pytest.mark.parametrize("change", ["article", "image", "template", "edition", "config"])
def test_any_file_the_build_reads_makes_it_build(project: Path, change: str) -> None:
    built(project)
    assert unchanged(project)
    if change == "article":
        write_article(project / "articles", "post-9.md", title="New", date="2026-05-09",
                      body="Walking may ease stiffness.")
    elif change == "image":
        (project / "articles" / "walk.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    elif change == "template":
        (project / "templates" / "site").mkdir(parents=True)
        (project / "templates" / "site" / "404.html.j2").write_text("<p>Gone</p>\n")
    elif change == "edition":
        (project / "editions").mkdir()
        (project / "editions" / "0001.toml").write_text("number = 1\n")
    else:
        (project / "pipeline.toml").write_text('[site]\ntitle = "Quiet Muscles"\n# note\n')
    assert not unchanged(project)


def test_a_new_day_makes_it_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scheduled article may be due, and the newsletter is dated."""
    built(project)
    assert unchanged(project)

    real = dt.datetime

    class Tomorrow(real):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return real.now(tz) + dt.timedelta(days=1)

    monkeypatch.setattr(pipeline.build.dt, "datetime", Tomorrow)
    assert not unchanged(project)


def test_a_build_given_its_day_or_no_configuration_file_is_not_taken_as_unchanged(
        project: Path) -> None:
    build(project / "articles", project / "output", Config(), today=dt.date(2026, 6, 1),
          config_file=project / "pipeline.toml")
    assert not unchanged(project)
    build(project / "articles", project / "output", Config())
    assert not unchanged(project)


def test_an_output_changed_by_hand_makes_it_build(project: Path) -> None:
    built(project)
    (project / "output" / "site" / "index.html").write_text("edited")
    assert not unchanged(project)


def test_the_cli_reads_each_input_folder_once(project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from pipeline import cache
    from pipeline.cli import cli

    monkeypatch.chdir(project)
    assert CliRunner().invoke(cli, ["build", "-q"]).exit_code == 0
    (project / "articles" / "post-1.md").write_text(
        (project / "articles" / "post-1.md").read_text() + "\nOne more line.\n")
    read: list[Path | None] = []
    real = cache.tree_digests

    def counting(folder: Path | None) -> dict[str, bytes]:
        read.append(folder)
        return real(folder)

    monkeypatch.setattr(cache, "tree_digests", counting)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0 and "Up to date" not in result.output
    articles = [folder for folder in read if folder is not None and folder.name == "articles"]
    assert len(articles) == 1
