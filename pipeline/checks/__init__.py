"""The rule registry and the check runner.

Each rule lives in a module of this package and registers itself with ``@article_rule`` or
``@corpus_rule``: an id, a default severity, a one-line summary and an explanation ending in
a fix (``pipeline rules``, ``pipeline check --explain``). A rule yields findings at its
default severity; the runner then applies, in one place, the severities configured in
``[check.rules.<id>]`` and the article's inline suppressions (``suppressions.py``).

Modules: ``prose`` (an article's visible text with exact positions, shared by the rules),
``phrases`` (the data files in ``pipeline/data``), ``claim_rules``, ``link_rules``,
``image_rules``, ``editorial_rules``, ``disclaimer_rules``, ``content_rules``, and
``runner`` (the one way files are checked: cached, on every core, then the corpus rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.articles import Article, LoadResult
from pipeline.config import Config
from pipeline.errors import ConfigError
from pipeline.findings import Finding, Severity

if TYPE_CHECKING:
    from pipeline.checks.suppressions import Directive

ArticleCheck = Callable[[Article, Config], Iterable[Finding]]
CorpusCheck = Callable[[list[Article], Config], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    explanation: str
    configurable: bool = True
    kinds: tuple[str, ...] = ()  # what its findings can be, each with its own severity


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
            **extra: int | str | None) -> Finding:
    return Finding(article.display_path, line, col, rule.id, rule.severity, message,
                   **extra)  # type: ignore[arg-type]


def validate_rule_config(config: Config) -> None:
    for rule_id, rule_config in config.check.rules.items():
        rule = RULES.get(rule_id)
        if rule is None:
            raise ConfigError(
                f"[check.rules.{rule_id}]: unknown rule; known rules: {', '.join(sorted(RULES))}")
        if not rule.configurable and rule_config.severity not in (None, "error"):
            raise ConfigError(
                f"[check.rules.{rule_id}]: this rule guards against unreadable articles and "
                "stays an error")
        unknown = sorted(set(rule_config.kinds) - set(rule.kinds))
        if unknown:
            known = ", ".join(rule.kinds) if rule.kinds else "none: this rule has no kinds"
            raise ConfigError(
                f"[check.rules.{rule_id}.kinds]: unknown kind {', '.join(unknown)}; "
                f"known kinds: {known}")


@dataclass(slots=True)
class ArticleReport:
    """One file's findings at default severity, and its suppression directives."""

    path: str
    findings: list[Finding]
    directives: list[Directive] = field(default_factory=list)


def check_article(result: LoadResult, config: Config) -> ArticleReport:
    """Load-time findings plus every per-article rule; a unit of work for a worker process."""
    report = ArticleReport(result.display_path, list(result.findings))
    article = result.article
    if article is None:
        return report
    from pipeline.checks import suppressions
    from pipeline.checks.prose import prose_of

    for _rule, check in _ARTICLE_CHECKS:
        report.findings.extend(check(article, config))
    report.directives = suppressions.directives(article, prose_of(article))
    return report


def finish(reports: list[ArticleReport], articles: list[Article], config: Config,
           extra: Iterable[Finding] = ()) -> list[Finding]:
    """Corpus rules, then configured severities and inline suppressions, sorted."""
    from pipeline.checks import suppressions

    # The reports are left as they are: a cache holds them, and the next run's corpus
    # findings may differ (the other file with the same slug renamed).
    added: dict[str, list[Finding]] = {report.path: [] for report in reports}
    loose: list[Finding] = []
    corpus = [item for _rule, check in _CORPUS_CHECKS for item in check(articles, config)]
    for item in (*corpus, *extra):
        added.get(item.path, loose).append(item)
    findings = suppressions.with_severity(loose, config)
    for report in reports:
        mine = report.findings + added[report.path]
        kept = suppressions.apply(suppressions.with_severity(mine, config),
                                  report.directives, report.path, config)
        findings.extend(suppressions.with_severity(kept, config))
    return sorted(set(findings))


def run_checks(results: list[LoadResult], config: Config) -> list[Finding]:
    """Every finding for the loaded files: load-time problems, per-article and corpus rules,
    with configured severities and inline suppressions applied."""
    load_rules()
    validate_rule_config(config)
    reports = [check_article(result, config) for result in results]
    articles = [result.article for result in results if result.article is not None]
    return finish(reports, articles, config)


_PREPARED: list[Callable[[], object]] = []


def prepares(func: Callable[[], object]) -> Callable[[], object]:
    """Register work a rule does once per process (compiling its patterns), so the runner
    can do it before forking workers, which then share the result."""
    _PREPARED.append(func)
    return func


def prepare_rules() -> None:
    for func in _PREPARED:
        func()


def load_rules() -> dict[str, Rule]:
    """The registry with every rule module imported (they register on import)."""
    from pipeline.checks import (  # noqa: F401
        claim_rules,
        content_rules,
        disclaimer_rules,
        editorial_rules,
        image_rules,
        link_rules,
        suppressions,
    )

    return RULES


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
NESTING = register(Rule(
    "nesting", Severity.ERROR,
    "Lists or quotes are nested so deeply that the rest of the article would be lost.",
    "Past 40 levels of nested lists or block quotes the Markdown parser stops, and everything "
    "after that point would silently be missing from every output, the disclaimer included.\n"
    "Fix: flatten the nesting at the reported line; real articles rarely need more than three "
    "levels.",
    configurable=False,
))
