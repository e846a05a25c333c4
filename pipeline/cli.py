"""The command line: parse options, call the library, print, map errors to exit codes.

Heavy modules (renderers, feedgen, mjml) are imported inside the commands so that
``pipeline --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.errors import EXIT_CONTENT, ContentError, PipelineError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def load_cli_config(config_path: Path | None):  # -> Config (imported lazily)
    from pipeline.config import load_config

    if config_path is None:
        return load_config(Path("pipeline.toml"))
    return load_config(config_path, required=True)


def _templates_dir(config_path: Path | None) -> Path:
    base = config_path.parent if config_path is not None else Path.cwd()
    return base / "templates"


def _print_findings(findings, *, summary_files: int | None = None) -> None:
    from pipeline.findings import Severity

    for item in findings:
        click.echo(item.format())
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    if summary_files is not None:
        files = {f.path for f in findings}
        click.echo(
            f"{summary_files} file{'s' if summary_files != 1 else ''} checked: "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
            + (f" in {len(files)} file{'s' if len(files) != 1 else ''}" if findings else ""))


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="pipeline")
def cli() -> None:
    """Turn Markdown wellness articles into a newsletter, feeds and social posts.

    \b
    Examples:
      pipeline check                 # lint every article in articles/
      pipeline build                 # check, then write output/
    """


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Configuration file (default: pipeline.toml if present, else built-in defaults).")


@cli.command(context_settings=CONTEXT)
@click.option("--articles", "articles_dir", type=click.Path(path_type=Path), default="articles",
              show_default=True, help="Folder of Markdown articles.")
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default="output",
              show_default=True, help="Folder to write; replaced as a whole on success.")
@config_option
def build(articles_dir: Path, output_dir: Path, config_path: Path | None) -> None:
    """Check every article, then write the newsletter, feeds and social posts.

    Nothing is written unless every check passes; the previous output stays as it was.

    \b
    Example:
      pipeline build --articles articles --output output
    """
    from pipeline.build import build as run_build

    config = load_cli_config(config_path)
    try:
        result = run_build(articles_dir, output_dir, config,
                           templates_dir=_templates_dir(config_path))
    except ContentError as exc:
        _print_findings(exc.findings)
        raise
    _print_findings(result.findings)
    for path, size in result.files.items():
        click.echo(f"  wrote {output_dir / path}  ({size:,} bytes)")
    click.echo(
        f"Built {len(result.published)} article{'s' if len(result.published) != 1 else ''} "
        f"into {output_dir}/ ({len(result.files)} files, "
        f"{len(result.drafts)} draft(s) and {len(result.scheduled)} scheduled skipped) "
        f"in {result.seconds:.2f} s")


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@config_option
def check(paths: tuple[Path, ...], config_path: Path | None) -> None:
    """Check articles (files or folders; default articles/) and report every problem.

    Exit status: 0 clean or warnings only, 1 errors found, 2 usage or configuration error.

    \b
    Example:
      pipeline check articles/ drafts/new-post.md
    """
    from pipeline.build import check_paths

    config = load_cli_config(config_path)
    result = check_paths(list(paths) or [Path("articles")], config)
    _print_findings(result.findings, summary_files=len(result.results))
    if not result.ok:
        sys.exit(EXIT_CONTENT)


def _attach_project_commands() -> None:
    from pipeline.project_cli import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_attach_project_commands()


def main() -> None:
    try:
        cli.main(prog_name="pipeline", standalone_mode=False)
    except PipelineError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for debugging
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        click.echo(f"Internal error: {type(exc).__name__}: {exc}\n"
                   "This is a bug in pipeline; run again with PIPELINE_DEBUG=1 for details.",
                   err=True)
        sys.exit(70)
