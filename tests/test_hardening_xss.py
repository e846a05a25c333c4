"""Issue 10, security of what readers receive: a matrix of script payloads goes through every
output; no executable content reaches the email, the feeds or the pages, and text fields
survive as text."""

from __future__ import annotations

import datetime as dt
import email
import json
import xml.etree.ElementTree as ET
from email import policy
from pathlib import Path

import feedparser
import lxml.html
import pytest

from pipeline.build import build
from pipeline.config import Config, SiteConfig
from tests.helpers import DISCLAIMER_PARAGRAPH

SITE = "https://wellness.example.org"
TODAY = dt.date(2026, 6, 1)

BODY_PAYLOADS = [
    "<p onclick=\"alert('onclick')\" onmouseover=\"alert('hover')\">hover me</p>",
    "Text with ]]> and </title> and <!-- comment --> inline.",
    "<script>alert('body-script')</script>",
    "<img src=\"https://example.com/a.png\" alt=\"a\" onerror=\"alert('onerror')\">",
    "<a href=\"javascript:alert('js-href')\">js link</a>",
    "<a href=\"JaVaScRiPt:alert('js-case')\">js case</a>",
    "<a href=\"&#106;avascript:alert('js-entity')\">js entity</a>",
    "[md js](javascript:alert('md-js'))",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data link</a>",
    "![data img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg><script>alert('svg-script')</script></svg>",
    "<svg onload=\"alert('svg-onload')\"><circle r=\"1\"/></svg>",
    "<div style=\"width: expression(alert('css-expr'))\">css</div>",
    "<style>body{background:url(javascript:alert('style'))}</style>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object><embed src=\"https://evil.example/\">",
    "<form action=\"https://evil.example/\"><input name=\"q\"></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<base href=\"https://evil.example/\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
]
TITLE = "Stretch </title><script>alert('title')</script> & ]]> \"quotes\" <b>bold</b> 🧘"
AUTHOR = "<img src=x onerror=alert('author')> Ana & Co"
SUMMARY = "Summary with <script>alert('summary')</script> & ]]> </description>"
TAG = "<script>alert('tag')</script>"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    articles = root / "articles"
    articles.mkdir()
    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    front = "\n".join([
        "---", f"title: {text(TITLE)}", "date: 2026-05-01", f"author: {text(AUTHOR)}",
        f"summary: {text(SUMMARY)}", f"tags: [{text(TAG)}, massage]", "---", ""])
    # Inline suppressions: the linter rightly flags some payloads; this test is about output.
    # The disclaimer comes first: the last payload leaves a <style> open, which would swallow
    # anything after it (test_swallowed_disclaimer_is_caught_by_check covers that case).
    body = DISCLAIMER_PARAGRAPH + "\n\n"
    body += "<!-- pipeline-disable link, image-alt, dangling-link-text: payloads -->\n\n"
    body += "\n\n".join(BODY_PAYLOADS) + "\n"
    (articles / "payloads.md").write_text(front + body, encoding="utf-8")
    output = root / "output"
    build(articles, output, Config(site=SiteConfig(url=SITE)), today=TODAY, use_cache=False)
    return output


def assert_inert(html: str, where: str) -> None:
    doc = lxml.html.fromstring(f"<div>{html}</div>")
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            assert element.get("type") == "application/ld+json", f"{where}: a script element"
            continue
        assert tag not in {"iframe", "object", "embed", "form", "base", "svg", "math",
                           "frame", "frameset", "applet"}, f"{where}: <{tag}>"
        if tag == "meta":
            assert (element.get("http-equiv") or "").lower() != "refresh", where
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: {name}= on <{tag}>"
            lowered = "".join(value.split()).lower()
            # The site's own favicon is an inline SVG image: an icon never runs script.
            favicon = tag == "link" and "icon" in (element.get("rel") or "").split()
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href", "data"} \
                    and not favicon:
                assert not lowered.startswith(("javascript:", "data:", "vbscript:")), \
                    f"{where}: {name}={value!r}"
            assert "expression(" not in lowered, f"{where}: {name}={value!r}"
    for style in doc.iter("style"):
        assert "javascript:" not in (style.text or "").lower(), where
    for script in doc.iter("script"):  # JSON-LD: data that parses, no way out of the element
        json.loads(script.text or "")
        assert "<" not in (script.text or ""), f"{where}: raw '<' inside JSON-LD"


def test_web_pages_are_inert(built: Path) -> None:
    pages = sorted((built / "site").rglob("*.html"))
    assert pages
    for page in pages:
        assert_inert(page.read_text(encoding="utf-8"), str(page))
    article = lxml.html.fromstring((built / "site/payloads/index.html").read_bytes())
    assert article.findtext(".//h1").strip() == TITLE  # the title survives as text
    for script in article.iter("script"):
        assert json.loads(script.text)["headline"] == TITLE


def test_email_parts_are_inert(built: Path) -> None:
    message = email.message_from_bytes((built / "email/newsletter.eml").read_bytes(),
                                       policy=policy.default)
    html = message.get_body(("html",)).get_content()
    assert_inert(html, "newsletter.eml html part")
    assert_inert((built / "email/newsletter.html").read_text(encoding="utf-8"), "newsletter.html")
    assert TITLE in message["Subject"]
    assert TITLE in message.get_body(("plain",)).get_content()


def test_feeds_are_inert_and_keep_text(built: Path) -> None:
    for name in ("rss.xml", "atom.xml"):
        data = (built / "feeds" / name).read_bytes()
        ET.fromstring(data)  # well formed
        feed = feedparser.parse(data)
        assert feed.bozo == 0
        entry = feed.entries[0]
        assert entry.title == TITLE
        assert_inert(entry.content[0].value, name)
        assert entry.author_detail.name.startswith("<img src=x onerror=alert('author')>")
    items = json.loads((built / "feeds/feed.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["title"] == TITLE
    assert_inert(items[0]["content_html"], "feed.json")
    for tag_feed in (built / "feeds/tags").glob("*.xml"):
        assert feedparser.parse(tag_feed.read_bytes()).bozo == 0


def test_social_posts_are_plain_text(built: Path) -> None:
    posts = json.loads((built / "social/payloads.json").read_text(encoding="utf-8"))
    assert TITLE[:20] in posts["linkedin"]
    assert "javascript:" not in json.dumps(posts)


def test_swallowed_disclaimer_is_caught_by_check(tmp_path: Path) -> None:
    from pipeline.checks.runner import check_paths

    path = tmp_path / "swallow.md"
    path.write_text("---\ntitle: Swallowed\ndate: 2026-01-01\nsummary: s.\n---\n\n"
                    "An inline <style> left open.\n\n" + DISCLAIMER_PARAGRAPH + "\n",
                    encoding="utf-8")
    findings = [f for f in check_paths([path], Config()).findings if f.severity == "error"]
    assert [f.rule for f in findings] == ["disclaimer-missing"]
    assert "unclosed raw HTML" in findings[0].message
