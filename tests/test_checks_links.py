"""dangling-link-text and link on fixtures (positions from the files' own text), the seed
article's spam anchor, and the prose scanner's links cross-checked against markdown-it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import markup
from pipeline.checks.link_rules import url_problem
from pipeline.checks.prose import scan_block
from pipeline.checks.runner import check_paths
from pipeline.config import Config
from tests.helpers import FIXTURES, SEED, seed_article, write_article

CHECKS = FIXTURES / "checks"


def spans(path: Path, rule: str) -> list[tuple[int, int, int, int]]:
    return [(f.line, f.col, f.end_line or 0, f.end_col or 0)
            for f in check_paths([path], Config()).findings if f.rule == rule]


def locate(path: Path, line: int, start: str, end: str | None = None,
           ) -> tuple[int, int, int, int]:
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    col = text.index(start)
    end = end or start
    return line, col + 1, line, text.index(end, col) + len(end) + 1


def test_dangling_fixture() -> None:
    path = CHECKS / "dangling-link-text.md"
    assert spans(path, "dangling-link-text") == [
        locate(path, 7, "Find More Details On This Page"),
        locate(path, 8, "click here"),
        locate(path, 8, "visit this website"),
        locate(path, 11, "[here]", ")"),
        locate(path, 11, "[](", "empty)"),
        locate(path, 13, "<a href", "</a>"),
        locate(path, 13, "[read more here]", "/more)"),
    ]
    result = check_paths([path], Config())
    assert {f.severity for f in result.findings if f.rule == "dangling-link-text"} == {"error"}


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not beside the repo")
def test_seed_article_spam_anchor_is_caught(tmp_path: Path) -> None:
    path = seed_article(tmp_path)
    found = [f for f in check_paths([path], Config()).findings if f.rule == "dangling-link-text"]
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if "Find More Details" in text)
    assert [(f.line, f.message.split("'")[1]) for f in found] == [
        (line, "Find More Details On This Page")]


@pytest.mark.parametrize("sentence,phrase", [
    ("Over time, find out more on this page, these sessions help.", "find out more on this page"),
    ("Regular sessions  Check Out This Website For Details , can ease pain.",
     "Check Out This Website"),
    ("You can read more here about posture.", "read more here"),
    ("Click here to book a session.", "Click here"),
    ("Please visit this site for stretches.", "visit this site"),
    ("The full study is at this website.", "at this website"),
    ("Learn more details on this page.", "Learn more details on this page"),
    ("Get more information at the following link.", "Get more information at the following link"),
    ("See the link below for a video.", "the link below"),
    ("The recording is available here.", "available here"),
    ("Use this link to sign up.", "this link"),
    ("For more stretches, this website has a great list.", "this website has a"),
    ("On this website you'll find more recipes.", "On this website you'll find"),
    # A link's words left behind when the link itself went missing.
    ("Read the full study here.", "Read the full study here"),
    ("You can find the full walk route here, with a map.", "find the full walk route here"),
    ("Grab the PDF here, or ask at reception.", "Grab the PDF here"),
    # Spun anchors of any wording, stranded the way the seed's is (double space, ' ,').
    ("Over  Visit Website , these sessions may help.", "Visit Website"),
    ("Regular sessions  Simply Click The Up Coming Article , can ease pain.",
     "Simply Click The Up Coming Article"),
    ("Stretch daily  Read Significantly More . It helps.", "Read Significantly More"),
])
def test_dangling_phrases_in_plain_text(tmp_path: Path, sentence: str, phrase: str) -> None:
    path = write_article(tmp_path, "a.md", body=sentence)
    line = path.read_text().splitlines().index(sentence) + 1
    col = sentence.index(phrase) + 1
    assert spans(path, "dangling-link-text") == [(line, col, line, col + len(phrase))]


@pytest.mark.parametrize("sentence", [
    "Nothing on this website is medical advice.",
    "In this article we look at sleep and pain.",
    "There is a clear link between poor sleep and pain.",
    "This link between posture and pain is well studied.",
    "Read the [NHS guide to back pain](https://www.nhs.uk/conditions/back-pain/) first.",
    "For stretches, [click here for the NHS guide](https://www.nhs.uk/live-well/).",
    "Here are five gentle stretches for the desk.",
    "Use this guide to plan your first week of walking.",
    "The exercises on this page take ten minutes.",
    "Click the kettle on and take a break.",
    "All information on this site is for general guidance only.",
    "The advice on this website is not a substitute for seeing your GP.",
    "Free parking is available here after 6pm.",
    "You'll find the full timetable here: three classes a week.",
    "Rest for a day.  Then walk again , slowly.",
    "Hold here for five slow breaths.",
])
def test_plain_prose_and_good_links_pass(tmp_path: Path, sentence: str) -> None:
    path = write_article(tmp_path, "a.md", body=sentence)
    assert spans(path, "dangling-link-text") == []


def test_link_fixture() -> None:
    path = CHECKS / "link.md"
    found = [f for f in check_paths([path], Config()).findings if f.rule == "link"]
    assert {f.severity for f in found} == {"warning"}
    assert [(f.line, f.col, f.end_line, f.end_col) for f in found] == [
        locate(path, 7, "http://example.org/page"),
        locate(path, 7, "http://localhost:8000/draft"),
        locate(path, 8, "https://127.0.0.1/copy"),
        locate(path, 10, "https:/www.nhs.uk"),
        locate(path, 10, "www.nhs.uk/conditions/"),
        locate(path, 12, "https://www.nhs.uk/conditions/back-pain/"),
        locate(path, 14, "[the guide] (https://"),
        locate(path, 14, "[this one][missing]"),
        locate(path, 15, "javascript:alert(1)"),
        locate(path, 17, "[this](", "page)"),
        locate(path, 20, "http://example.org/referenced"),
    ]
    words = [f.message for f in found]
    assert "http:" in words[0] and "local address" in words[1] and "local address" in words[2]
    assert "lacks 'https://'" in words[4] and "bare URL" in words[5]
    assert "not defined" in words[7] and "not valid" in words[9]


@pytest.mark.parametrize("url,words", [
    ("https://www.nhs.uk/conditions/", None),
    ("/about/", None),
    ("../other-post/", None),
    ("#references", None),
    ("mailto:editors@example.org", None),
    ("tel:+441234567890", None),
    ("https://bücher.example/", None),
    ("http://example.org", "uses http:"),
    ("https://localhost/x", "local address"),
    ("https://192.168.1.20/admin", "local address"),
    ("http://[::1]:8080/", "local address"),
    ("https://intranet/", "not a public domain"),
    ("https://exa_mple.com/", "invalid host"),
    ("https://example.org:99999/", "malformed"),
    ("htps://example.org", "malformed"),
    ("https//example.org", "malformed"),
    ("www.example.org", "lacks 'https://'"),
    ("nhs.uk/conditions", "lacks 'https://'"),
    ("//cdn.example.org/x.js", "no scheme"),
    ("ftp://example.org/file", "publishing removes"),
    ("file:///C:/Users/me/doc.html", "removed"),
    ("C:\\Users\\me\\photo.jpg", "Windows file path"),
    ("mailto:someone", "no email address"),
    ("", "empty"),
])
def test_url_problems(url: str, words: str | None) -> None:
    problem = url_problem(url)
    if words is None:
        assert problem is None
    else:
        assert problem is not None and words in problem, problem


# markdown-it is the oracle: the links the scanner finds (outside code) must be the links
# markdown-it renders, with the same destinations, in the same order.
PIECES = ["plain words ", "[a link](https://example.org/a) ", "`[code](x)` ", "*em* ",
          "[ref] ", "[text][ref] ", "![img](https://example.org/i.png) ", "<https://auto.org> ",
          "\\[escaped](no) ", "[unclosed(x) ", "[nested [brackets]](https://n.org) ",
          "[t](<https://sp.org/a b>) ", "[t](https://p.org/(x)) ", "``a ` b`` ", "&amp; ",
          "<span>html</span> ", "[broken] (https://x.org) ", "[](https://empty.org) ",
          "[![alt](https://i.org/i.png)](https://wrap.org) ", "**[bold link](https://b.org)** ",
          '[t](https://title.org "a title") ', "_under_score_ ", "\n"]


def markdown_it_links(source: str) -> list[str]:
    tokens = markup.parse(source + "\n\n[ref]: https://ref.org\n")
    return [child.attrGet("href") for token in tokens if token.type == "inline"
            for child in token.children or [] if child.type == "link_open"]


def href(link_url: str, autolink: bool) -> str:
    """The scanner's destination as markdown-it would encode it in href."""
    source = f"<{link_url}>" if autolink else f"[x](<{link_url}>)"
    return markup.parse(source)[1].children[0].attrGet("href")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))
def test_scanner_links_match_markdown_it(pieces: list[str]) -> None:
    source = "".join(pieces).strip() or "x"
    tokens = markup.parse(source + "\n\n[ref]: https://ref.org\n")
    if [t.type for t in tokens] != ["paragraph_open", "inline", "paragraph_close"]:
        return  # the pieces did not make exactly one paragraph; not what this compares
    block = scan_block("paragraph", tokens[1].content, {"ref": "https://ref.org"})
    found = [href(link.url, link.kind == "autolink")
             for link in sorted(block.links, key=lambda link: link.start)]
    assert found == markdown_it_links(source), source
