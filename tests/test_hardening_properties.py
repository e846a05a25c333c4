"""Issue 10, property-based: whatever bytes or front matter arrive, `check` and `build` end
in findings or outputs, never an unhandled exception; what is accepted is well formed."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import lxml.html
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.build import build
from pipeline.checks.runner import check_paths
from pipeline.config import Config
from pipeline.errors import ContentError, PipelineError
from tests.helpers import DISCLAIMER_PARAGRAPH

TODAY = dt.date(2026, 6, 1)
anything = st.text(st.characters(codec="utf-8"), max_size=80)
# Printable text of every script, emoji and markup character, but no control characters.
printable = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")),
                    min_size=1, max_size=80).filter(str.strip)
yaml_scalar = st.one_of(anything, st.integers(), st.booleans(), st.none(),
                        st.lists(anything, max_size=3), st.dates().map(str))
markdown_bits = st.sampled_from([
    "# H", "## Section", "- item", "1. one", "> quote", "<div>", "</div>", "<b>", "<script>",
    "[link](https://example.com/a)", "[rel](../other/)", "| a | b |\n|---|---|\n| 1 | 2 |",
    "***", "]]>", "&amp; &lt;", "\\", "`code`", "<br>", "**bold** _em_"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def article_bytes(meta: dict, body: list[str], with_disclaimer: bool = True) -> bytes:
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}"
                       for key, value in meta.items()] + ["---", "", *body]
    if with_disclaimer:
        lines += ["", DISCLAIMER_PARAGRAPH]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def assert_outputs_well_formed(output: Path) -> None:
    for path in output.rglob("*"):
        if path.suffix == ".xml":
            ET.fromstring(path.read_bytes())
            assert feedparser.parse(path.read_bytes()).bozo == 0 or path.name == "sitemap.xml"
        elif path.suffix == ".html":
            lxml.html.fromstring(path.read_bytes())
        elif path.suffix == ".json":
            json.loads(path.read_bytes())


def try_build(data: bytes) -> tuple[bool, Path | None, list[str]]:
    folder = Path(tempfile.mkdtemp())
    articles = folder / "articles"
    articles.mkdir()
    (articles / "post.md").write_bytes(data)
    check_paths([articles], Config())  # must not raise either
    try:
        build(articles, folder / "output", Config(), today=TODAY, use_cache=False)
    except ContentError as error:
        assert not (folder / "output").exists()
        return False, None, [f.rule for f in error.findings if f.severity == "error"]
    except PipelineError:
        assert not (folder / "output").exists()
        return False, None, []
    return True, folder / "output", []


@SETTINGS
@given(meta=st.dictionaries(st.sampled_from(
    ["title", "date", "summary", "tags", "author", "slug", "draft", "image", "image_alt",
     "updated", "disclaimer", "extra"]), yaml_scalar, max_size=8),
    body=st.lists(st.one_of(anything, markdown_bits), max_size=12),
    with_disclaimer=st.booleans())
def test_garbage_front_matter_and_body_never_crash(meta: dict, body: list[str],
                                                   with_disclaimer: bool) -> None:
    built, output, _ = try_build(article_bytes(meta, body, with_disclaimer))
    if built and output is not None:
        assert_outputs_well_formed(output)


@SETTINGS
@given(title=printable, summary=printable, author=printable,
       tags=st.lists(printable, max_size=4), date=st.dates(dt.date(1990, 1, 1), TODAY),
       body=st.lists(st.one_of(printable, markdown_bits), max_size=10))
@example(title="Â¡", summary="0", author="0", tags=[], date=dt.date(2000, 1, 1), body=[])
def test_plausible_articles_build_into_well_formed_outputs(
        title: str, summary: str, author: str, tags: list[str], date: dt.date,
        body: list[str]) -> None:
    meta = {"title": title, "date": str(date), "summary": summary, "author": author,
            "tags": tags}
    built, output, errors = try_build(article_bytes(meta, body))
    # Only content rules may refuse such an article (e.g. random text reading as a claim).
    assert built or set(errors) <= {"medical-claim", "dangling-link-text", "image-alt",
                                    "image", "disclaimer-missing"}, errors
    if built and output is not None:
        assert_outputs_well_formed(output)
        rss = (output / "feeds/rss.xml").read_bytes()
        feed = feedparser.parse(rss)
        assert not feed.bozo and len(feed.entries) == 1
        # The exact title, read by a strict XML parser. (feedparser "repairs" text that looks
        # like UTF-8 misread as Latin-1: a real title 'Â¡' comes back from it as '¡'.)
        item_title = ET.fromstring(rss).find("channel/item/title")
        assert item_title is not None
        assert item_title.text == unicodedata.normalize("NFC", title.strip())


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_any_bytes_give_findings_not_exceptions(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "garbage.md"
        path.write_bytes(raw)
        findings = check_paths([path], Config()).findings
        assert all(f.path == str(path) and f.line >= 1 and f.col >= 1 for f in findings)
