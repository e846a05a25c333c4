"""The command line: parse options, call the library, print, map errors to exit codes.

Heavy modules (renderers, feedgen, mjml) are imported inside the commands so that
``pipeline --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import __version__
from pipeline.errors import EXIT_CONTENT, ContentError, PipelineError, UsageError

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.editions import Edition

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def load_cli_config(config_path: Path | None):  # -> Config (imported lazily)
    from pipeline.config import load_config

    if config_path is None:
        return load_config(Path("pipeline.toml"))
    return load_config(config_path, required=True)


def _templates_dir(config_path: Path | None) -> Path:
    base = config_path.parent if config_path is not None else Path.cwd()
    return base / "templates"


def editions_dir(config_path: Path | None, config: Config) -> Path:
    """The sent editions' records: ``[newsletter] editions`` beside the configuration file."""
    from pipeline.editions import editions_folder

    return editions_folder(config_path, config.newsletter.editions)


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
    """Turn Markdown wellness articles into a newsletter, feeds, social posts and a web archive.

    \b
    Examples:
      pipeline check                 # lint every article in articles/
      pipeline build                 # check, then write output/
      pipeline serve                 # live preview at http://127.0.0.1:8000/
    """


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Configuration file (default: pipeline.toml if present, else built-in defaults).")


@cli.command(context_settings=CONTEXT)
@click.option("--articles", "articles_dir", type=click.Path(path_type=Path), default="articles",
              show_default=True, help="Folder of Markdown articles.")
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default="output",
              show_default=True, help="Folder to write; replaced as a whole on success.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Newsletter: every article dated on or after YYYY-MM-DD, instead of the "
                   "newest newsletter.max_articles.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="List every file written.")
@click.option("--no-cache", is_flag=True,
              help="Rebuild everything, ignoring the cache of the previous build.")
@config_option
def build(articles_dir: Path, output_dir: Path, since, config_path: Path | None, quiet: bool,
          verbose: bool, no_cache: bool) -> None:
    """Check every article, then write the newsletter, feeds, social posts and web archive.

    The newsletter is the next edition: every published article that no edition recorded
    in editions/ (beside pipeline.toml) holds yet, newest first, at most
    newsletter.max_articles. With nothing new, no newsletter is written (exit status 0).
    Nothing is written unless every check passes; the previous output stays as it was.
    Work whose inputs did not change since the last build is reused from a cache in
    .pipeline-cache/ beside the output folder (delete it freely).

    \b
    Example:
      pipeline build --articles articles --output output
      pipeline build --since 2026-11-01     # newsletter of everything since 1 November
    """
    from pipeline.build import build as run_build
    from pipeline.build import unchanged_build
    from pipeline.build_report import Progress, summary
    from pipeline.cache import FolderDigests

    config_file = config_path or Path("pipeline.toml")
    templates_dir, day = _templates_dir(config_path), since.date() if since else None
    digests = FolderDigests()
    result = None if no_cache else unchanged_build(articles_dir, output_dir, config_file,
                                                   templates_dir=templates_dir, since=day,
                                                   digests=digests)
    if result is None:
        config = load_cli_config(config_path)
        progress = Progress(enabled=not quiet)
        try:
            result = run_build(articles_dir, output_dir, config, templates_dir=templates_dir,
                               since=day, editions_dir=editions_dir(config_path, config),
                               use_cache=not no_cache, progress=progress,
                               config_file=config_file, digests=digests)
        except ContentError as exc:
            progress.done()
            _print_findings(exc.findings)
            raise
        progress.done()
    _print_findings(result.findings)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if not quiet:
        click.echo(summary(result, output_dir, verbose=verbose))


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@config_option
@click.option("--format", "output_format", default="text", show_default=True,
              type=click.Choice(["text", "json", "github", "sarif"]),
              help="text for people; json; github (annotations in GitHub Actions); sarif "
                   "(SARIF 2.1.0 for code scanning).")
