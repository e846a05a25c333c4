"""The rule registry and the check runner.

Each rule lives in a module of this package and registers itself with ``@article_rule`` or
``@corpus_rule``. A rule yields findings at its default severity; the runner applies the
severities configured in ``[check.rules.<id>]`` in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from pipeline.articles import Article, LoadResult
from pipeline.config import Config
from pipeline.errors import ConfigError
from pipeline.findings import Finding, Severity

ArticleCheck = Callable[[Article, Config], Iterable[Finding]]
CorpusCheck = Callable[[list[Article], Config], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    explanation: str
    configurable: bool = True


RULES: dict[str, Rule] = {}
_ARTICLE_CHECKS: list[tuple[Rule, ArticleCheck]] = []
_CORPUS_CHECKS: list[tuple[Rule, CorpusCheck]] = []


def register(rule: Rule) -> Rule:
    if rule.id in RULES:
        raise ValueError(f"rule {rule.id} registered twice")
    RULES[rule.id] = rule
    return rule


def article_rule(rule: Rule) -> Callable[[ArticleCheck], ArticleCheck]:
    register(rule)

    def decorate(func: ArticleCheck) -> ArticleCheck:
        _ARTICLE_CHECKS.append((rule, func))
        return func

    return decorate


def corpus_rule(rule: Rule) -> Callable[[CorpusCheck], CorpusCheck]:
    register(rule)

    def decorate(func: CorpusCheck) -> CorpusCheck:
        _CORPUS_CHECKS.append((rule, func))
        return func

    return decorate


def finding(article: Article, rule: Rule, line: int, col: int, message: str,
            **extra: int | None) -> Finding:
    return Finding(article.display_path, line, col, rule.id, rule.severity, message, **extra)


def validate_rule_config(config: Config) -> None:
    for rule_id, rule_config in config.check.rules.items():
        rule = RULES.get(rule_id)
        if rule is None:
            raise ConfigError(
                f"[check.rules.{rule_id}]: unknown rule; known rules: {', '.join(sorted(RULES))}")
        if not rule.configurable and rule_config.severity != "error":
            raise ConfigError(
                f"[check.rules.{rule_id}]: this rule guards against unreadable articles and "
                "stays an error")


def _apply_severity(findings: Iterable[Finding], config: Config) -> list[Finding]:
    result = []
    for item in findings:
        setting = config.check.rules.get(item.rule)
        if setting is None:
            result.append(item)
        elif setting.severity != "off":
            result.append(replace(item, severity=Severity(setting.severity)))
    return result


def run_checks(results: list[LoadResult], config: Config) -> list[Finding]:
    """Every finding for the loaded files: load-time problems, per-article and corpus rules."""
    _load_rule_modules()
    validate_rule_config(config)
    findings: list[Finding] = []
    articles = [result.article for result in results if result.article is not None]
    for result in results:
        findings.extend(result.findings)
    for article in articles:
        for _rule, check in _ARTICLE_CHECKS:
            findings.extend(check(article, config))
    for _rule, check in _CORPUS_CHECKS:
        findings.extend(check(articles, config))
    return sorted(set(_apply_severity(findings, config)))


def _load_rule_modules() -> None:
    # Imported for their registrations; kept here so importing the registry stays cheap.
    from pipeline.checks import content_rules, disclaimer_rules  # noqa: F401


FRONT_MATTER = register(Rule(
    "front-matter", Severity.ERROR,
    "Front matter is missing, malformed, or has an invalid value.",
    "Every article starts with YAML front matter between two '---' lines. 'title' (text) and "
    "'date' (YYYY-MM-DD or an ISO 8601 date-time) are required; 'slug' must be lowercase "
    "words joined by single hyphens; 'tags' is a list of text; 'draft' is true or false; "
    "'disclaimer' names an id configured under [disclaimers]. Unknown keys are warnings.\n"
    "Fix: correct the key on the reported line. Example:\n"
    "---\ntitle: Easing neck pain at the desk\ndate: 2026-03-01\ntags: [neck-pain]\n---",
    configurable=False,
))
ENCODING = register(Rule(
    "encoding", Severity.ERROR,
    "The file is not readable UTF-8 text (or is too large).",
    "Articles must be UTF-8 text files (a byte-order mark and CRLF line endings are fine). "
    "The reported position is the first byte that is not UTF-8.\n"
    "Fix: re-save the file as UTF-8 in your editor ('Save with encoding' > UTF-8).",
    configurable=False,
))
