"""`pipeline editions` (list the sent editions and what the next one would hold) and
`pipeline editions mark-sent` (record the built edition as sent). cli.py attaches them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from pipeline.config import Config

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
F = TypeVar("F", bound=Callable[..., object])


def _options(command: F) -> F:
    """--config and --output, as `pipeline build` takes them; unset, a subcommand uses the
    group's."""
    command = click.option(
        "--output", "output_dir", type=click.Path(path_type=Path), default=None,
        help="Build folder holding email/edition.json  [default: output]")(command)
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
        default=None, help="Configuration file (default: pipeline.toml if present); the "
        "editions/ folder is beside it.")(command)


def _settings(config_path: Path | None, output_dir: Path | None
              ) -> tuple[Config, Path, Path]:
    """The configuration, the editions folder and the output folder in force."""
    parent = click.get_current_context().find_object(dict) or {}
    config_path = config_path or parent.get("config_path")
    output_dir = output_dir or parent.get("output_dir") or Path("output")
    from pipeline.cli import editions_dir, load_cli_config

    config = load_cli_config(config_path)
    return config, editions_dir(config_path, config), output_dir


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@_options
@click.option("--articles", "articles_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of Markdown articles  [default: articles]")
@click.pass_context
def editions(ctx: click.Context, config_path: Path | None, output_dir: Path | None,
             articles_dir: Path | None) -> None:
    """List the sent newsletter editions and what the next one would hold.

    Sent editions are recorded in editions/ beside pipeline.toml ([newsletter] editions),
    one small file each: commit them, so CI and every editor share the history.

    \b
    Examples:
      pipeline editions
      pipeline editions mark-sent      # after importing output/email/ into your provider
    """
    ctx.obj = {"config_path": config_path, "output_dir": output_dir}
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_editions, config_path=config_path, output_dir=output_dir,
                   articles_dir=articles_dir)


@editions.command("list", context_settings=CONTEXT)
@_options
@click.option("--articles", "articles_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of Markdown articles  [default: articles]")
def list_editions(config_path: Path | None, output_dir: Path | None,
                  articles_dir: Path | None) -> None:
    """List the sent editions (number, date, articles) and what the next one would hold.

    \b
    Example:
      pipeline editions list --config mag/pipeline.toml --output mag/output
    """
    import zoneinfo

    from pipeline.build import plan_next_edition
    from pipeline.editions import SENDING, load_history
    from pipeline.errors import EditionError
    from pipeline.mark_sent import read_built

    config, folder, output_dir = _settings(config_path, output_dir)
    history = load_history(folder)
    sent = history.sent
    if sent:
        click.echo(f"Sent editions ({folder}/), newest first:")
        for edition in reversed(sent):
            count = len(edition.articles)
            click.echo(f"  {edition.number:>4}  {edition.sent}  {count:>3} "
                       f"article{'s' if count != 1 else ' '}  {edition.subject}")
    else:
        click.echo(f"No edition sent yet (records go in {folder}/).")
    for edition in history.editions:
        if edition.status == SENDING:
            click.echo(f"Edition {edition.number} is recorded as \"sending\" since "
                       f"{edition.sent} ({edition.path}): it may have gone out. Run "
                       "`pipeline send --mark-sent` to settle it.")
    plan = plan_next_edition(articles_dir or Path("articles"), config, history)
    if plan.articles:
        count = len(plan.articles)
        click.echo(f"Next: edition {plan.number}, {count} article{'s' if count != 1 else ''}"
                   + (f" dated on or after {plan.since}" if plan.since else "") + ":")
        tz = zoneinfo.ZoneInfo(config.site.timezone)
        for article in plan.articles:
            click.echo(f"  {article.local_date(tz)}  {article.slug}  {article.title}")
    elif plan.nothing_new:
        click.echo(f"Next: edition {plan.number}: no new articles since edition "
                   f"{plan.last_sent} yet.")
    else:
        click.echo(f"Next: edition {plan.number}: no published article yet.")
    try:
        built = read_built(output_dir)
    except EditionError:
        return  # no build, or no newsletter in it: nothing to add
    recorded = history.get(built.number)
    if recorded is not None and recorded.status != SENDING:
        click.echo(f"{output_dir}/email/ holds edition {built.number}, already sent: run "
                   "`pipeline build` for the next one.")
    elif built.number == plan.number and built.slugs == [a.slug for a in plan.articles]:
        click.echo(f"{output_dir}/email/ holds edition {built.number}, ready to send.")
    else:
        click.echo(f"{output_dir}/email/ holds an older build of edition {built.number}: run "
                   "`pipeline build` again.")


@editions.command("mark-sent", context_settings=CONTEXT)
@_options
@click.option("--date", "sent_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day it was sent  [default: today in [site] timezone]")
def mark_sent_command(config_path: Path | None, output_dir: Path | None,
                      sent_on: dt.datetime | None) -> None:
    """Record the built edition (output/email/) as sent, after sending it yourself.

    For editors who import newsletter.eml or newsletter.html into their email provider:
    the next build then holds only what is new. An edition already recorded is refused
    (exit status 2).

    \b
    Example:
      pipeline build && pipeline editions mark-sent --date 2026-12-14
    """
    from pipeline.build import today_in
    from pipeline.mark_sent import mark_sent

    config, folder, output_dir = _settings(config_path, output_dir)
    day = sent_on.date() if sent_on else today_in(config)
    marked = mark_sent(output_dir, folder, day)
    edition = marked.edition
    click.echo(f"Recorded edition {edition.number} (\"{edition.subject}\", "
               f"{len(edition.articles)} article{'s' if len(edition.articles) != 1 else ''}) "
               f"as sent on {edition.sent} in {marked.path}"
               + (", replacing its unfinished \"sending\" record" if marked.replaced_sending
                  else "") + ". Commit it; the next build holds only what is new.")


COMMANDS = [editions]
