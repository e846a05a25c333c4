"""Issue 6: RSS, Atom and JSON Feed that every reader and validator accepts.

Every feed is read back by independent parsers: feedparser (what NetNewsWire-style readers
do), lxml's strict XML parser, a JSON Schema of JSON Feed 1.1 (tests/jsonfeed-1.1.schema.json)
and lxml.html for the content. The checks the W3C feed validator most often fails feeds on
are encoded as tests, since no maintained copy of it installs from a registry.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import email.utils
import json
import re
import zoneinfo
from pathlib import Path
from typing import Any

import feedparser
import feedparser_rs
import jsonschema
import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import markup, verify
from pipeline.articles import find_article_files
from pipeline.body import Body
from pipeline.build import build, publishable
from pipeline.checks.runner import check_files
from pipeline.config import STANDARD_DISCLAIMER, Config, FeedsConfig, SiteConfig
from pipeline.render import feeds
from pipeline.render.context import RenderContext
from pipeline.render.templates import make_environment
from tests.helpers import DISCLAIMER_PARAGRAPH, tree_digest, write_article

TODAY = dt.date(2026, 6, 1)
SITE = "https://wellness.example.org/notes"
ZONE = "America/New_York"
NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/",
      "media": "http://search.yahoo.com/mrss/", "dcterms": "http://purl.org/dc/terms/"}
SCHEMA = json.loads((Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text())
# A real 1x1 PNG: the build checks image bytes against their extension.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                       "60e6kgAAAABJRU5ErkJggg==")

TRICKY_TITLE = "Tom & Jerry <b>stretch</b> ]]> </title> \"quoted\" 'single' 💆‍♀️🧘 & more"
RTL_TITLE = "ألم الظهر المزمن: ما الذي يساعد؟ כאב גב"
TRICKY_TAGS = ["Back Pain", "back-pain", "back/pain", "..", "über", "日本語", "a.b", "💪"]


def write(folder: Path, name: str, front: dict[str, str], body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["---", *(f"{key}: {value}" for key, value in front.items()), "---", "", body, "",
             DISCLAIMER_PARAGRAPH, ""]
    (folder / name).write_text("\n".join(lines), encoding="utf-8")


def yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML strings


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return make_articles(tmp_path)


def make_articles(tmp_path: Path) -> Path:
    """Articles no fixture of the project has: markup characters, RTL, emoji, hostile HTML,
    relative links and images, local and remote lead images, odd tags."""
    folder = tmp_path / "articles"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "lead.png").write_bytes(PNG)
    (folder / "images" / "inline pic.png").write_bytes(PNG)
    write(folder, "tricky.md", {
        "title": yaml_str(TRICKY_TITLE),
        "date": "2026-05-20T08:30:00+05:30",
        "updated": "2026-05-25",
        "author": yaml_str("Dr. Ana <Ana> O'Neil & Co"),
        "summary": yaml_str("A summary with <script>alert(1)</script> & ]]> and 🧠."),
        "tags": json.dumps(TRICKY_TAGS, ensure_ascii=False),
        "image": "images/lead.png",
        "image_alt": yaml_str("A \"calm\" <room> & plants"),
    }, "Text with ]]> and `</title>` as text, 🧘 emoji.\n\n"
       "A [relative link](../other-post/), a [root link](/about/), an [anchor](#part), "
       "[mail](mailto:editors@example.org) and ![inline](images/inline%20pic.png).\n\n"
       "<a href=\"javascript:alert(1)\" onclick=\"steal()\">bad link</a> "
       "<img src=\"https://cdn.example.net/x.png\" onerror=\"alert(2)\" alt=\"x\">\n\n"
       "<script>alert(3)</script><style>body{display:none}</style>"
       "<iframe src=\"https://evil.example/\"></iframe>"
       "<svg onload=\"alert(4)\"><circle r=\"2\"/></svg>\n\n"
       "<a href=\"data:text/html,<script>alert(5)</script>\">data</a>")
    write(folder, "rtl.md", {"title": yaml_str(RTL_TITLE), "date": "2026-05-10",
                             "tags": "[sleep, Back Pain]",
                             "image": "https://cdn.example.net/photos/walk.jpg",
                             "image_alt": "Two people walking"},
          "نص عربي مع [رابط](relative/page/) and text.")
    write(folder, "plain.md", {"title": "Plain walking", "date": "2026-01-15",
                               "tags": "[sleep]"}, "Walking helps some people.")
    write(folder, "draft.md", {"title": "Draft", "date": "2026-01-01", "draft": "true"}, "x")
    write(folder, "scheduled.md", {"title": "Future", "date": "2026-07-01"}, "x")
    return folder


def config(**feeds_config: object) -> Config:
    return Config(site=SiteConfig(url=SITE, timezone=ZONE, language="en-GB"),
                  feeds=FeedsConfig(**feeds_config))


def render_feeds(folder: Path, cfg: Config, templates: Path | None = None) -> dict[str, bytes]:
    """Feeds alone, the way build() makes them (checked, published, verified)."""
    checked = check_files(find_article_files([folder]), cfg, views=True)
    assert checked.ok, [f.format() for f in checked.findings]
    published = publishable(checked.articles, TODAY, zoneinfo.ZoneInfo(cfg.site.timezone))
    ctx = RenderContext(cfg, [checked.views[a.path] for a in published],
                        make_environment(templates), checked.assets)
    files = dict(feeds.render(ctx))
    verify.verify_artifacts(files, ctx)
    return files


@pytest.fixture
def files(articles: Path) -> dict[str, bytes]:
    return render_feeds(articles, config())


def xml_feeds(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.endswith(".xml")}


def strict(data: bytes) -> lxml.etree._Element:
    parser = lxml.etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return lxml.etree.fromstring(data, parser)


def url(path: str) -> str:
    return f"{SITE}/{path}"


EXPECTED_ORDER = [url("tricky/"), url("rtl/"), url("plain/")]
EXPECTED_TITLES = [TRICKY_TITLE, RTL_TITLE, "Plain walking"]


# --- Read back by feedparser -----------------------------------------------------------

def read(data: bytes, reader: str | None = None) -> Any:
    """feedparser reads RSS and Atom; it has no JSON Feed support, so JSON Feed is read by
    feedparser-rs, a separate implementation of the same API (and a second opinion on XML)."""
    if reader is None:
        reader = "feedparser-rs" if data.lstrip().startswith(b"{") else "feedparser"
    return (feedparser if reader == "feedparser" else feedparser_rs).parse(data)


READERS = [("feeds/rss.xml", "rss20", "feedparser"), ("feeds/atom.xml", "atom10", "feedparser"),
           ("feeds/rss.xml", "rss20", "feedparser-rs"),
           ("feeds/atom.xml", "atom10", "feedparser-rs"),
           ("feeds/feed.json", "json11", "feedparser-rs")]


@pytest.mark.parametrize(("path", "version", "reader"), READERS)
def test_feed_readers_read_every_format(files: dict[str, bytes], path: str, version: str,
                                        reader: str) -> None:
    feed = read(files[path], reader)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version
    assert [entry.id for entry in feed.entries] == EXPECTED_ORDER
    assert [entry.link for entry in feed.entries] == EXPECTED_ORDER
    if reader == "feedparser":
        # Markup characters, "]]>", "</title>", RTL text and emoji come back exactly as
        # written. (feedparser-rs reads every title as HTML and sanitizes it, so it cannot
        # judge this; JSON Feed titles are checked through the JSON itself.)
        assert [entry.title for entry in feed.entries] == EXPECTED_TITLES
    assert feed.feed.title == "Wellness Notes"
    assert feed.feed.link == url("")
    first = feed.entries[0]
    assert first.author_detail.name == "Dr. Ana <Ana> O'Neil & Co"
    assert [tag.term for tag in first.tags] == TRICKY_TAGS
    assert "\U0001f9d8 emoji" in first.content[0].value
    assert "]]&gt; and <code>&lt;/title&gt;</code> as text" in first.content[0].value
    assert [entry.published_parsed[:3] for entry in feed.entries] == [
        (2026, 5, 20), (2026, 5, 10), (2026, 1, 15)]


@pytest.mark.parametrize("path", ["feeds/rss.xml", "feeds/atom.xml"])
def test_dates_carry_the_configured_time_zone(files: dict[str, bytes], path: str) -> None:
    """Published and updated dates are the articles' moments, written in [site] timezone."""
    zone = zoneinfo.ZoneInfo(ZONE)
    published = dt.datetime(2026, 5, 20, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=5.5)))
    updated = dt.datetime(2026, 5, 25, tzinfo=zone)  # a date alone is midnight where we are
    root = strict(files[path])
    if path.endswith("rss.xml"):
        item = root.find("channel/item")
        written = [item.findtext("pubDate"), item.findtext("dcterms:modified", namespaces=NS)]
        moments = [email.utils.parsedate_to_datetime(written[0]),
                   dt.datetime.fromisoformat(written[1])]
    else:
        entry = root.find("atom:entry", NS)
        written = [entry.findtext("atom:published", namespaces=NS),
                   entry.findtext("atom:updated", namespaces=NS)]
        moments = [dt.datetime.fromisoformat(text) for text in written]
    assert moments == [published, updated]
    assert [m.utcoffset() for m in moments] == [published.astimezone(zone).utcoffset(),
                                                 updated.utcoffset()]
    assert all(m.utcoffset() == dt.timedelta(hours=-4) for m in moments)  # EDT in May
    feed = feedparser.parse(files[path])
    assert feed.entries[0].published_parsed[:5] == (2026, 5, 20, 3, 0)  # the same moment, UTC
    assert feed.entries[0].updated_parsed[:4] == (2026, 5, 25, 4)


