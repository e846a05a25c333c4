"""Issue 11: init, new, templates, config, completion, and the wheel working outside the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import feedparser
import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_makes_a_buildable_publication(in_tmp: Path) -> None:
    code, output = invoke("init", "mag", "--title", "Calm & Strong")
    assert code == 0, output
    made = sorted(str(p.relative_to(in_tmp / "mag")) for p in (in_tmp / "mag").rglob("*"))
    assert made == ["articles", "articles/welcome.md", "pipeline.toml"]
    config = tomllib.loads((in_tmp / "mag/pipeline.toml").read_text())
    assert config["site"]["title"] == "Calm & Strong"
    os.chdir(in_tmp / "mag")
    assert invoke("check")[0] == 0
    code, output = invoke("build")
    assert code == 0, output
    feed = feedparser.parse((in_tmp / "mag/output/feeds/rss.xml").read_bytes())
    assert feed.bozo == 0 and feed.feed.title == "Calm & Strong"
    assert [e.title for e in feed.entries] == ["Welcome to Calm & Strong"]


def test_init_refuses_to_overwrite(in_tmp: Path) -> None:
    (in_tmp / "pipeline.toml").write_text("# mine\n")
    code, output = invoke("init")
    assert code == 2 and "refusing to overwrite" in output
    assert (in_tmp / "pipeline.toml").read_text() == "# mine\n"
    assert not (in_tmp / "articles").exists()


def test_new_writes_a_draft_with_the_disclaimer(in_tmp: Path) -> None:
    (in_tmp / "pipeline.toml").write_text('[site]\nauthor = "Ana: \\"Doc\\" Reyes"\n')
    code, output = invoke("new", "Knees, hips & 'desk' days: Été", "--tags", "knee-pain, hips")
    assert code == 0, output
    path = Path(output.strip())
    assert path == Path("articles/knees-hips-desk-days-ete.md")
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == "Knees, hips & 'desk' days: Été"
    assert front["author"] == 'Ana: "Doc" Reyes'
    assert front["tags"] == ["knee-pain", "hips"] and front["draft"] is True
    assert invoke("check")[0] == 0  # the disclaimer is there, word for word
    code, output = invoke("new", "Knees, hips & 'desk' days: Été")
    assert code == 2 and "refusing to overwrite" in output


def test_templates_list_and_copy(in_tmp: Path) -> None:
    code, output = invoke("templates", "list")
    assert code == 0 and "email/newsletter.mjml.j2" in output.splitlines()
    code, output = invoke("templates", "copy", "social/x.txt.j2")
    assert code == 0, output
    assert (in_tmp / "templates/social/x.txt.j2").read_text() == (
        ROOT / "templates/social/x.txt.j2").read_text()
    assert "social/x.txt.j2  (overridden)" in invoke("templates", "list")[1]
    assert invoke("templates", "copy", "social/x.txt.j2")[0] == 2
    assert "no default template" in invoke("templates", "copy", "nope.j2")[1]


def test_config_shows_values_and_their_source(in_tmp: Path) -> None:
    (in_tmp / "pipeline.toml").write_text('[site]\ntitle = "Mag"\n\n[newsletter]\n'
                                          "max_articles = 3\n")
    code, output = invoke("config")
    assert code == 0, output
    lines = output.splitlines()
    assert any(line.startswith('title = "Mag"') and line.endswith("pipeline.toml:2")
               for line in lines)
    assert any(line.startswith("max_articles = 3") and line.endswith("pipeline.toml:5")
               for line in lines)
    assert any(line.startswith('language = "en"') and line.endswith("# default")
               for line in lines)
    body = "\n".join(line.split("  #")[0] for line in lines)
    assert tomllib.loads(body)["site"]["title"] == "Mag"  # the output is valid TOML


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o"), ("zsh", "compdef"),
                                          ("fish", "complete --no-files")])
def test_completion_scripts(shell: str, marker: str) -> None:
    code, output = invoke("completion", shell)
    assert code == 0 and marker in output and "_PIPELINE_COMPLETE" in output


def test_every_command_help_has_an_example() -> None:
    def walk(group, prefix):  # type: ignore[no-untyped-def]
        for name, command in group.commands.items():
            yield [*prefix, name], command
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])

    for path, _command in walk(cli, []):
        code, output = invoke(*path, "--help")
        assert code == 0
        assert "Example" in output, f"'pipeline {' '.join(path)} --help' lacks an example"


def test_wheel_installs_and_works_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(dist), str(ROOT)], check=True, cwd=tmp_path, capture_output=True)
    wheel = next(dist.glob("*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", str(wheel)], check=True, cwd=tmp_path,
                   capture_output=True)
    pipeline = env_dir / "bin" / "pipeline"
    work = tmp_path / "elsewhere"
    work.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str, cwd: Path) -> str:
        done = subprocess.run([str(pipeline), *args], cwd=cwd, env=clean_env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("init", "mag", cwd=work)
    article = Path(run("new", "First issue", cwd=work / "mag").strip())
    draft = work / "mag" / article
    draft.write_text(draft.read_text().replace("draft: true", "draft: false"))
    run("build", cwd=work / "mag")
    feed = feedparser.parse((work / "mag/output/feeds/rss.xml").read_bytes())
    assert {e.title for e in feed.entries} == {"First issue", "Welcome to Wellness Notes"}
    assert not (ROOT / "mag").exists()
