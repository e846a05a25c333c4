"""Inline suppressions: HTML comments in an article that silence a rule, with a reason.

    <!-- pipeline-disable-next-line medical-claim: quoting a reader's letter -->
    <!-- pipeline-disable link, image-alt: archived page, links kept as published -->
    ...
    <!-- pipeline-enable link, image-alt -->

Only real HTML comments count (not text in code), so an article can show the syntax. A
directive without a reason, naming an unknown rule, or that silences nothing is itself a
finding of the ``suppression`` rule, so suppressions cannot pile up unexamined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipeline.articles import Article
from pipeline.checks import RULES, Rule, register
from pipeline.checks.prose import Prose
from pipeline.config import Config
from pipeline.findings import Finding, Severity

SUPPRESSION = register(Rule(
    "suppression", Severity.WARNING,
    "An inline suppression comment is malformed, has no reason, or silences nothing.",
    "Findings can be silenced in the article itself, always with a reason after a colon:\n"
    "  <!-- pipeline-disable-next-line medical-claim: quoting a reader's letter -->\n"
    "silences the named rules on the next non-blank line;\n"
    "  <!-- pipeline-disable link: archived post, links kept as published -->\n"
    "  ...\n"
    "  <!-- pipeline-enable link -->\n"
    "silences them between the two comments (to the end of the file without an enable; "
    "placed before the first paragraph it also covers the front matter and whole-article "
    "findings such as summary-missing). Several rules are separated by commas. This rule "
    "reports a directive without a reason (it is then ignored), with an unknown rule, for a "
    "rule that cannot be silenced (front-matter, encoding), and one that silenced nothing.\n"
    "Fix: add the reason, correct the rule id (see 'pipeline rules'), or delete a directive "
    "that is no longer needed.",
    configurable=True,
))

_DIRECTIVE = re.compile(r"^\s*pipeline-(disable-next-line|disable|enable)(?![\w-])(.*)\Z",
                        re.DOTALL)
_RULE_LIST = re.compile(r"[\s,]+")


@dataclass(slots=True)
class Directive:
    kind: str  # "disable-next-line", "disable" or "enable"
    rules: tuple[str, ...]
    reason: str
    line: int
    col: int
    end_line: int
    end_col: int
    first: int = 0  # lines covered, inclusive; 0 when it covers nothing
    last: int = 0
    used: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def silences(self, rule: str, line: int) -> bool:
        return self.first > 0 and self.kind != "enable" and rule in self.rules \
            and self.first <= line <= self.last


def _parse(body: str) -> tuple[str, tuple[str, ...], str] | None:
    match = _DIRECTIVE.match(body)
    if not match:
        return None
    kind, rest = match.groups()
    names, colon, reason = rest.partition(":")
    rules = tuple(name for name in _RULE_LIST.split(names.strip()) if name)
    return kind, rules, " ".join(reason.split()) if colon else ""


def directives(article: Article, prose: Prose) -> list[Directive]:
    """Every directive in the article, with the lines each one covers."""
    found: list[Directive] = []
    first_body_line = None
    for block in prose.body_blocks:
        for comment in block.comments:
            parsed = _parse(comment.body)
            if parsed is None:
                continue
            kind, rules, reason = parsed
            line, col = block.source_position(comment.start)
            end_line, end_col = block.source_end_position(comment.end)
            found.append(Directive(kind, rules, reason, line, col, end_line, end_col))
        if first_body_line is None and block.text.strip():
            first_body_line = block.first_line
    found.sort(key=lambda d: (d.line, d.col))
    _validate(found)
    _cover(article, found, first_body_line)
    return found


def _validate(found: list[Directive]) -> None:
    for directive in found:
        if not directive.rules and directive.kind != "enable":
            directive.problems.append(
                f"pipeline-{directive.kind} names no rule: write the rule id, then a colon "
                "and the reason, e.g. 'pipeline-disable-next-line medical-claim: quoting a "
                "reader's letter'")
        for name in directive.rules:
            rule = RULES.get(name)
            if rule is None:
                directive.problems.append(
                    f"unknown rule '{name}' in pipeline-{directive.kind}; "
                    "'pipeline rules' lists the rule ids")
            elif not rule.configurable or name == SUPPRESSION.id:
                directive.problems.append(f"'{name}' findings cannot be suppressed")
        if directive.kind != "enable" and directive.rules and not directive.reason:
            directive.problems.append(
                f"pipeline-{directive.kind} {', '.join(directive.rules)} has no reason, so it "
                "is ignored: add ': why this is fine' before '-->'")


def _next_text_line(lines: list[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1].strip():
            return number
    return 0


def _cover(article: Article, found: list[Directive], first_body_line: int | None) -> None:
    end_of_file = len(article.source_lines)
    open_blocks: list[Directive] = []
    for directive in found:
        if directive.kind == "enable":
            closing = [d for d in open_blocks
                       if not directive.rules or set(d.rules) & set(directive.rules)]
            if not closing:
                directive.problems.append(
                    "pipeline-enable has no pipeline-disable before it to close")
            for opened in closing:
                opened.last = directive.line
                open_blocks.remove(opened)
            continue
        if directive.kind == "disable":
            open_blocks.append(directive)  # even when ignored, so its enable is no surprise
        if not directive.reason:
            continue  # ignored: already reported as having no reason
        if directive.kind == "disable-next-line":
            target = _next_text_line(article.source_lines, directive.end_line)
            directive.first = directive.last = target
        else:
            starts_article = first_body_line is None or directive.line <= first_body_line
            directive.first = 1 if starts_article else directive.line
            directive.last = end_of_file


def apply(findings: list[Finding], found: list[Directive], path: str,
          config: Config) -> list[Finding]:
    """Drop suppressed findings; add findings for bad and unused directives."""
    kept: list[Finding] = []
    for item in findings:
        suppressed = False
        if RULES.get(item.rule, SUPPRESSION).configurable:
            for directive in found:
                if directive.silences(item.rule, item.line):
                    directive.used.add(item.rule)
                    suppressed = True
        if not suppressed:
            kept.append(item)
    off = {rule for rule, setting in config.check.rules.items() if setting.severity == "off"}
    for directive in found:
        problems = list(directive.problems)
        if directive.first and directive.kind != "enable":
            unused = [r for r in directive.rules
                      if r not in directive.used and r not in off and r in RULES]
            if unused:
                where = (f"line {directive.first}" if directive.first == directive.last
                         else f"lines {directive.first}-{directive.last}")
                problems.append(f"unused suppression: no {', '.join(unused)} finding on "
                                f"{where}; delete the directive or the rule id")
        elif directive.kind == "disable-next-line" and not directive.problems:
            problems.append("pipeline-disable-next-line has no line after it to silence")
        for problem in problems:
            kept.append(Finding(path, directive.line, directive.col, SUPPRESSION.id,
                                SUPPRESSION.severity, problem, directive.end_line,
                                directive.end_col))
    return kept


def with_severity(findings: list[Finding], config: Config) -> list[Finding]:
    """Configured severities; 'off' drops a rule's findings. A kind's own severity
    ([check.rules.<id>.kinds]) wins over the rule's."""
    result = []
    for item in findings:
        setting = config.check.rules.get(item.rule)
        if setting is None:
            result.append(item)
            continue
        severity = setting.kinds.get(item.kind or "", setting.severity or item.severity)
        if severity != "off":
            result.append(replace(item, severity=Severity(severity)))
    return result