def test_json_feed_dates_and_schema(files: dict[str, bytes]) -> None:
    data = json.loads(files["feeds/feed.json"])
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    first = data["items"][0]
    assert [item["title"] for item in data["items"]] == EXPECTED_TITLES
    assert first["date_published"] == "2026-05-19T23:00:00-04:00"
    assert first["date_modified"] == "2026-05-25T00:00:00-04:00"
    assert data["language"] == "en-GB" and first["language"] == "en-GB"
    assert first["authors"] == [{"name": "Dr. Ana <Ana> O'Neil & Co"}]
    assert data["feed_url"] == url("feeds/feed.json")


def test_schema_rejects_what_json_feed_1_1_forbids() -> None:
    """The schema is an oracle only if it can fail: each rule is tried on a broken feed."""
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "T", "language": "en",
            "authors": [{"name": "A"}],
            "items": [{"id": "1", "content_html": "<p>x</p>", "authors": [{"name": "A"}],
                       "language": "en"}]}
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert validator.is_valid(good)
    broken = [
        {**good, "version": "https://jsonfeed.org/version/1"},
        {key: value for key, value in good.items() if key != "title"},
        {key: value for key, value in good.items() if key != "items"},
        {**good, "items": [{**good["items"][0], "id": 1}]},
        {**good, "items": [{"id": "1", "content_text": "x", "authors": [{"name": "A"}],
                            "language": "en"}]},
        {**good, "items": [{"id": "1", "content_html": "x", "language": "en"}]},
        {**good, "items": [{"id": "1", "content_html": "x", "authors": [{"name": "A"}]}]},
        {**good, "author": {"name": "A"}},
        {**good, "items": [{**good["items"][0], "date_published": "2026-05-01 10:00"}]},
    ]
    assert [validator.is_valid(feed) for feed in broken] == [False] * len(broken)


