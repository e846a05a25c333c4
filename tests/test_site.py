"""Issue 8: the web archive under output/site/, read back with lxml's HTML parser,
ElementTree (sitemap) and json (JSON-LD); links are followed on disk like a browser would."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from pipeline.articles import find_article_files
from pipeline.build import build
from pipeline.checks.runner import check_files, check_paths
from pipeline.cli import cli
from pipeline.config import STANDARD_DISCLAIMER, Config, RuleConfig, SiteConfig
from pipeline.errors import ArtifactError, ContentError
from pipeline.render import feeds, site
from pipeline.render.context import RenderContext
from pipeline.render.templates import make_environment
from tests.helpers import tree_digest, write_article

TODAY = dt.date(2026, 6, 1)
SITE = "https://wellness.example.org"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                       "60e6kgAAAABJRU5ErkJggg==")
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
HOSTILE_TITLE = "Breathe </script><script>alert(1)</script> <!-- & 'relax'"
ODD_TAGS = ["../../etc", "a/b", ".", "..", "Back Pain", "back-pain", "健康", "CON", "%2e%2e",
            "\\evil", "💪"]


def normalized(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def config(**site: object) -> Config:
    return Config(site=SiteConfig(url=site.pop("url", SITE), **site))  # type: ignore[arg-type]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def make_project(root: Path) -> Path:
    """Five plain posts, a draft, and one article with images, odd tags and a hostile title."""
    articles = root / "articles"
    for day in range(1, 6):
        write_article(articles, f"post-{day}.md", title=f"Post {day}", date=f"2026-05-0{day}",
                      extra=f"summary: Summary {day}.\ntags: [sleep, Back Pain]")
    (articles / "images").mkdir()
    (articles / "images" / "hero.png").write_bytes(PNG)
    (articles / "images" / "inline pic.gif").write_bytes(GIF)
    write_article(articles, "with-images.md", title=HOSTILE_TITLE, date="2026-05-20",
                  extra="summary: Images & more.\nimage: images/hero.png\n"
                        "image_alt: A calm lake at dawn\nauthor: Dr. Ana O'Neil\n"
                        f"tags: {json.dumps(ODD_TAGS, ensure_ascii=False)}\n"
                        "updated: 2026-05-22",
                  body="# " + "Section heading\n\n" + "word " * 460 + "\n\n"
                       "![A diagram](images/inline%20pic.gif)\n\n"
                       '<img src="images/hero.png" alt="again">\n\n'
                       "[Other post](../post-1/)\n\n"
                       "| Technique | Pressure | Notes |\n|---|---|---|\n"
                       "| Deep tissue | Firm | https://example.org/a/very/long/address/that/"
                       "never/breaks/by/itself/on/a/narrow/phone/screen/at/all |\n\n"
                       "```\nconst aVeryLongLineOfCodeThatWouldOverflowAPhoneScreen = "
                       "'if nothing scrolled it';\n```\n\n> A quote to set apart.")
    write_article(articles, "a-draft.md", title="Draft", extra="draft: true")
    return root


def run(project: Path, cfg: Config | None = None, name: str = "output") -> Path:
    output = project / name
    build(project / "articles", output, cfg or config(per_page=2), today=TODAY)
    return output / "site"


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def visible_text(doc: lxml.html.HtmlElement) -> str:
    body = doc.find("body")
    for hidden in body.xpath(".//script|.//style"):
        hidden.drop_tree()
    return normalized(body.text_content())


def meta(doc: lxml.html.HtmlElement, key: str) -> list[str]:
    return doc.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')


def html_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_layout_of_the_archive(project: Path) -> None:
    root = run(project)
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert {"index.html", "page/2/index.html", "page/3/index.html", "404.html", "sitemap.xml",
            "robots.txt", "style.css", "tags/index.html", "tags/sleep/index.html",
            "with-images/index.html", "with-images/images/hero.png",
            "with-images/images/inline pic.gif"} <= files
    assert {f"post-{day}/index.html" for day in range(1, 6)} <= files
    assert "page/4/index.html" not in files
    assert not any(name.startswith("a-draft") for name in files), "drafts stay unpublished"
    assert (root / "with-images/images/hero.png").read_bytes() == PNG
    assert (root / "with-images/images/inline pic.gif").read_bytes() == GIF


def test_index_is_newest_first_and_paginated(project: Path) -> None:
    root = run(project)
    order, page, seen_pages = [], root / "index.html", 0
    while True:
        doc = parse(page)
        seen_pages += 1
        order += [a.get("href").split("/")[-2] for a in doc.xpath("//ul[@class='post-list']//h2/a")]
        older = doc.xpath('//a[@rel="next"]/@href')
        if not older:
            break
        page = Path(os.path.normpath(page.parent / older[0])) / "index.html"
        newer = parse(page).xpath('//a[@rel="prev"]/@href')[0]
        assert Path(os.path.normpath(page.parent / newer)).exists()
    assert seen_pages == 3
    assert order == ["with-images", "post-5", "post-4", "post-3", "post-2", "post-1"]
    assert parse(root / "page/3/index.html").xpath("//h1")[0].text_content() == \
        "Articles, page 3 of 3"


def test_every_relative_link_and_image_resolves_to_a_built_file(project: Path) -> None:
    root = run(project)
    for page in html_pages(root):
        if page.name == "404.html":
            continue  # its links start at the site root: checked in the next test
        doc = parse(page)
        for url in doc.xpath("//a/@href|//img/@src|//link[@rel='stylesheet']/@href"):
            parts = urlsplit(url)
            if parts.scheme or url.startswith("#"):
                continue
            target = Path(os.path.normpath(page.parent / unquote(parts.path)))
            assert target.is_relative_to(root), (page, url)
            assert target.is_file() or (target / "index.html").is_file(), (page, url)


def test_404_links_start_at_the_base_path_of_the_site_url(project: Path) -> None:
    root = run(project, config(url="https://example.org/blog"))
    doc = parse(root / "404.html")
    links = doc.xpath("//a/@href|//link[@rel='stylesheet']/@href")
    assert links and all(url.startswith(("/blog/", "https:", "#")) for url in links), links
    assert meta(doc, "robots") == ["noindex"]
    article = parse(root / "post-1/index.html")
    assert article.xpath("//link[@rel='canonical']/@href") == ["https://example.org/blog/post-1/"]


def test_article_page_has_what_readers_and_sharers_need(project: Path) -> None:
    root = run(project)
    doc = parse(root / "with-images/index.html")
    url = f"{SITE}/with-images/"
    assert [h.text_content() for h in doc.xpath("//h1")] == [HOSTILE_TITLE]
    for landmark in ("header", "nav", "main", "footer"):
        assert doc.xpath(f"//{landmark}"), landmark
    assert doc.xpath("//html/@lang") == ["en"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    text = visible_text(doc)
    assert normalized(STANDARD_DISCLAIMER) in text
    assert "dr. ana o'neil" in text and "20 may 2026" in text and "3 min read" in text
    assert meta(doc, "og:title") == meta(doc, "twitter:title") == [HOSTILE_TITLE]
    assert meta(doc, "og:description") == meta(doc, "twitter:description") == ["Images & more."]
    assert meta(doc, "og:url") == [url] and meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:image") == meta(doc, "twitter:image") == [f"{url}images/hero.png"]
    assert meta(doc, "og:image:alt") == meta(doc, "twitter:image:alt") == ["A calm lake at dawn"]
    assert meta(doc, "twitter:card") == ["summary_large_image"]
    assert meta(doc, "article:modified_time") == ["2026-05-22T00:00:00+00:00"]
    hero = doc.xpath("//figure[@class='hero']/img")[0]
    assert hero.get("alt") == "A calm lake at dawn" and hero.get("src") == "images/hero.png"
    assert all(img.get("alt") is not None for img in doc.xpath("//img"))


def test_json_ld_is_an_article_and_no_title_can_close_its_script(project: Path) -> None:
    doc = parse(run(project) / "with-images/index.html")
    scripts = doc.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"], "one script, no more"
    data = json.loads(scripts[0].text)
    assert data["@type"] == "Article" and data["@context"] == "https://schema.org"
    assert data["headline"] == HOSTILE_TITLE
    assert data["author"] == {"@type": "Person", "name": "Dr. Ana O'Neil"}
    assert data["datePublished"] == "2026-05-20T00:00:00+00:00"
    assert data["dateModified"] == "2026-05-22T00:00:00+00:00"
    assert data["image"] == [f"{SITE}/with-images/images/hero.png"]
    assert data["mainEntityOfPage"]["@id"] == f"{SITE}/with-images/"
    assert "</script" not in scripts[0].text and "<!--" not in scripts[0].text


def test_page_keeps_one_h1_when_the_body_uses_h1(project: Path) -> None:
    doc = parse(run(project) / "with-images/index.html")
    assert len(doc.xpath("//h1")) == 1
    assert [h.text_content() for h in doc.xpath("//h2")][:1] == ["Section heading"]


def test_disclaimer_paragraph_is_marked_to_stand_out(project: Path) -> None:
    for page in (run(project)).glob("*/index.html"):
        if page.parent.name in ("tags", "page", "newsletter"):
            continue
        marked = parse(page).xpath("//p[@class='disclaimer']")
        assert len(marked) == 1 and normalized(STANDARD_DISCLAIMER) in normalized(
            marked[0].text_content()), page


def test_tag_folders_are_safe_for_any_tag_text(project: Path) -> None:
    root = run(project)
    tags_root = (root / "tags").resolve()
    folders = [p for p in tags_root.iterdir() if p.is_dir()]
    for folder in folders:
        assert folder.resolve().parent == tags_root
        assert folder.name not in (".", "..") and folder.name.isascii()
    article = parse(root / "with-images/index.html")
    links = article.xpath("//ul[@class='tags']//a")
    assert sorted(a.text_content() for a in links) == sorted(ODD_TAGS)
    for link in links:
        target = Path(os.path.normpath(root / "with-images" / link.get("href")))
        assert target.parent == tags_root and (target / "index.html").is_file()
        listing = parse(target / "index.html")
        assert link.text_content() in listing.xpath("//h1")[0].text_content()
        assert "with-images/" in " ".join(listing.xpath("//main//a/@href"))
    assert not (root.parent / "etc").exists() and not (root / "etc").exists()


def test_topics_index_lists_every_tag_with_a_count(project: Path) -> None:
    doc = parse(run(project) / "tags/index.html")
    entries = [normalized(li.text_content()) for li in doc.xpath("//ul[@class='tag-index']/li")]
    assert "sleep (5)" in entries and "back pain (6)" in entries


def test_feed_autodiscovery_links_the_feeds_the_build_wrote(project: Path) -> None:
    root = run(project)
    doc = parse(root / "post-1/index.html")
    links = {(link.get("type"), link.get("href")) for link in doc.xpath("//link[@rel='alternate']")}
    assert links == {("application/rss+xml", f"{SITE}/feeds/rss.xml"),
                     ("application/atom+xml", f"{SITE}/feeds/atom.xml"),
                     ("application/feed+json", f"{SITE}/feeds/feed.json")}
    for _, href in links:
        assert (root.parent / href.removeprefix(f"{SITE}/")).is_file()
    tag_page = parse(root / "tags/sleep/index.html")
    first = tag_page.xpath("//link[@rel='alternate']/@href")[0]
    assert first == f"{SITE}/feeds/tags/sleep.xml"
    assert (root.parent / "feeds/tags/sleep.xml").is_file()


def test_pages_announce_exactly_the_site_feeds_the_feeds_renderer_writes(
        project: Path) -> None:
    cfg = config()
    checked = check_files(find_article_files([project / "articles"]), cfg, views=True)
    ctx = RenderContext(cfg, [checked.views[a.path] for a in checked.articles if not a.draft],
                        make_environment(None))
    written = set(dict(feeds.render(ctx)))
    doc = lxml.html.fromstring(dict(site.render(ctx))["site/index.html"])
    announced = doc.xpath("//link[@rel='alternate']/@href")
    assert announced and {href.removeprefix(f"{SITE}/") for href in announced} <= written
    assert {path for path in written if "/tags/" not in path} == {
        href.removeprefix(f"{SITE}/") for href in announced}


def test_site_with_no_published_articles(tmp_path: Path) -> None:
    write_article(tmp_path / "articles", "draft.md", title="Draft", extra="draft: true")
    root = run(tmp_path)
    doc = parse(root / "index.html")
    assert "no articles yet" in visible_text(doc)
    assert doc.xpath("//link[@rel='alternate']") == [], "no feed was written, none is linked"
    assert (root / "404.html").is_file() and (root / "sitemap.xml").is_file()


def test_sitemap_and_robots(project: Path) -> None:
    root = run(project)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.fromstring((root / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    assert locs[0] == f"{SITE}/"
    assert {f"{SITE}/post-{day}/" for day in range(1, 6)} | {f"{SITE}/with-images/",
                                                             f"{SITE}/tags/sleep/"} <= set(locs)
    assert len(locs) == len(set(locs))
    for url in tree.findall("s:url", ns):
        loc = url.findtext("s:loc", namespaces=ns)
        assert loc.startswith(f"{SITE}/") and " " not in loc
        path = urlsplit(loc).path
        assert (root / unquote(path).lstrip("/") / "index.html").is_file(), loc
        lastmod = url.findtext("s:lastmod", namespaces=ns)
        assert lastmod is None or dt.datetime.fromisoformat(lastmod).tzinfo is not None
    lastmod = {url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
               for url in tree.findall("s:url", ns)}
    assert lastmod[f"{SITE}/with-images/"] == "2026-05-22T00:00:00+00:00"
    robots = (root / "robots.txt").read_text()
    assert "User-agent: *" in robots and f"Sitemap: {SITE}/sitemap.xml" in robots


def test_newsletter_and_feed_links_point_at_the_article_pages(project: Path) -> None:
    root = run(project)
    newsletter = lxml.html.fromstring((root.parent / "email/newsletter.html").read_bytes())
    for href in newsletter.xpath("//a/@href"):
        if href.startswith(f"{SITE}/") and "unsubscribe" not in href:
            path = urlsplit(href).path
            assert (root / path.lstrip("/") / "index.html").is_file(), href
    rss = ET.fromstring((root.parent / "feeds/rss.xml").read_bytes())
    for link in rss.iter("link"):
        path = urlsplit(link.text or "").path
        assert (root / path.lstrip("/") / "index.html").is_file() or path == "/", link.text


def test_reading_time(project: Path) -> None:
    root = run(project)
    assert "1 min read" in visible_text(parse(root / "post-1/index.html"))
    assert "3 min read" in visible_text(parse(root / "with-images/index.html"))  # 460+ words


def test_output_is_byte_identical_across_builds(project: Path) -> None:
    first = tree_digest(run(project, name="one"))
    assert first == tree_digest(run(project, name="two"))


def test_no_preview_script_in_built_pages(project: Path) -> None:
    for page in html_pages(run(project)):
        assert b"EventSource" not in page.read_bytes() and b"_events" not in page.read_bytes()


@pytest.mark.parametrize(("src", "message"), [
    ("../outside.png", "leaves the article's folder"),
    ("images/..%2F..%2Foutside.png", "leaves the article's folder"),
    ("/etc/hosts.png", "absolute path"),
    ("images/missing.png", "does not exist"),
    ("images/fake.png", "not a PNG file"),
    ("images/link.png", "symbolic link"),
    ("images/drawing.svg", "SVG"),
    ("images/notes.txt", "not a supported image type"),
])
def test_images_that_cannot_be_published_are_errors_with_their_line(
        tmp_path: Path, src: str, message: str) -> None:
    articles = tmp_path / "articles"
    (articles / "images").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(PNG)
    (articles / "images" / "fake.png").write_bytes(b"<html>not an image</html>")
    (articles / "images" / "drawing.svg").write_text("<svg onload='alert(1)'/>")
    (articles / "images" / "notes.txt").write_text("text")
    os.symlink(tmp_path / "outside.png", articles / "images" / "link.png")
    post = write_article(articles, "post.md", body=f"Intro.\n\n![alt]({src})")
    image_line = post.read_text().splitlines().index(f"![alt]({src})") + 1
    with pytest.raises(ContentError) as caught:
        build(articles, tmp_path / "output", config(), today=TODAY)
    found = [f for f in caught.value.findings if f.rule == "image"]
    assert len(found) == 1 and message in found[0].message, found
    assert found[0].path.endswith("post.md") and found[0].line == image_line
    assert not (tmp_path / "output").exists()
    result = CliRunner().invoke(cli, ["check", str(articles)])
    assert result.exit_code == 1 and f"post.md:8:1: error image image '{src}'" in result.output


def test_front_matter_image_problems_point_at_its_key(tmp_path: Path) -> None:
    write_article(tmp_path / "articles", "post.md", extra="image: pics/none.webp")
    with pytest.raises(ContentError) as caught:
        build(tmp_path / "articles", tmp_path / "output", config(), today=TODAY)
    (found,) = [f for f in caught.value.findings if f.rule == "image"]
    assert found.line == 4 and "does not exist" in found.message


def test_remote_images_are_left_alone(tmp_path: Path) -> None:
    write_article(tmp_path / "articles", "post.md",
                  extra="image: https://cdn.example.net/a.jpg\nimage_alt: Remote",
                  body="![x](https://cdn.example.net/b.png)")
    root = run(tmp_path)
    doc = parse(root / "post/index.html")
    assert doc.xpath("//figure[@class='hero']/img")[0].get("src") == "https://cdn.example.net/a.jpg"
    assert sorted(p.name for p in (root / "post").iterdir()) == ["index.html"]


def test_reserved_slug_is_refused_by_check_and_build(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write_article(articles, "tags.md")
    write_article(articles, "other.md", extra="slug: page")
    reported = [(Path(f.path).name, f.line, f.message) for f in
                check_paths([articles], config()).findings if f.rule == "duplicate-slug"]
    assert reported == [
        ("other.md", 4, "slug 'page' (from its 'slug') is the web archive's own page/ folder; "
                        "give the article another 'slug:'"),
        ("tags.md", 1, "slug 'tags' (from its file name) is the web archive's own tags/ "
                       "folder; give the article another 'slug:'")]
    with pytest.raises(ContentError) as refused:
        build(articles, tmp_path / "output", config(), today=TODAY)
    assert [f.rule for f in refused.value.findings if f.severity == "error"] == [
        "duplicate-slug", "duplicate-slug"]
    # With the rule switched off, the archive itself still refuses to overwrite its folders.
    lenient = config().model_copy(update={"check": config().check.model_copy(update={
        "rules": {"duplicate-slug": RuleConfig(severity="off")}})})
    with pytest.raises(ContentError, match="'page', 'tags' are used by the web archive"):
        build(articles, tmp_path / "output", lenient, today=TODAY)
    assert not (tmp_path / "output").exists()


def test_templates_are_overridable_and_still_verified(project: Path) -> None:
    templates = project / "templates" / "site"
    templates.mkdir(parents=True)
    (templates / "style.css").write_text("body { color: teal; }\n")
    (templates / "index.html.j2").write_text(
        '{% extends "site/base.html.j2" %}{% block content %}<h1>Our own</h1>{% endblock %}')
    output = project / "output"
    build(project / "articles", output, config(), templates_dir=project / "templates",
          today=TODAY)
    assert parse(output / "site/index.html").xpath("//h1")[0].text == "Our own"
    assert (output / "site/style.css").read_text() == "body { color: teal; }\n"
    (templates / "article.html.j2").write_text(
        '{% extends "site/base.html.j2" %}{% block content %}<h1>{{ article.title }}</h1>'
        "{% endblock %}")
    # Whichever article's page is proven first names the template's fault.
    with pytest.raises(ArtifactError,
                       match=r"site/(post-1|with-images)/index\.html: missing the disclaimer"):
        build(project / "articles", project / "other", config(),
              templates_dir=project / "templates", today=TODAY)


def test_disclaimer_hidden_in_head_does_not_count(project: Path) -> None:
    templates = project / "templates" / "site"
    templates.mkdir(parents=True)
    (templates / "article.html.j2").write_text(
        '{% extends "site/base.html.j2" %}{% block meta %}<meta name="x" content="'
        '{{ article.disclaimer }}">{% endblock %}{% block content %}<h1>x</h1>{% endblock %}')
    with pytest.raises(ArtifactError):
        build(project / "articles", project / "output", config(),
              templates_dir=project / "templates", today=TODAY)


def test_every_page_has_one_h1_landmarks_and_a_language(project: Path) -> None:
    for page in html_pages(run(project)):
        doc = parse(page)
        assert len(doc.xpath("//h1")) == 1, page
        assert doc.xpath("//main") and doc.xpath("//header") and doc.xpath("//footer"), page
        assert doc.xpath("//html/@lang") == ["en"] and doc.xpath("//title")[0].text, page
        assert doc.xpath("//meta[@name='viewport']"), page


def test_stylesheet_supports_dark_mode_and_is_small(project: Path) -> None:
    css = (run(project) / "style.css").read_text()
    assert "@media (prefers-color-scheme: dark)" in css
    assert len(css.encode()) < 12_000


def test_tag_slug_never_leaves_the_tags_folder() -> None:
    for name in [*ODD_TAGS, "", " ", "/", "..\\..", "a\x00b", "...."]:
        folder = PurePosixPath(site.tag_folder(name))
        assert folder.parts[0] == "tags" and len(folder.parts) == 2
        assert folder.parts[1] not in ("", ".", ".."), name


def test_relative_links_in_the_body_keep_working(project: Path) -> None:
    root = run(project)
    doc = parse(root / "with-images/index.html")
    href = doc.xpath("//a[text()='Other post']/@href")[0]
    assert urljoin(f"{SITE}/with-images/", href) == f"{SITE}/post-1/"
