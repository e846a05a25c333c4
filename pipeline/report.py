"""Findings as text for people and as JSON, GitHub workflow commands or SARIF for machines.

Every format is deterministic: findings arrive sorted, paths are printed as given (made
relative to the working folder for GitHub and SARIF, which want repository paths), and no
format carries a time stamp.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterable
from pathlib import Path, PurePath
from urllib.parse import quote

import click

from pipeline import __version__
from pipeline.checks import Rule
from pipeline.findings import Finding, Severity

FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(findings: list[Finding], files: int) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    line = (f"{_plural(files, 'file')} checked: {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')}")
    if findings:
        line += f" in {_plural(len({f.path for f in findings}), 'file')}"
    return line


def text(findings: list[Finding], files: int, *, color: bool = False) -> str:
    """``path:line:col: severity rule-id message`` lines and a one-line summary."""
    lines = []
    for item in findings:
        if color:
            lines.append(
                f"{click.style(f'{item.path}:{item.line}:{item.col}:', bold=True)} "
                f"{click.style(str(item.severity), fg=_COLORS[item.severity], bold=True)} "
                f"{click.style(item.rule, fg='cyan')} {item.message}")
        else:
            lines.append(item.format())
    if any(item.rule == "medical-claim" for item in findings):
        # Most false findings in careful writing are claims quoted in order to question
        # them (README, "What an author meets, per article"): say how to keep one.
        lines.append(QUOTED_CLAIM_TIP)
    lines.append(summary(findings, files))
    return "\n".join(lines) + "\n"


QUOTED_CLAIM_TIP = (
    "tip: a health claim you quote in order to question it can stay as written: put "
    "'<!-- pipeline-disable-next-line medical-claim: quoted to question it -->' on the line "
    "before it")


def as_json(findings: list[Finding]) -> str:
    records = [{
        "path": item.path,
        "line": item.line,
        "column": item.col,
        "end": ({"line": item.end_line, "column": item.end_col}
                if item.end_line is not None and item.end_col is not None else None),
        "rule": item.rule,
        "kind": item.kind,
        "severity": str(item.severity),
        "message": item.message,
    } for item in findings]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def repository_path(path: str) -> str:
    """The path relative to the working folder, with '/' separators, when it lies inside."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_posix()
    return PurePath(os.path.normpath(candidate)).as_posix()


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding], files: int) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the diff."""
    lines = []
    for item in findings:
        props = [f"file={_escape_property(repository_path(item.path))}", f"line={item.line}",
                 f"col={item.col}"]
        if item.end_line is not None and item.end_col is not None:
            props += [f"endLine={item.end_line}", f"endColumn={item.end_col}"]
        props.append(f"title={_escape_property(item.rule)}")
        lines.append(f"::{item.severity} {','.join(props)}::{_escape_data(item.message)}")
    lines.append(summary(findings, files))
    return "\n".join(lines) + "\n"


def _sarif_uri(path: str) -> dict[str, str]:
    relative = repository_path(path)
    if PurePath(relative).is_absolute():
        return {"uri": Path(relative).as_uri()}
    return {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}


def sarif(findings: list[Finding], rules: Iterable[Rule]) -> str:
    """A SARIF 2.1.0 log with one run, as GitHub code scanning accepts it."""
    descriptors = []
    index: dict[str, int] = {}
    for rule in sorted(rules, key=lambda r: r.id):
        index[rule.id] = len(descriptors)
        summary_text, _, _ = rule.explanation.partition("\nFix:")
        descriptors.append({
            "id": rule.id,
            "name": "".join(part.capitalize() for part in rule.id.split("-")),
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": summary_text.strip()},
            "help": {"text": rule.explanation},
            "defaultConfiguration": {"level": str(rule.severity)},
        })
    results = []
    for item in findings:
        region: dict[str, int] = {"startLine": item.line, "startColumn": item.col}
        if item.end_line is not None and item.end_col is not None:
            region.update(endLine=item.end_line, endColumn=item.end_col)
        result: dict[str, object] = {
            "ruleId": item.rule,
            "level": str(item.severity),
            "message": {"text": item.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": _sarif_uri(item.path),
                "region": region,
            }}],
        }
        if item.rule in index:
            result["ruleIndex"] = index[item.rule]
        if item.kind is not None:
            result["properties"] = {"kind": item.kind}
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pipeline",
                "version": __version__,
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(output_format: str, findings: list[Finding], files: int, rules: Iterable[Rule],
           *, color: bool = False) -> str:
    if output_format == "json":
        return as_json(findings)
    if output_format == "github":
        return github(findings, files)
    if output_format == "sarif":
        return sarif(findings, rules)
    return text(findings, files, color=color)


def explain(rule: Rule, width: int = 88) -> str:
    configurable = "" if rule.configurable else " (always an error; cannot be configured)"
    lines = []
    for line in rule.explanation.splitlines():
        # Examples (indented, or Markdown and HTML samples) keep their lines as written.
        if line.startswith((" ", "<", "---")) or len(line) <= width:
            lines.append(line)
        else:
            lines.append(textwrap.fill(line, width, break_on_hyphens=False,
                                       break_long_words=False))
    return (f"{rule.id} (default: {rule.severity}){configurable}\n{rule.summary}\n\n"
            + "\n".join(lines) + "\n")


def rule_table(rules: Iterable[Rule], configured: dict[str, str]) -> str:
    rows = []
    for rule in sorted(rules, key=lambda r: r.id):
        severity = str(rule.severity)
        if rule.id in configured and configured[rule.id] != severity:
            severity = f"{configured[rule.id]} (default {rule.severity})"
        rows.append((rule.id, severity, rule.summary))
    id_width = max((len(row[0]) for row in rows), default=0)
    severity_width = max((len(row[1]) for row in rows), default=0)
    return "".join(f"{rule_id:<{id_width}}  {severity:<{severity_width}}  {summary}\n"
                   for rule_id, severity, summary in rows)