@click.option("--strict", is_flag=True, help="Fail (exit status 1) on warnings too.")
@click.option("--fix", is_flag=True,
              help="Append the configured disclaimer to articles that lack one, say what "
                   "changed, then report what is left.")
@click.option("--explain", "explain_rule", metavar="RULE",
              help="Explain a rule and how to fix its findings, then exit.")
@click.option("--color", "color_mode", default="auto", show_default=True,
              type=click.Choice(["auto", "always", "never"]),
              help="Colour text output; auto: on a terminal unless NO_COLOR is set.")
@click.option("--jobs", "-j", default=0, show_default=True, type=click.IntRange(min=0),
              help="Processes for large folders; 0: one per core, 1: this process only.")
@click.option("--no-cache", is_flag=True,
              help="Check every file again, ignoring the results kept from the last run.")
def check(paths: tuple[Path, ...], config_path: Path | None, output_format: str, strict: bool,
          fix: bool, explain_rule: str | None, color_mode: str, jobs: int,
          no_cache: bool) -> None:
    """Check articles (files or folders; default articles/) and report every problem.

    Exit status: 0 clean or warnings only (with --strict: clean), 1 findings that fail,
    2 usage or configuration error. 'pipeline rules' lists the rules; findings can be
    silenced per rule in pipeline.toml ([check.rules.<id>] severity = "off") or in the
    article (<!-- pipeline-disable-next-line <rule>: reason -->). Results of files that did
    not change are reused from the last run (.pipeline-cache/ beside pipeline.toml, or in the
    current folder); the image rule always looks at the image files again.

    \b
    Examples:
      pipeline check articles/ drafts/new-post.md
      pipeline check --format github          # annotate a pull request
      pipeline check --explain medical-claim
    """
    from pipeline import report
    from pipeline.checks import load_rules

    rules = load_rules()
    if explain_rule is not None:
        _explain(explain_rule)
        return
    from pipeline.checks.runner import check_paths

    config = load_cli_config(config_path)
    targets = list(paths) or [Path("articles")]
    cache_folder = None if no_cache else config_path.parent if config_path else Path(".")
    result = check_paths(targets, config, jobs=jobs, cache_folder=cache_folder)
    if fix:
        from pipeline.fix import fix_missing_disclaimers

        changes = fix_missing_disclaimers(result.results, result.findings, config)
        for change in changes:
            click.echo(f"{'fixed' if change.changed else 'not fixed'}: {change.path}: "
                       f"{change.message}", err=output_format != "text")
        if any(change.changed for change in changes):
            result = check_paths(targets, config, jobs=jobs, cache_folder=cache_folder)
    color = color_mode == "always" or (
        color_mode == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    click.echo(report.render(output_format, result.findings, len(result.results),
                             rules.values(), color=color), nl=False, color=color)
    if output_format in ("json", "sarif"):
        click.echo(report.summary(result.findings, len(result.results)), err=True)
    if not result.ok or (strict and result.findings):
        sys.exit(EXIT_CONTENT)


def _explain(rule_id: str, config_path: Path | None = None) -> None:
    from pipeline import report
    from pipeline.checks import load_rules

    rules = load_rules()
    if rule_id not in rules:
        raise UsageError(f"unknown rule '{rule_id}'; known rules: " + ", ".join(sorted(rules)))
    rule = rules[rule_id]
    text = report.explain(rule)
    if rule.kinds and config_path is not None:
        setting = load_cli_config(config_path).check.rules.get(rule_id)
        if setting is not None and setting.kinds:
            text += "\nIn pipeline.toml: " + ", ".join(
                f"{kind} {severity}" for kind, severity in sorted(setting.kinds.items())) + "\n"
    click.echo(text, nl=False)


@cli.command(context_settings=CONTEXT)
@config_option
@click.option("--explain", "explain_rule", metavar="RULE",
              help="Explain a rule, its kinds and how to fix its findings, then exit.")
def rules(config_path: Path | None, explain_rule: str | None) -> None:
    """List every check rule: id, severity, and what it finds.

    The severity column shows pipeline.toml's setting where it differs from the default.
    '--explain RULE' explains one rule: what it reports, its kinds with an example each,
    and how to fix its findings.

    \b
    Examples:
      pipeline rules --config pipeline.toml
      pipeline rules --explain medical-claim
    """
    from pipeline import report
    from pipeline.checks import load_rules

    if explain_rule is not None:
        _explain(explain_rule, config_path)
        return
    config = load_cli_config(config_path)
    configured = {rule: setting.severity for rule, setting in config.check.rules.items()
                  if setting.severity is not None}
    click.echo(report.rule_table(load_rules().values(), configured), nl=False)


@cli.command(context_settings=CONTEXT)
@click.option("--to", "recipients", multiple=True, required=True, metavar="ADDRESS",
              help="Recipient; repeat for several.")
@click.option("--smtp", "smtp", default="localhost", metavar="HOST:PORT",
              help="SMTP server [default: localhost; port 25, 587 with --starttls, 465 with "
                   "--ssl].")
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect with TLS from the start.")
@click.option("--user", default=None, metavar="NAME",
              help="Log in as NAME; the password is read from $PIPELINE_SMTP_PASSWORD.")
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Seconds to wait for the server.")
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default="output",
              show_default=True, help="Build folder holding email/newsletter.eml.")
