"""disclaimer-missing and disclaimer-altered: the gate every health article must pass."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline import disclaimer
from pipeline.articles import Article
from pipeline.checks import Rule, article_rule, finding, register
from pipeline.checks.prose import TextBlock, prose_of
from pipeline.config import Config
from pipeline.findings import Finding, Severity

MISSING = Rule(
    "disclaimer-missing", Severity.ERROR,
    "The article does not carry its medical disclaimer.",
    "Health content must end with the disclaimer configured for it (the 'disclaimer' key, "
    "default 'standard'), word for word. Whitespace, case, typographic quotes and dashes, and "
    "Markdown emphasis do not matter; text in code, HTML comments or front matter does not "
    "count.\nFix: paste the configured text at the end of the article, or run "
    "'pipeline check --fix' to append it.",
)
ALTERED = Rule(
    "disclaimer-altered", Severity.ERROR,
    "A disclaimer is present but reworded.",
    "A paragraph under a 'Disclaimer' label or heading, or a paragraph that keeps most of the "
    "disclaimer's words, differs from the configured text. The message shows a word diff: "
    "[-words-] were removed, {+words+} were added.\nFix: replace the paragraph with the exact "
    "configured text; to use another wording, configure it as a new [disclaimers.<id>] and "
    "name it in the article's front matter.",
)


register(ALTERED)


def _paragraphs(article: Article) -> list[TextBlock]:
    return [block for block in prose_of(article).body_blocks if block.text.strip()]


def inspect(article: Article, text: str) -> disclaimer.DisclaimerStatus[TextBlock]:
    """The disclaimer in the article's visible text (code, comments and front matter aside)."""
    return disclaimer.inspect(_paragraphs(article), text)


@article_rule(MISSING)
def check_disclaimer(article: Article, config: Config) -> Iterator[Finding]:
    """Both disclaimer rules in one pass: inspecting an article is the costly part."""
    text = config.disclaimers[article.disclaimer_id].text
    status = inspect(article, text)
    for change in status.altered:
        yield finding(article, ALTERED, change.block.first_line, 1,
                      f"disclaimer differs from the configured '{article.disclaimer_id}' text: "
                      f"{change.diff}")
    if not status.present and not status.altered:
        rewritten = disclaimer.reworded(_paragraphs(article))
        if rewritten is not None:
            line, col = rewritten.position(0)
            yield finding(article, MISSING, line, col,
                          f"no '{article.disclaimer_id}' disclaimer; this paragraph reads like "
                          "a reworded one: replace it with the configured text, word for word "
                          f"(pipeline config shows [disclaimers.{article.disclaimer_id}])")
            return
        yield finding(article, MISSING, 1, 1,
                      f"no '{article.disclaimer_id}' disclaimer in the article text; end the "
                      "article with the configured text (or run 'pipeline check --fix')")
    elif status.present and "<" in article.body and \
            not disclaimer.contains(disclaimer.visible_text(article.rendered_html()), text):
        # The Markdown has it, but raw HTML before it (an unclosed <style>, <script> or
        # <textarea>) swallows it once rendered and sanitized: readers would never see it.
        yield finding(article, MISSING, 1, 1,
                      f"the '{article.disclaimer_id}' disclaimer is in the text but disappears "
                      "when the article is rendered: unclosed raw HTML before it (such as "
                      "<style> or <script>) swallows it; close or remove that HTML")
