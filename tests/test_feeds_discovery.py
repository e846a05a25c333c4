"""Issue 6: feed autodiscovery for HTML pages, feed settings, and the feeds through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import jsonschema
import lxml.html
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.config import Config, SiteConfig, load_config
from pipeline.errors import ConfigError
from pipeline.render import feeds
from pipeline.render.templates import make_environment
from tests.test_feeds import SCHEMA, SITE, make_articles, render_feeds

TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json"]


def head_links(html: str) -> list[lxml.html.HtmlElement]:
    return lxml.html.document_fromstring(
        f"<html><head>{html}</head><body></body></html>").xpath("//link[@rel='alternate']")


def test_discovery_html_announces_the_three_feeds() -> None:
    config = Config(site=SiteConfig(url=SITE, title='Notes "&" <more>'))
    links = head_links(feeds.discovery_html(make_environment(None), config))
    assert [link.get("type") for link in links] == TYPES
    assert [link.get("href") for link in links] == [
        f"{SITE}/feeds/rss.xml", f"{SITE}/feeds/atom.xml", f"{SITE}/feeds/feed.json"]
    # Attribute values survive a real HTML parser exactly (escaped, not cut at the quote).
    assert links[0].get("title") == 'Notes "&" <more> (RSS)'


def test_a_tag_page_announces_its_own_feed_first() -> None:
    config = Config(site=SiteConfig(url=SITE))
    links = head_links(feeds.discovery_html(make_environment(None), config, tag="Back Pain"))
    assert len(links) == 4
    # Written out from the naming rule (tests/test_feeds_tags.py: EXPECTED_SLUGS), not asked
    # of feeds.tag_path: the page must link the file the feed renderer writes.
    assert links[0].get("href") == f"{SITE}/feeds/tags/back-pain--ec6e43125e77.xml"
    assert links[0].get("type") == "application/rss+xml"
    assert links[0].get("title") == "Wellness Notes: Back Pain (RSS)"


def test_a_publication_can_override_the_discovery_template(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "autodiscovery.html.j2").write_text(
        '{% for link in feed_links if "rss" in link.type %}'
        '<link rel="alternate" type="{{ link.type }}" href="{{ link.href }}">{% endfor %}')
    links = head_links(feeds.discovery_html(make_environment(tmp_path), Config()))
    assert [link.get("type") for link in links] == ["application/rss+xml"]


def test_every_built_html_page_links_feeds_that_exist(tmp_path: Path) -> None:
    """Wherever the build writes an HTML page, its feed links lead to feeds it wrote."""
    articles = make_articles(tmp_path)
    (tmp_path / "pipeline.toml").write_text(f'[site]\nurl = "{SITE}"\n')
    result = CliRunner().invoke(cli, ["build", "--verbose", "--articles", str(articles),
                                      "--output",
                                      str(tmp_path / "out"), "--config",
                                      str(tmp_path / "pipeline.toml")])
    assert result.exit_code == 0, result.output
    output = tmp_path / "out"
    for name in ("feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"):
        assert f"{output / name}" in result.output
    pages = sorted((output / "site").rglob("*.html"))
    assert len(pages) > 10  # index, 3 articles, tag pages, 404
    for page in pages:
        links = lxml.html.fromstring(page.read_bytes()).xpath(
            "//head/link[@rel='alternate'][@type]")
        assert links, page
        for link in links:
            target = output / link.get("href").removeprefix(f"{SITE}/")
            assert target.is_file(), (page, link.get("href"))
    tag_pages = [p for p in pages if "tags" in p.relative_to(output / "site").parts[:1]
                 and p.parent.name != "tags"]
    assert len(tag_pages) >= 9
    for page in tag_pages:
        # tags/<name>/index.html and tags/<name>/page/2/index.html: the feed of that same name.
        name = page.relative_to(output / "site").parts[1]
        first = lxml.html.fromstring(page.read_bytes()).xpath("//head/link[@rel='alternate']")[0]
        assert first.get("href") == f"{SITE}/feeds/tags/{name}.xml", page
    for name in ("feeds/rss.xml", "feeds/atom.xml"):
        assert feedparser.parse((output / name).read_bytes()).bozo == 0
    # Each tag feed's channel link is the archive's page for that tag, and that page exists.
    tag_feeds = sorted((output / "feeds" / "tags").glob("*.xml"))
    assert len(tag_feeds) == 9
    for feed in tag_feeds:
        link = feedparser.parse(feed.read_bytes()).feed.link
        assert (output / "site" / link.removeprefix(f"{SITE}/") / "index.html").is_file(), link


@pytest.mark.parametrize(("toml", "message"), [
    ('[feeds]\nwebsub_hub = "ftp://hub.example.com/"', "feeds.websub_hub: must be an absolute"),
    ('[feeds]\nwebsub_hub = "hub.example.com"', "feeds.websub_hub: must be an absolute"),
    ('[feeds]\nicon = "javascript:alert(1)"', "feeds.icon: must be an http(s) URL or a path"),
    ("[feeds]\nmax_items = 0", "feeds.max_items"),
    ("[feeds]\nmax_item = 5", "feeds.max_item: unknown key"),
])
def test_bad_feed_settings_are_named_with_their_line(tmp_path: Path, toml: str,
                                                     message: str) -> None:
    path = tmp_path / "pipeline.toml"
    path.write_text("# feeds\n" + toml + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}:3: {message}" in str(caught.value)


def test_good_feed_settings_load(tmp_path: Path) -> None:
    path = tmp_path / "pipeline.toml"
    path.write_text('[feeds]\nmax_items = 20\nwebsub_hub = "https://pubsubhubbub.appspot.com/"\n'
                    'icon = "images/icon.png"\n')
    loaded = load_config(path).feeds
    assert (loaded.max_items, loaded.websub_hub, loaded.icon) == (
        20, "https://pubsubhubbub.appspot.com/", "images/icon.png")


def test_empty_site_title_and_description_still_give_valid_feeds(tmp_path: Path) -> None:
    config = Config(site=SiteConfig(url=SITE, title="", description=" ", author=""))
    files = render_feeds(make_articles(tmp_path), config)
    for path in ("feeds/rss.xml", "feeds/atom.xml"):
        feed = feedparser.parse(files[path])
        assert feed.bozo == 0
        assert feed.feed.title == SITE
        assert feed.feed.subtitle == SITE
        assert feed.entries[-1].author_detail.name == SITE
    data = json.loads(files["feeds/feed.json"])
    jsonschema.validate(data, SCHEMA)
    assert data["authors"][0]["name"] == SITE


def test_email_web_version_announces_the_feeds(tmp_path: Path) -> None:
    articles = make_articles(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--articles", str(articles), "--output",
                                      str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    head = lxml.html.fromstring((tmp_path / "out/email/newsletter.html").read_bytes()).find("head")
    links = head.xpath("link[@rel='alternate']")
    assert {link.get("type") for link in links} == {
        "application/rss+xml", "application/atom+xml", "application/feed+json"}
    for link in links:
        target = tmp_path / "out" / link.get("href").split("/", 3)[3]
        assert target.is_file(), link.get("href")