@click.option("--mark-sent", is_flag=True,
              help="Record the edition as sent in editions/ (\"sending\" before it goes out, "
                   "\"sent\" after).")
@click.option("--again", is_flag=True,
              help="Send an edition that is already recorded (sent, or maybe sent).")
@config_option
def send(recipients: tuple[str, ...], smtp: str, starttls: bool, use_ssl: bool,
         user: str | None, timeout: float, output_dir: Path, mark_sent: bool, again: bool,
         config_path: Path | None) -> None:
    """Send the built newsletter (email/newsletter.eml) over SMTP.

    Merge fields such as {{unsubscribe_url}} go out as written: your email provider
    fills them in when it sends the real campaign. With --mark-sent the edition is
    recorded in editions/ beside pipeline.toml, and the next build holds only what is new.
    An edition already recorded is never sent again without --again; if an earlier
    `send --mark-sent` stopped before it could record the result, you are asked whether
    that edition went out.

    \b
    Exit status: 0 sent, 2 usage (or the edition is already recorded), 3 cannot connect
    (DNS, refused, timeout, TLS), 4 login rejected, 5 sender, recipient or message refused.

    \b
    Examples:
      PIPELINE_SMTP_PASSWORD=... pipeline send --to me@example.com \\
          --smtp smtp.example.com:587 --starttls --user me@example.com
      pipeline send --to list@example.com --mark-sent     # the real send, recorded
    """
    from pipeline import send as sending
    from pipeline.build import today_in
    from pipeline.mark_sent import send_edition

    if starttls and use_ssl:
        raise click.UsageError("use either --starttls or --ssl, not both")
    host, port = sending.parse_server(smtp, starttls=starttls, use_ssl=use_ssl)
    server = sending.Server(host, port, starttls=starttls, ssl=use_ssl, user=user,
                            password=os.environ.get(sending.PASSWORD_ENV) if user else None,
                            timeout=timeout)
    config = load_cli_config(config_path)
    outcome = send_edition(output_dir, editions_dir(config_path, config), list(recipients),
                           server, mark_sent=mark_sent, again=again, today=today_in(config),
                           ask=_ask_whether_sent)
    sent = outcome.sent
    if sent is None:
        click.echo(f"Not sent: {outcome.note}.")
        return
    edition = f"edition {outcome.edition}, " if outcome.edition is not None else ""
    click.echo(f"Sent \"{sent.subject}\" ({edition}{sent.size:,} bytes) to "
               f"{', '.join(sent.recipients)} through {server}.")
    if outcome.recorded is not None:
        click.echo(f"Recorded edition {outcome.edition} as sent in {outcome.recorded}; the "
                   "next build holds only what is new.")
    if outcome.note:
        click.echo(f"Note: {outcome.note}.")
    if sent.unsubstituted:
        click.echo(f"Note: the unsubscribe link is the merge field {sent.unsubstituted} as "
                   "written; your email provider replaces it when it sends the campaign.")