# --- Well formed, strictly ---------------------------------------------------------------

def test_every_xml_feed_parses_strictly(files: dict[str, bytes]) -> None:
    import xml.etree.ElementTree as ET

    assert len(xml_feeds(files)) == 2 + 9  # rss, atom and one feed per distinct tag
    for path, data in xml_feeds(files).items():
        strict(data)
        ET.fromstring(data)  # a second, independent parser
        assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>"), path


def test_control_characters_are_dropped_and_the_text_around_them_kept(
        articles: Path) -> None:
    """XML 1.0 cannot carry C0 controls, not even as &#7;. The checks reject them in article
    files, but views and settings can still hold them: every format drops the same ones."""
    cfg = Config(site=SiteConfig(url=SITE, description="Pain\x01 and\x1f recovery\ufffe."))
    checked = check_files(find_article_files([articles]), cfg, views=True)
    views = [dataclasses.replace(view := checked.views[a.path], summary="Sum\x07mary",
                                 title=f"Bell\x07 {a.title}",
                                 body=Body(view.html + "<p>a bell\x07 and a vertical tab\x0b"
                                           " here</p>", view.blocks))
             for a in publishable(checked.articles, TODAY, zoneinfo.ZoneInfo("UTC"))]
    files = dict(feeds.render(RenderContext(cfg, views, make_environment(None),
                                            checked.assets)))
    for data in files.values():
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#(x0?[0-9a-f]|[0-9]);|\xef\xbf\xbe",
                             data, re.IGNORECASE)
    for path in ("feeds/rss.xml", "feeds/atom.xml"):
        feed = feedparser.parse(files[path])
        assert feed.bozo == 0
        assert feed.feed.subtitle == "Pain and recovery."
        entry = feed.entries[0]
        assert entry.title == f"Bell {TRICKY_TITLE}"
        assert "a bell and a vertical tab here" in entry.content[0].value
    data = json.loads(files["feeds/feed.json"])
    assert data["description"] == "Pain and recovery."
    assert (data["items"][0]["title"], data["items"][0]["summary"]) == (
        f"Bell {TRICKY_TITLE}", "Summary")
    assert "a bell and a vertical tab here" in data["items"][0]["content_html"]


