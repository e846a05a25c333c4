"""Articles are parsed in two steps (blocks when loaded, inline markup on first use): the
result must be exactly markdown-it's one-step parse, on real articles and on random Markdown
built from the characters that carry syntax."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pipeline import markup
from pipeline.articles import load_article
from pipeline.config import Config
from tests.helpers import write_article

REPO = Path(__file__).resolve().parent.parent

PIECES = [*"ab *_`[]()!<>&#\\-|:\n\t1.\"'", "img", "http://x.org", "![a](b.png)",
          "<img src=c>", "[r]: /u\n", "\n\n", "    ", "> ", "- ", "```\n"]
SYNTAX = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def reference_tokens(markdown: str) -> list[dict[str, object]]:
    # An independent parser instance with the same options: what rendering used to get.
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": markup.MAX_NESTING})
    return [token.as_dict() for token in parser.enable("table").parse(markdown)]


def two_step(markdown: str) -> list[dict[str, object]]:
    tokens, env = markup.parse_blocks(markdown)
    markup.parse_inline(tokens, env)
    return [token.as_dict() for token in tokens]


@settings(max_examples=300, deadline=None)
@given(SYNTAX)
def test_two_step_parse_equals_markdown_it(markdown: str) -> None:
    assert two_step(markdown) == reference_tokens(markdown)


@settings(max_examples=150, deadline=None)
@given(SYNTAX)
def test_children_parsed_alone_equal_the_full_parse(markdown: str) -> None:
    full = markup.parse(markdown)
    tokens, env = markup.parse_blocks(markdown)
    for whole, pending in zip(full, tokens, strict=True):
        if whole.type == "inline":
            alone = markup.inline_children(pending, env)
            assert [t.as_dict() for t in alone] == [t.as_dict() for t in whole.children or []]


def test_bundled_articles_parse_the_same_in_two_steps() -> None:
    bodies = [path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
              for path in sorted((REPO / "articles").glob("*.md"))]
    assert bodies
    for body in bodies:
        assert two_step(body) == reference_tokens(body)


def test_article_tokens_complete_on_first_use(tmp_path: Path) -> None:
    body = "Intro with *emphasis* and [a link][ref].\n\n![A stretch][pic]\n\n" \
           "[ref]: https://example.org\n[pic]: images/stretch.png\n"
    path = write_article(tmp_path, "a.md", body=body)
    article = load_article(path, Config()).article
    assert article is not None and article.inline is not None
    # Image sources are found without completing the parse (the check path needs only them).
    assert [src for src, _line in article.image_references()] == ["images/stretch.png"]
    assert article.inline is not None
    expected = markup.parse(article.body)
    assert [t.as_dict() for t in article.parsed_tokens()] == [t.as_dict() for t in expected]
    assert article.inline is None
    assert article.blocks == markup.blocks(expected)
    assert 'href="https://example.org"' in article.rendered_html()
