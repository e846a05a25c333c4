"""Social snippets: every post of every article fits its platform as the platform counts it."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest
import regex
from click.testing import CliRunner

from pipeline.articles import load_articles
from pipeline.build import build
from pipeline.cli import cli
from pipeline.config import Config, SocialConfig, load_config
from pipeline.errors import ArtifactError, ConfigError, TemplateError
from pipeline.render import every_file, social
from pipeline.render.context import ArticleView, RenderContext, make_view
from pipeline.render.social_platforms import PLATFORMS, cluster_count, hashtag
from pipeline.render.social_text import shortenings
from pipeline.render.templates import make_environment
from tests.helpers import write_article
from tests.test_social_oracles import problems

ROOT = Path(__file__).resolve().parent.parent
SHORT = "General information, not medical advice."
# app.bsky.richtext.facet, as its lexicon defines it (byte offsets, byteEnd exclusive).
FACET_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object", "required": ["index", "features"], "additionalProperties": False,
        "properties": {
            "index": {"type": "object", "required": ["byteStart", "byteEnd"],
                      "additionalProperties": False,
                      "properties": {"byteStart": {"type": "integer", "minimum": 0},
                                     "byteEnd": {"type": "integer", "minimum": 0}}},
            "features": {"type": "array", "minItems": 1, "items": {"oneOf": [
                {"type": "object", "required": ["$type", "uri"], "additionalProperties": False,
                 "properties": {"$type": {"const": "app.bsky.richtext.facet#link"},
                                "uri": {"type": "string", "format": "uri"}}},
                {"type": "object", "required": ["$type", "tag"], "additionalProperties": False,
                 "properties": {"$type": {"const": "app.bsky.richtext.facet#tag"},
                                "tag": {"type": "string", "minLength": 1,
                                        "maxLength": 640}}}]}},
        },
    },
}


def views_of(folder: Path, config: Config) -> list[ArticleView]:
    return [make_view(result.article, config) for result in load_articles([folder], config)
            if result.article is not None]


def context(views: list[ArticleView], config: Config | None = None,
            templates: Path | None = None) -> RenderContext:
    return RenderContext(config or Config(), views, make_environment(templates))


def assert_posts_as_is(article: ArticleView, posts: list[social.Snippet], short: str = SHORT
                       ) -> None:
    assert [post.platform for post in posts] == list(PLATFORMS)
    for post in posts:
        assert problems(post.platform, post.text) == [], post.text
        assert short in post.text, (post.platform, post.text)
        assert regex.search(rf"(?:^|\s){regex.escape(post.link)}(?:\s|$)", post.text), post.text
        assert post.link.startswith(article.url)


@pytest.fixture(scope="module")
def base_view(tmp_path_factory: pytest.TempPathFactory) -> ArticleView:
    folder = tmp_path_factory.mktemp("base")
    write_article(folder, "base.md", title="Base", extra="summary: Base summary.")
    return views_of(folder, Config())[0]


def one(base: ArticleView, **changes: object) -> ArticleView:
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# --- The bundled articles ----------------------------------------------------------------------

def test_every_bundled_article_posts_as_is_on_every_platform() -> None:
    config = Config()
    views = views_of(ROOT / "articles", config)
    assert views, "articles/ holds the bundled articles"
    found = social.snippets(context(views, config))
    for article in views:
        posts = found[article.slug]
        assert_posts_as_is(article, posts)
        by_name = {post.platform: post.text for post in posts}
        assert 80 <= len(by_name["facebook"]) <= 250
        # LinkedIn's longer post: the title, then two or three points of the article.
        assert by_name["linkedin"].startswith(article.title)
        points = by_name["linkedin"].count("\n• ")
        assert points <= 3
        if article.html.count("<h2") >= 3:  # its sections' headings (not the disclaimer's)
            assert points >= 2, by_name["linkedin"]


def test_build_writes_a_json_per_article_and_a_csv_for_schedulers(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write_article(articles, "neck-pain-at-work.md", title="Neck pain at work",
                  date="2026-03-02T08:30:00+01:00",
                  extra='summary: "Small changes help. Move often, and set the screen high."\n'
                        "tags: [neck-pain, ergonomics]")
    write_article(articles, "sleep.md", title="Sleep and pain", date="2026-02-01")
    result = build(articles, tmp_path / "out", Config(), today=dt.date(2026, 4, 1))
    assert {"social/neck-pain-at-work.json", "social/sleep.json",
            "social/snippets.csv"} <= set(result.files)

    document = json.loads((tmp_path / "out/social/neck-pain-at-work.json").read_text("utf-8"))
    assert list(document) == ["x", "bluesky", "bluesky_facets", "mastodon", "threads",
                              "linkedin", "facebook"]
    assert all(isinstance(document[name], str) for name in PLATFORMS)
    jsonschema.validate(document["bluesky_facets"], FACET_SCHEMA)

    raw = (tmp_path / "out/social/snippets.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert list(rows[0]) == ["slug", "platform", "text", "link", "scheduled_date"]
    assert [(row["slug"], row["platform"]) for row in rows] == [
        (slug, name) for slug in ("neck-pain-at-work", "sleep") for name in PLATFORMS]
    for row in rows[:6]:
        assert row["text"] == document[row["platform"]]  # newlines survive the quoting
        assert "\n" in row["text"]
        assert dt.datetime.fromisoformat(row["scheduled_date"]) == dt.datetime(
            2026, 3, 2, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        assert row["link"] == "https://example.com/neck-pain-at-work/"


def test_outputs_are_byte_identical_across_runs(tmp_path: Path) -> None:
    views = views_of(ROOT / "articles", Config())
    assert dict(every_file(social, context(views))) == dict(every_file(social, context(views)))


# --- Hashtags ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "expected"), [
    ("neck-pain", "#NeckPain"),
    ("mental health", "#MentalHealth"),
    ("women's health", "#WomensHealth"),
    ("COVID-19", "#COVID19"),
    ("sleep_hygiene", "#SleepHygiene"),
    ("首の痛み", "#首の痛み"),
    ("ألم الرقبة", "#ألمالرقبة"),
    ("straße", "#Straße"),
    ("ßport", "#ßport"),
    ("2024", None),
    ("#!?", None),
    ("  ", None),
    ("a" * 51, None),
])
def test_tags_become_hashtags_every_platform_accepts(tag: str, expected: str | None) -> None:
    assert hashtag(tag) == expected


def test_hashtags_go_before_prose_and_respect_each_platforms_number(base_view: ArticleView
                                                                    ) -> None:
    summary = ("Moving every half hour eases a stiff neck. A screen at eye level keeps the head "
               "back. Short walks help the upper back more than stretches alone do, for most "
               "people at their desks all day.")
    article = one(base_view, title="Neck pain at work", summary=summary,
                  tags=("neck-pain", "ergonomics", "office", "posture", "work"))
    config = Config(social=SocialConfig(max_hashtags=2, platforms={"mastodon": {
        "max_hashtags": 5}}))
    posts = {post.platform: post.text for post in social.snippets(context([article], config))[
        article.slug]}
    assert posts["mastodon"].endswith("#NeckPain #Ergonomics #Office #Posture #Work")
    assert posts["linkedin"].endswith("#NeckPain #Ergonomics")
    assert posts["threads"].count("#") == 1  # Threads takes one topic tag
    # X: all the prose fits only without hashtags, so they went first.
    assert summary in posts["x"] and "#" not in posts["x"]
    assert problems("x", posts["x"] + " #NeckPain") != []  # not even one would fit


def test_no_hashtags_when_configured_none(base_view: ArticleView) -> None:
    article = one(base_view, tags=("neck-pain",))
    config = Config(social=SocialConfig(max_hashtags=0))
    assert all("#" not in post.text
               for post in social.snippets(context([article], config))[article.slug])


# --- Links, UTM, facets ------------------------------------------------------------------------

def test_links_carry_each_platforms_utm_and_bluesky_facets_slice_them(base_view: ArticleView
                                                                      ) -> None:
    article = one(base_view, title="Heat or ice?", tags=("sore-muscles",))
    config = Config(social=SocialConfig(utm={
        "x": {"source": "x", "medium": "social", "campaign": "launch"},
        "bluesky": {"source": "bluesky", "medium": "social"}}))
    files = dict(every_file(social, context([article], config)))
    document = json.loads(files[social.json_path(article.slug)])
    assert "https://example.com/base/?utm_source=x&utm_medium=social&utm_campaign=launch" in (
        document["x"])
    assert "https://example.com/base/\n" in document["mastodon"] + "\n"  # not configured: bare
    text = document["bluesky"].encode("utf-8")
    slices = [(text[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode(), f["features"][0])
              for f in document["bluesky_facets"]]
    link = "https://example.com/base/?utm_source=bluesky&utm_medium=social"
    assert (link, {"$type": "app.bsky.richtext.facet#link", "uri": link}) in slices
    assert ("#SoreMuscles", {"$type": "app.bsky.richtext.facet#tag", "tag": "SoreMuscles"}) in (
        slices)
    rows = list(csv.DictReader(io.StringIO(files[social.CSV_PATH].decode(), newline="")))
    assert {row["platform"]: row["link"] for row in rows}["bluesky"] == link


def test_facets_use_utf8_byte_offsets_after_emoji_and_cjk() -> None:
    link = "https://example.com/a/"
    text = f"👨‍👩‍👧 首の痛み\n{link} #首の痛み #Neck"
    facets = social.bluesky_facets(text, link)
    jsonschema.validate(facets, FACET_SCHEMA)
    data = text.encode()
    assert [data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() for f in facets] == [
        link, "#首の痛み", "#Neck"]


# --- Configuration -----------------------------------------------------------------------------

@pytest.mark.parametrize(("toml", "words"), [
    ("[social.utm.twitter]\nsource = 'x'\n", ["twitter", "x, bluesky"]),
    ("[social.platforms.myspace]\nmax_hashtags = 1\n", ["myspace"]),
    ("[social]\nshort_disclaimer = '  '\n", ["short_disclaimer", "empty"]),
    ("[social.platforms.x]\nmax_length = 0\n", ["max_length"]),
])
def test_bad_social_settings_name_the_key(tmp_path: Path, toml: str, words: list[str]) -> None:
    path = tmp_path / "pipeline.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    for word in words:
        assert word in str(caught.value)


def test_a_servers_own_limit_and_a_custom_short_disclaimer(base_view: ArticleView) -> None:
    long = "Long enough to need cutting, sentence after sentence, on a small server. " * 12
    article = one(base_view, summary=long.strip())
    config = Config(social=SocialConfig(short_disclaimer="Not medical advice.",
                                        platforms={"mastodon": {"max_length": 200}}))
    posts = {p.platform: p for p in social.snippets(context([article], config))[article.slug]}
    assert posts["mastodon"].limit == 200 and posts["mastodon"].length <= 200
    assert all("Not medical advice." in post.text for post in posts.values())


# --- Templates ---------------------------------------------------------------------------------

def test_user_templates_override_and_may_transform_the_material(tmp_path: Path,
                                                                base_view: ArticleView) -> None:
    (tmp_path / "social").mkdir()
    (tmp_path / "social/x.txt.j2").write_text(
        "NEW: {{ title | upper }}\n\n{{ hook }}\n\n{{ link }}\n{{ short_disclaimer }}\n")
    article = one(base_view, title="Heat or ice for sore muscles " * 8,
                  summary="Which helps, and when. " * 10)
    posts = social.snippets(context([article], templates=tmp_path))[article.slug]
    x_post = posts[0].text
    assert x_post.startswith("NEW: HEAT OR ICE FOR SORE MUSCLES")
    assert x_post.split("\n")[0].endswith("…")
    assert problems("x", x_post) == []


def test_a_template_too_long_for_any_post_is_named(tmp_path: Path, base_view: ArticleView
                                                   ) -> None:
    (tmp_path / "social").mkdir()
    (tmp_path / "social/bluesky.txt.j2").write_text(
        "{{ title }}\n" + "Our clinic is open every weekday. " * 10 + "{{ short_disclaimer }}")
    with pytest.raises(TemplateError) as caught:
        social.snippets(context([base_view], templates=tmp_path))
    message = str(caught.value)
    assert str(tmp_path / "social/bluesky.txt.j2") in message
    assert "300" in message and "shorten" in message


def test_a_template_error_names_file_and_line(tmp_path: Path, base_view: ArticleView) -> None:
    (tmp_path / "social").mkdir()
    (tmp_path / "social/threads.txt.j2").write_text("{{ title }}\n{{ nonsense }}\n")
    with pytest.raises(TemplateError, match=r"threads\.txt\.j2:2"):
        social.snippets(context([base_view], templates=tmp_path))


def test_a_template_that_drops_the_short_disclaimer_fails_the_build(tmp_path: Path) -> None:
    write_article(tmp_path / "articles", "calm.md", title="Calm", date="2026-01-05")
    templates = tmp_path / "templates"
    (templates / "social").mkdir(parents=True)
    (templates / "social/facebook.txt.j2").write_text("{{ title }} {{ link }}\n")
    with pytest.raises(ArtifactError) as caught:
        build(tmp_path / "articles", tmp_path / "out", Config(), templates_dir=templates,
              today=dt.date(2026, 2, 1))
    assert "social/calm.json" in str(caught.value)
    assert "social/facebook.txt.j2" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_cli_build_reports_an_unfit_template_with_exit_1(tmp_path: Path) -> None:
    write_article(tmp_path / "articles", "calm.md", title="Calm", date="2026-01-05")
    (tmp_path / "templates/social").mkdir(parents=True)
    (tmp_path / "templates/social/x.txt.j2").write_text("{{ title }}" + " padding" * 60)
    (tmp_path / "pipeline.toml").write_text("[site]\ntitle = 'Calm'\n")  # templates/ beside it
    result = CliRunner().invoke(cli, ["build", "--articles", str(tmp_path / "articles"),
                                      "--output", str(tmp_path / "out"),
                                      "--config", str(tmp_path / "pipeline.toml")])
    assert result.exit_code == 1, result.output
    assert "x.txt.j2" in result.output and "Traceback" not in result.output


# --- Cutting -----------------------------------------------------------------------------------

def test_cuts_keep_whole_sentences_then_whole_words_with_an_ellipsis() -> None:
    text = "Move often. Dr. Lee says so, e.g. at work. Then rest."
    cuts = shortenings(text)
    assert cuts[:2] == ["Move often. Dr. Lee says so, e.g. at work.", "Move often."]
    assert cuts[2] == "Move…"  # then words of the first sentence
    assert cuts[-1] == "M…"  # a first word too long alone: whole clusters


def test_cuts_never_split_clusters_urls_or_hashtags() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    for cut in shortenings(family * 20):
        assert cut.endswith("…") and cut[:-1] == family * (len(cut[:-1]) // len(family))
    flags = "🇯🇵🇫🇷" * 10
    for cut in shortenings(flags):
        assert len(cut[:-1]) % 2 == 0 and cut[:-1] == flags[: len(cut) - 1]
    accents = "e\u0301" * 30
    assert all(len(cut[:-1]) % 2 == 0 for cut in shortenings(accents))
    assert shortenings("https://example.com/a/very/long/path") == []
    assert shortenings("#VeryLongHashtagIndeed") == []
    cuts = shortenings("首の痛みを和らげる方法です。次の文です。")
    assert cuts[0] == "首の痛みを和らげる方法です。"
    assert "首の痛み…" in cuts  # CJK cuts between clusters


def test_counts_include_what_older_clients_split() -> None:
    assert cluster_count("क्ष") == 2  # graphemer (atproto before 2025) splits the conjunct
    assert cluster_count("e\u0301 a") == 3
    assert cluster_count(" \u0301x") == 2  # a mark after a space joins it


# --- Hostile titles ----------------------------------------------------------------------------

HOSTILE = {
    "long-title": ("Remedial massage " * 20 + "and chronic pain" * 2)[:350],
    "emoji": "👨\u200d👩\u200d👧\u200d👦🇯🇵❤️\u200d🔥🏳️\u200d🌈🧑🏽\u200d⚕️" * 40,
    "cjk": "首の痛みを和らげるための十の方法と専門家の意見" * 12,
    "rtl": "ألم الرقبة في العمل: خمس تغييرات صغيرة تساعد " * 8,
    "hebrew": "כאב צוואר בעבודה " * 25,
    "marks": "Z\u0351\u0352a\u0301\u0302l\u0304go " * 40,
    "word": "Pneumonoultramicroscopicsilicovolcanoconiosis" * 8,
    "indic": "क्षत्रिय स्वास्थ्य " * 30,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_titles_fit_everywhere(kind: str, base_view: ArticleView) -> None:
    title = HOSTILE[kind]
    article = one(base_view, slug=kind, url=f"https://example.com/{kind}/", title=title,
                  summary=title + ". " + title, tags=(title[:30], "neck-pain"))
    posts = social.snippets(context([article]))[kind]
    assert_posts_as_is(article, posts)


def test_the_spreadsheet_proof_names_a_missing_post_and_a_post_without_the_disclaimer(
        base_view: ArticleView) -> None:
    import csv
    import io

    articles = [one(base_view, title="Heat or ice?"), one(base_view, title="Desk stretches")]
    articles = [dataclasses.replace(a, slug=f"post-{i}") for i, a in enumerate(articles)]
    ctx = context(articles)
    data = dict(every_file(social, ctx))[social.CSV_PATH]
    assert social.verify_csv(data, ctx) == []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    kept = [row for row in rows if row[:2] != ["post-1", "x"]]  # the X post of post-1 is gone
    for row in kept:
        if row[:2] == ["post-0", "mastodon"]:
            row[2] = row[2].replace(SHORT, "")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(kept)
    assert social.verify_csv(out.getvalue().encode("utf-8"), ctx) == [
        "the x post for 'post-1'",
        "the short disclaimer in the mastodon post for 'post-0' (template social/mastodon.txt.j2)"]
