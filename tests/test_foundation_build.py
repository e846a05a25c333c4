"""Issue 3's build: outputs read back by independent parsers, atomicity and determinism."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import feedparser
import lxml.html
import pytest
import regex
from click.testing import CliRunner
from twitter_text import parse_tweet

from pipeline.build import build
from pipeline.cli import cli
from pipeline.config import STANDARD_DISCLAIMER, Config, NewsletterConfig, SiteConfig
from pipeline.errors import ArtifactError, ContentError, UsageError
from tests.helpers import tree_digest, write_article

TODAY = dt.date(2026, 6, 1)
SITE = "https://wellness.example.org"


def normalized(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    for day, slug in [(3, "older-post"), (20, "newest-post"), (10, "middle-post")]:
        write_article(articles, f"{slug}.md", title=f"Post on day {day} & <friends>",
                      date=f"2026-05-{day:02d}", extra=f"summary: Summary of day {day}.\n"
                      "tags: [neck-pain, self care]",
                      body="Body with a [relative link](../other/) and <script>alert(1)</script>"
                           '<img src="https://example.com/x.png" alt="x" onerror=alert(2)> text.')
    write_article(articles, "a-draft.md", title="Draft", extra="draft: true")
    write_article(articles, "scheduled.md", title="Future", date="2026-07-01")
    return tmp_path


def run(project: Path, **config: object) -> Path:
    output = project / "output"
    build(project / "articles", output, Config(site=SiteConfig(url=SITE), **config), today=TODAY)
    return output


def test_rss_read_by_feedparser(project: Path) -> None:
    output = run(project)
    feed = feedparser.parse((output / "feeds/rss.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert [e.link for e in feed.entries] == [
        f"{SITE}/newest-post/", f"{SITE}/middle-post/", f"{SITE}/older-post/"]
    entry = feed.entries[0]
    assert entry.title == "Post on day 20 & <friends>"
    assert entry.id == f"{SITE}/newest-post/"
    assert entry.published_parsed[:3] == (2026, 5, 20)
    assert {t.term for t in entry.tags} == {"neck-pain", "self care"}
    assert entry.author_detail.name == "The Editors"
    content = entry.content[0].value
    visible = lxml.html.fromstring(content).text_content()
    assert normalized(STANDARD_DISCLAIMER) in normalized(visible)
    assert f'href="{SITE}/other/"' in content  # relative link made absolute
    assert "<script" not in content and "onerror" not in content and "alert(1)" not in content
    assert feed.feed.updated_parsed[:3] == (2026, 5, 20)  # newest article, not the clock


def test_newsletter_html_parsed(project: Path) -> None:
    output = run(project, newsletter=NewsletterConfig(max_articles=2))
    doc = lxml.html.fromstring((output / "email/newsletter.html").read_bytes())
    text = normalized(doc.text_content())
    assert "post on day 20 & <friends>" in text and "post on day 10" in text
    assert "post on day 3" not in text  # only the newest two
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert f"{SITE}/newest-post/" in hrefs and f"{SITE}/middle-post/" in hrefs
    assert "{{unsubscribe_url}}" in hrefs
    assert normalized(STANDARD_DISCLAIMER) in text
    assert not doc.xpath("//script")


def test_newsletter_text_is_written_for_text(project: Path) -> None:
    output = run(project)
    text = (output / "email/newsletter.txt").read_text(encoding="utf-8")
    assert "<" not in text.replace("<friends>", "")  # no HTML tags
    assert f"{SITE}/newest-post/" in text
    assert normalized(STANDARD_DISCLAIMER) in normalized(text)
    assert max(len(line) for line in text.splitlines()) <= 78
    assert "Unsubscribe" in text


def test_social_snippets_within_limits(project: Path) -> None:
    output = run(project)
    posts = json.loads((output / "social/newest-post.json").read_text(encoding="utf-8"))

    def text(value: object) -> str:
        return value if isinstance(value, str) else value["text"]  # type: ignore[index]

    url = f"{SITE}/newest-post/"
    assert parse_tweet(text(posts["x"])).weightedLength <= 280
    assert len(regex.findall(r"\X", text(posts["bluesky"]))) <= 300
    assert len(text(posts["mastodon"]).replace(url, "x" * 23)) <= 500
    assert len(text(posts["linkedin"])) <= 3000
    for post in posts.values():
        if isinstance(post, str | dict) and text(post):
            assert url in text(post)


def test_drafts_and_scheduled_are_not_published(project: Path) -> None:
    output = run(project)
    everything = b"".join((output / p).read_bytes() for p in tree_digest(output))
    assert b"/a-draft/" not in everything and b"/scheduled/" not in everything
    assert not (output / "social/a-draft.json").exists()


@pytest.mark.parametrize("zone,published", [("UTC", True), ("Pacific/Kiritimati", False)])
def test_timezone_decides_what_today_is(tmp_path: Path, zone: str, published: bool) -> None:
    # 01:00 on 2 June at UTC+14 is 11:00 on 1 June in UTC: already out in UTC, not yet at +14.
    write_article(tmp_path / "articles", "late.md", date="2026-06-02T01:00:00+14:00")
    config = Config(site=SiteConfig(url=SITE, timezone=zone))
    result = build(tmp_path / "articles", tmp_path / "out", config, today=dt.date(2026, 6, 1))
    assert (result.published, result.scheduled) == (
        (["late"], []) if published else ([], ["late"]))


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    first = tree_digest(run(project))
    shutil.rmtree(project / "output")
    assert tree_digest(run(project)) == first


def test_failed_build_leaves_output_untouched(project: Path) -> None:
    output = run(project)
    before = tree_digest(output)
    write_article(project / "articles", "broken.md", disclaimer=False)
    with pytest.raises(ContentError) as info:
        run(project)
    assert [f.rule for f in info.value.findings if f.severity == "error"] == [
        "disclaimer-missing"]
    assert tree_digest(output) == before
    # Beside the output only the cache of the successful build: no temporary folder left.
    assert sorted(p.name for p in project.iterdir()) == [".pipeline-cache", "articles", "output"]


def test_template_that_drops_disclaimer_fails_loudly(project: Path) -> None:
    output = run(project)
    before = tree_digest(output)
    user_templates = project / "templates" / "email"
    user_templates.mkdir(parents=True)
    (user_templates / "newsletter.txt.j2").write_text("{% for a in articles %}{{ a.title }}\n"
                                                      "{% endfor %}")
    with pytest.raises(ArtifactError, match=r"newsletter\.txt"):
        build(project / "articles", output, Config(site=SiteConfig(url=SITE)),
              templates_dir=project / "templates", today=TODAY)
    assert tree_digest(output) == before


def test_traversal_slug_is_rejected_and_nothing_escapes(tmp_path: Path) -> None:
    articles = tmp_path / "project" / "articles"
    write_article(articles, "evil.md", extra='slug: "../../escaped"')
    with pytest.raises(ContentError) as info:
        build(articles, tmp_path / "project" / "output", Config(), today=TODAY)
    assert info.value.findings[0].rule == "front-matter"
    assert not (tmp_path / "escaped").exists()
    # Only the build's own cache may appear beside the articles: no output, nothing elsewhere.
    assert sorted(p.name for p in tmp_path.rglob("*")
                  if ".pipeline-cache" not in p.parts) == ["articles", "evil.md", "project"]


def test_output_folder_that_is_not_ours_is_refused(project: Path) -> None:
    precious = project / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not made by pipeline build"):
        build(project / "articles", precious, Config(), today=TODAY)
    with pytest.raises(UsageError):
        build(project / "articles", project / "articles", Config(), today=TODAY)
    assert (precious / "notes.txt").read_text() == "keep me"


def test_cli_build_prints_what_it_wrote(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "pipeline.toml").write_text(f'[site]\nurl = "{SITE}"\n')
    result = CliRunner().invoke(cli, ["build", "--verbose"])
    assert result.exit_code == 0, result.output
    assert "wrote output/feeds/rss.xml" in result.output
    # The CLI's today is the real one: the article dated 2026-07-01 is out by now.
    assert "4 articles published, 1 draft and 0 scheduled skipped" in result.output
    quiet = CliRunner().invoke(cli, ["build", "--quiet"])
    assert quiet.exit_code == 0 and "published" not in quiet.output  # only problems
    assert (project / "output/email/newsletter.html").is_file()


@pytest.mark.parametrize("toml,words", [
    ('[site]\nurl = "not a url"\n', "site.url"),
    ('[site]\ntitel = "x"\n', "site.titel: unknown key"),
    ("[newsletter]\nmax_articles = 0\n", "newsletter.max_articles"),
    ("[site\n", "invalid TOML"),
])
def test_bad_config_exits_2_naming_the_key(project: Path, monkeypatch: pytest.MonkeyPatch,
                                           toml: str, words: str) -> None:
    monkeypatch.chdir(project)
    (project / "pipeline.toml").write_text(toml)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2
    assert words in result.output
    assert not (project / "output").exists()


def test_missing_explicit_config_is_an_error(project: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(project / "articles"), "--config",
                                      str(project / "missing.toml")])
    assert result.exit_code == 2 and "config file not found" in result.output


def test_version_and_help() -> None:
    from pipeline import __version__

    assert __version__ in CliRunner().invoke(cli, ["--version"]).output
    help_text = CliRunner().invoke(cli, ["--help"]).output
    assert "build" in help_text and "check" in help_text