def _ask_whether_sent(edition: Edition) -> bool | None:
    """The question after a send that stopped before recording: did it go out?"""
    click.echo(f"Edition {edition.number} (\"{edition.subject}\") may already have gone out: a "
               f"`pipeline send` started sending it on {edition.sent} and stopped before "
               f"it could record the result ({edition.path}). Check an inbox on the list.",
               err=True)
    try:
        return click.confirm(f"Did edition {edition.number} reach its recipients? (yes: only "
                             "record it as sent; no: send it now)", default=None, err=True)
    except click.exceptions.Abort:  # no answer (end of input): refuse rather than guess
        click.echo("", err=True)
        return None


@cli.command(context_settings=CONTEXT)
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default="output",
              show_default=True, help="Build folder holding email/newsletter.html.")
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the PNGs (default: OUTPUT/email, beside the HTML).")
@click.option("--dark", is_flag=True, help="Also take dark-mode screenshots.")
@config_option
def preview(output_dir: Path, dest: Path | None, dark: bool, config_path: Path | None) -> None:
    """Screenshot the built newsletter at 375 px (phone) and 600 px (desktop) in Chromium.

    The PNGs go beside the HTML (email/preview-375.png, email/preview-600.png), so the
    next build removes them with the rest of the output. Nothing is fetched from the
    network: images under the site's URL come from the built web archive (OUTPUT/site),
    any other image shows as its alt text, as in a client that blocks images.

    \b
    Example:
      pipeline build && pipeline preview --dark
    """
    from pipeline import preview as previewing
    from pipeline.render import email
    from pipeline.render.site import SITE_DIR

    site_url = load_cli_config(config_path).site.url + "/"
    html = output_dir / email.HTML_PATH
    shots = previewing.screenshots(html, dest or html.parent, dark=dark,
                                   serve={site_url: output_dir / SITE_DIR})
    for shot in shots:
        fit = "scrolls sideways!" if shot.overflows else "fits"
        click.echo(f"  wrote {shot.path}  ({shot.width} px{' dark' if shot.dark else ''}: "
                   f"{fit})")
    if any(shot.overflows for shot in shots):
        raise ContentError("the newsletter is wider than the screen at "
                           + ", ".join(f"{s.width} px" for s in shots if s.overflows))


@cli.command(context_settings=CONTEXT)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is reachable from this machine only.")
@click.option("--articles", "articles_dir", type=click.Path(path_type=Path), default="articles",
              show_default=True, help="Folder of Markdown articles.")
@config_option
def serve(port: int, host: str, articles_dir: Path, config_path: Path | None) -> None:
    """Preview the web archive and the newsletter, rebuilding on every change.

    Builds into a temporary folder (never the output folder), serves it, and reloads the
    open browser tab after each change to the articles, the templates or the config. A
    failing check shows its findings over the page (and here) while the last good build
    stays served. The newsletter is at /_email/. Ctrl-C stops.

    \b
    Example:
      pipeline serve --port 8000     # then open http://127.0.0.1:8000/
    """
    from pipeline import serve as serving

    serving.serve(articles_dir, _templates_dir(config_path),
                  config_path or Path("pipeline.toml"), lambda: load_cli_config(config_path),
                  host=host, port=port)


def _attach_project_commands() -> None:
    from pipeline import editions_cli, project_cli

    for command in [*editions_cli.COMMANDS, *project_cli.COMMANDS]:
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