def test_summary_is_plain_text_in_every_format(files: dict[str, bytes]) -> None:
    summary = "A summary with <script>alert(1)</script> & ]]> and 🧠."
    rss = strict(files["feeds/rss.xml"]).find("channel/item")
    # RSS <description> is HTML to readers: the text is escaped once more, never markup.
    assert lxml.html.fromstring(rss.findtext("description")).text_content() == summary
    atom = strict(files["feeds/atom.xml"]).find("atom:entry", NS)
    assert atom.find("atom:summary", NS).get("type") == "text"
    assert atom.findtext("atom:summary", namespaces=NS) == summary
    assert json.loads(files["feeds/feed.json"])["items"][0]["summary"] == summary


# --- What the W3C validator checks ------------------------------------------------------

def test_exactly_one_self_link_pointing_at_the_feed(files: dict[str, bytes]) -> None:
    for path, data in xml_feeds(files).items():
        selves = strict(data).xpath("//atom:link[@rel='self']", namespaces=NS)
        assert [link.get("href") for link in selves] == [url(path)], path
    assert json.loads(files["feeds/feed.json"])["feed_url"] == url("feeds/feed.json")


def test_every_rss_item_has_a_permalink_guid(files: dict[str, bytes]) -> None:
    for path, data in xml_feeds(files).items():
        if path.endswith("atom.xml"):
            continue
        items = strict(data).findall("channel/item")
        assert items, path
        for item in items:
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "true"
            assert guid.text == item.findtext("link")


def test_every_atom_entry_has_one_alternate_link_to_its_id(files: dict[str, bytes]) -> None:
    """feedgen 1.0.0 drops entry link attributes; a bare second <link> would read as another
    'alternate' (feedparser then takes the lead image for the article's address)."""
    entries = strict(files["feeds/atom.xml"]).findall("atom:entry", NS)
    assert len(entries) == 3
    for entry in entries:
        alternates = entry.xpath("atom:link[@rel='alternate' and @type='text/html']/@href",
                                 namespaces=NS)
        assert alternates == [entry.findtext("atom:id", namespaces=NS)]
        assert entry.xpath("atom:link[not(@rel)]", namespaces=NS) == []
    for parsed in feedparser.parse(files["feeds/atom.xml"]).entries:
        assert [link.href for link in parsed.links if link.rel == "alternate"] == [parsed.id]


RFC822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
                    r"|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}")


def all_dates(files: dict[str, bytes]) -> list[dt.datetime]:
    found = []
    for path, data in xml_feeds(files).items():
        root = strict(data)
        for text in root.xpath("//pubDate/text() | //lastBuildDate/text()"):
            assert RFC822.fullmatch(text), (path, text)
            found.append(email.utils.parsedate_to_datetime(text))
        for text in root.xpath("//atom:updated/text() | //atom:published/text() "
                               "| //dcterms:modified/text()", namespaces=NS):
            found.append(dt.datetime.fromisoformat(text))
    for item in json.loads(files["feeds/feed.json"])["items"]:
        found += [dt.datetime.fromisoformat(item["date_published"]),
                  dt.datetime.fromisoformat(item["date_modified"])]
    return found


