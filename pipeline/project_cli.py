"""Commands that set a publication up and explain it: init, new, templates, config, completion.

They are plain Click commands that cli.py attaches to the group; each imports its library
code only when it runs.
"""

from __future__ import annotations

from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _today(config) -> object:  # -> datetime.date
    from pipeline.build import today_in

    return today_in(config)


@click.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--title", default="Wellness Notes", show_default=True,
              help="The publication's name.")
def init(folder: Path, title: str) -> None:
    """Start a publication: pipeline.toml and articles/ with one example article.

    Refuses to overwrite existing files.

    \b
    Example:
      pipeline init my-magazine && cd my-magazine && pipeline build
    """
    from pipeline.config import Config
    from pipeline.scaffold import init_project

    written = init_project(folder, _today(Config()), title=title)  # type: ignore[arg-type]
    for path in written:
        click.echo(f"  created {path}")
    where = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(f"Ready. Next: {where}pipeline new \"Your first title\", then pipeline build")


@click.command(context_settings=CONTEXT)
@click.argument("title")
@click.option("--tags", default="", help="Comma-separated tags, e.g. neck-pain,posture.")
@click.option("--articles", "articles_dir", type=click.Path(file_okay=False, path_type=Path),
              default="articles", show_default=True, help="Folder to write the article in.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Configuration file (default: pipeline.toml if present).")
def new(title: str, tags: str, articles_dir: Path, config_path: Path | None) -> None:
    """Write a new draft article with its front matter and the disclaimer; print its path.

    \b
    Example:
      pipeline new "Easing neck pain at the desk" --tags neck-pain,posture
    """
    from pipeline.cli import load_cli_config
    from pipeline.scaffold import new_article

    config = load_cli_config(config_path)
    path = new_article(articles_dir, title, tags.split(","), config, _today(config))  # type: ignore[arg-type]
    click.echo(str(path))


@click.group(context_settings=CONTEXT)
def templates() -> None:
    """List the default templates, or copy them out to override them.

    Files in ./templates/ replace the packaged default of the same name, one by one.

    \b
    Examples:
      pipeline templates list
      pipeline templates copy email/newsletter.mjml.j2
    """


@templates.command("list", context_settings=CONTEXT)
@click.option("--templates", "folder", type=click.Path(path_type=Path), default="templates",
              show_default=True, help="The publication's own templates folder.")
def list_templates(folder: Path) -> None:
    """List default templates and mark the ones this publication overrides.

    \b
    Example:
      pipeline templates list --templates my-templates
    """
    from pipeline.scaffold import default_template_names

    for name in default_template_names():
        mark = "  (overridden)" if (folder / name).is_file() else ""
        click.echo(f"{name}{mark}")


@templates.command("copy", context_settings=CONTEXT)
@click.argument("names", nargs=-1)
@click.option("--templates", "folder", type=click.Path(path_type=Path), default="templates",
              show_default=True, help="Where to copy them.")
def copy_templates(names: tuple[str, ...], folder: Path) -> None:
    """Copy default templates (all when no NAME is given) into ./templates/ to edit them.

    \b
    Example:
      pipeline templates copy social/x.txt.j2
    """
    from pipeline.scaffold import copy_templates as copy

    for path in copy(list(names), folder):
        click.echo(f"  created {path}")


@click.command("config", context_settings=CONTEXT)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Configuration file (default: pipeline.toml if present).")
def show_config(config_path: Path | None) -> None:
    """Show the configuration in force, and where each value comes from.

    \b
    Example:
      pipeline config --config pipeline.toml
    """
    from pipeline.cli import load_cli_config
    from pipeline.config_view import describe

    config = load_cli_config(config_path)
    click.echo(describe(config, config_path or Path("pipeline.toml")), nl=False)


@click.command(context_settings=CONTEXT)
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    \b
    Example (bash):
      eval "$(pipeline completion bash)"
    """
    from click.shell_completion import get_completion_class

    from pipeline.cli import cli

    completer = get_completion_class(shell)
    assert completer is not None  # the choice above lists only supported shells
    click.echo(completer(cli, {}, "pipeline", "_PIPELINE_COMPLETE").source())


COMMANDS = [init, new, templates, show_config, completion]