def test_dates_are_rfc822_in_rss_and_plausible_everywhere(files: dict[str, bytes]) -> None:
    dates = all_dates(files)
    assert len(dates) > 20
    assert all(moment.tzinfo is not None for moment in dates)
    low = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
    high = dt.datetime.combine(TODAY + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
    assert all(low <= moment <= high for moment in dates)


def test_rss_author_is_email_with_name(files: dict[str, bytes]) -> None:
    for data in xml_feeds(files).values():
        for author in strict(data).xpath("//item/author/text() | //managingEditor/text()"):
            assert re.fullmatch(r"[^@\s()]+@[^@\s()]+\.[a-z]+ \(.+\)", author), author
    authors = strict(files["feeds/rss.xml"]).xpath("//item/author/text()")
    assert authors[0] == "editors@example.com (Dr. Ana <Ana> O'Neil & Co)"


@pytest.mark.parametrize("address", ["", "Editors <editors@example.com>", "not an address"])
def test_author_without_a_plain_site_email_uses_dc_creator(articles: Path, address: str) -> None:
    cfg = Config(site=SiteConfig(url=SITE, email=address))
    rss = strict(render_feeds(articles, cfg)["feeds/rss.xml"])
    assert rss.xpath("//item/author") == []
    assert rss.xpath("//managingEditor") == []
    creators = rss.xpath("//item/dc:creator/text()",
                         namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
    assert creators[0] == "Dr. Ana <Ana> O'Neil & Co"


# --- Content: absolute, sanitized, with the disclaimer ----------------------------------

def contents(files: dict[str, bytes]) -> list[tuple[str, str]]:
    """(feed path, content HTML) of every entry of every feed."""
    found = []
    for path, data in xml_feeds(files).items():
        root = strict(data)
        found += [(path, text) for text in root.xpath(
            "//content:encoded/text() | //atom:content/text() | //item/description/text()",
            namespaces=NS)]
    found += [("feeds/feed.json", item["content_html"])
              for item in json.loads(files["feeds/feed.json"])["items"]]
    return found


def test_every_url_in_content_is_absolute(files: dict[str, bytes]) -> None:
    urls = []
    for path, html in contents(files):
        for element in lxml.html.fragment_fromstring(html, create_parent="div").iter():
            for name in ("href", "src"):
                if element.get(name) is not None:
                    value = element.get(name)
                    assert re.match(r"(https?://[^\s/]+/|mailto:)\S*$", value), (path, value)
                    urls.append(value)
    assert url("other-post/") in urls  # ../other-post/ from /notes/tricky/
    assert "https://wellness.example.org/about/" in urls  # root-relative
    assert url("tricky/#part") in urls
    assert url("tricky/images/inline%20pic.png") in urls
    assert url("tricky/images/lead.png") in urls
    assert url("rtl/relative/page/") in urls
    assert "mailto:editors@example.org" in urls


def test_no_script_or_event_handler_reaches_any_feed(files: dict[str, bytes]) -> None:
    checked = 0
    for path, html in contents(files):
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
        assert not tree.xpath("//script | //style | //iframe | //svg | //object | //embed"), path
        for element in tree.iter():
            assert not [name for name in element.attrib if name.lower().startswith("on")], path
            for name in ("href", "src"):
                assert not (element.get(name) or "").lower().startswith(("javascript:", "data:"))
        checked += 1
    assert checked > 10
    for data in files.values():
        # Only the summary's "<script>alert(1)</script>", which is text, mentions any of these.
        assert not re.search(rb"alert\([2-5]\)|steal\(\)|evil\.example", data)


def test_every_entry_of_every_feed_carries_the_disclaimer(files: dict[str, bytes]) -> None:
    """Read as a reader sees it (lxml.html's visible text), not by the pipeline's own code."""
    expected = " ".join(STANDARD_DISCLAIMER.split())
    entries = [(path, html) for path, html in contents(files)
               if "<" in html]  # RSS descriptions are the (escaped) summaries
    assert len(entries) == 3 * 3 + sum(
        len(strict(data).findall("channel/item"))
        for path, data in files.items() if path.startswith("feeds/tags/"))
    for path, html in entries:
        text = " ".join(lxml.html.fragment_fromstring(html, create_parent="div")
                        .text_content().split())
        assert expected in text, path


# --- Lead image, channel, length ----------------------------------------------------------

def test_local_lead_image_is_an_enclosure_with_type_and_length(files: dict[str, bytes]) -> None:
    image = url("tricky/images/lead.png")
    rss = strict(files["feeds/rss.xml"])
    tricky, rtl, plain = rss.findall("channel/item")
    enclosure = tricky.find("enclosure")
    assert enclosure.attrib == {"url": image, "length": str(len(PNG)), "type": "image/png"}
    media = tricky.find("media:content", NS)
    assert media.attrib == {"url": image, "fileSize": str(len(PNG)), "type": "image/png",
                            "medium": "image"}
    # A remote image: no length is known, so no enclosure; Media RSS still shows it.
    assert rtl.find("enclosure") is None
    assert rtl.find("media:content", NS).attrib == {
        "url": "https://cdn.example.net/photos/walk.jpg", "type": "image/jpeg", "medium": "image"}
    assert plain.find("enclosure") is None and plain.find("media:content", NS) is None
    atom = strict(files["feeds/atom.xml"]).find("atom:entry", NS)
    link = atom.find("atom:link[@rel='enclosure']", NS)
    assert (link.get("href"), link.get("type"), link.get("length")) == (
        image, "image/png", str(len(PNG)))
    item = json.loads(files["feeds/feed.json"])["items"][0]
    assert item["image"] == image
    assert item["attachments"][0] == {"url": image, "mime_type": "image/png",
                                      "size_in_bytes": len(PNG),
                                      "title": 'A "calm" <room> & plants'}
    parsed = feedparser.parse(files["feeds/rss.xml"]).entries[0]
    assert parsed.enclosures[0]["length"] == str(len(PNG))


def test_channel_elements(files: dict[str, bytes]) -> None:
    channel = strict(files["feeds/rss.xml"]).find("channel")
    assert channel.findtext("title") == "Wellness Notes"
    assert channel.findtext("link") == url("")
    assert channel.findtext("description")
    assert channel.findtext("language") == "en-GB"
    assert channel.find("image") is None
    assert channel.xpath("atom:link[@rel='hub']", namespaces=NS) == []
    atom = strict(files["feeds/atom.xml"])
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    assert atom.findtext("atom:id", namespaces=NS) == url("")
    assert atom.find("atom:icon", NS) is None
    assert "hubs" not in json.loads(files["feeds/feed.json"])


def test_icon_logo_and_websub_hub_when_configured(articles: Path) -> None:
    hub = "https://pubsubhubbub.appspot.com/"
    cfg = Config(site=SiteConfig(url=SITE, logo="images/logo.png"),
                 feeds=FeedsConfig(icon="https://cdn.example.net/icon.png", websub_hub=hub))
    files = render_feeds(articles, cfg)
    for path, data in xml_feeds(files).items():
        hubs = strict(data).xpath("//atom:link[@rel='hub']/@href", namespaces=NS)
        assert hubs == [hub], path
    channel = strict(files["feeds/rss.xml"]).find("channel")
    assert channel.findtext("image/url") == url("images/logo.png")
    assert channel.findtext("image/title") == channel.findtext("title")
    assert channel.findtext("image/link") == channel.findtext("link")
    atom = strict(files["feeds/atom.xml"])
    assert atom.findtext("atom:icon", namespaces=NS) == "https://cdn.example.net/icon.png"
    assert atom.findtext("atom:logo", namespaces=NS) == url("images/logo.png")
    data = json.loads(files["feeds/feed.json"])
    assert data["hubs"] == [{"type": "WebSub", "url": hub}]
    assert data["icon"] == "https://cdn.example.net/icon.png"
    jsonschema.validate(data, SCHEMA)
    for path in ("feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"):
        assert read(files[path]).bozo == 0


def test_feed_length_is_max_items(articles: Path) -> None:
    files = render_feeds(articles, config(max_items=2))
    for path in ("feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"):
        assert [e.id for e in read(files[path]).entries] == EXPECTED_ORDER[:2]
    assert all(len(read(data).entries) <= 2 for data in xml_feeds(files).values())


def test_default_max_items_is_50(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    for day in range(1, 56):
        write(folder, f"post-{day:02d}.md", {"title": f"Post {day}",
                                             "date": f"2026-0{1 + day // 28}-{1 + day % 28:02d}",
                                             "tags": "[walking]"}, "Text.")
    files = render_feeds(folder, Config(site=SiteConfig(url=SITE)))
    for path in ("feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json", feeds.tag_path("walking")):
        assert len(read(files[path]).entries) == 50, path


def test_no_published_articles_means_no_feeds(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write(folder, "later.md", {"title": "Later", "date": "2027-01-01"}, "Text.")
    assert render_feeds(folder, config()) == {}


# --- Through build(): determinism and the artifact check ----------------------------------

def test_feeds_are_byte_identical_across_builds_and_days(articles: Path, tmp_path: Path) -> None:
    cfg = config()
    build(articles, tmp_path / "one", cfg, today=TODAY)
    build(articles, tmp_path / "two", cfg, today=TODAY + dt.timedelta(days=3))
    one, two = tree_digest(tmp_path / "one" / "feeds"), tree_digest(tmp_path / "two" / "feeds")
    assert len(one) == 3 + 9 and one == two


def test_template_dropping_the_disclaimer_fails_every_feed(articles: Path, tmp_path: Path) -> None:
    from pipeline.errors import ArtifactError

    templates = tmp_path / "templates" / "feeds"
    templates.mkdir(parents=True)
    (templates / "entry.html.j2").write_text("<p>{{ article.summary }}</p>")
    with pytest.raises(ArtifactError) as caught:
        render_feeds(articles, config(), templates=templates.parent)
    message = str(caught.value)
    for path in ("feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json",
                 feeds.tag_path("sleep"), feeds.tag_path("Back Pain")):
        assert f"{path}: missing the disclaimer in the entry for" in message


# --- Any text at all ------------------------------------------------------------------------

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60)


@pytest.fixture(scope="module")
def base_context(tmp_path_factory: pytest.TempPathFactory) -> RenderContext:
    folder = make_articles(tmp_path_factory.mktemp("any"))
    cfg = config()
    checked = check_files(find_article_files([folder]), cfg, views=True)
    views = [checked.views[a.path] for a in publishable(checked.articles, TODAY,
                                                        zoneinfo.ZoneInfo(ZONE))]
    return RenderContext(cfg, views, make_environment(None), checked.assets)


@given(title=ANY_TEXT, summary=ANY_TEXT, author=ANY_TEXT, tag=ANY_TEXT, body=ANY_TEXT)
@settings(max_examples=30, deadline=None)  # 1,500 passed once by hand
def test_any_text_gives_well_formed_feeds_that_keep_it(
        base_context: RenderContext, title: str, summary: str, author: str, tag: str,
        body: str) -> None:
    article = base_context.articles[-1]
    html = markup.sanitize(markup.render(markup.parse(body))) + article.html
    view = dataclasses.replace(article, title=title, summary=summary, author=author,
                               tags=(tag,), body=Body(html, article.blocks))
    files = dict(feeds.render(dataclasses.replace(base_context, articles=[view])))
    verify.verify_artifacts(files, dataclasses.replace(base_context, articles=[view]))
    cleaned = NOT_XML.sub("", title)
    expected = cleaned if cleaned.strip() else view.slug  # feeds need a visible title
    clean_tag = NOT_XML.sub("", tag)
    tags = [clean_tag] if clean_tag.strip() else []
    assert sorted(path for path in files if path.startswith("feeds/tags/")) == [
        feeds.tag_path(t) for t in tags]
    for path in ("feeds/rss.xml", "feeds/atom.xml", *map(feeds.tag_path, tags)):
        root = strict(files[path])
        assert root.xpath("//item/title/text() | //atom:entry/atom:title/text()",
                          namespaces=NS) == [expected]
        parsed = feedparser.parse(files[path])
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        # The exact text is judged by the XML parser above: feedparser "repairs" some strings
        # it takes for double-encoded UTF-8 ("Â¡" becomes "¡"), whatever the feed says.
        assert len(parsed.entries) == 1 and parsed.entries[0].title
    data = json.loads(files["feeds/feed.json"])
    jsonschema.validate(data, SCHEMA)
    item = data["items"][0]
    assert (item["title"], item.get("summary", "")) == (expected, NOT_XML.sub("", summary))
    assert item.get("tags", []) == tags
    assert feedparser_rs.parse(files["feeds/feed.json"]).bozo == 0


def test_a_title_that_looks_like_mojibake_is_kept_exactly(tmp_path: Path) -> None:
    """'Â¡' is also what '¡' looks like when UTF-8 is misread as Latin-1; the feeds carry the
    writer's characters all the same (found by the property tests)."""
    import xml.etree.ElementTree as ET

    write_article(tmp_path / "articles", "a.md", title="Â¡Hola!", extra="summary: Hi.")
    build(tmp_path / "articles", tmp_path / "out", Config(site=SiteConfig(url=SITE)), today=TODAY)
    rss = ET.parse(tmp_path / "out" / "feeds" / "rss.xml").getroot()
    atom = ET.parse(tmp_path / "out" / "feeds" / "atom.xml").getroot()
    entry = "{http://www.w3.org/2005/Atom}"
    assert rss.findtext("channel/item/title") == "Â¡Hola!"
    assert atom.findtext(f"{entry}entry/{entry}title") == "Â¡Hola!"
