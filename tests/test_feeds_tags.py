"""Issue 6: one RSS feed per tag, with a safe, stable, collision-free file name for any tag."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path, PurePosixPath

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import build
from pipeline.config import Config, SiteConfig
from pipeline.render import feeds
from tests.test_feeds import (
    EXPECTED_ORDER,
    NS,
    SITE,
    TODAY,
    TRICKY_TAGS,
    config,
    make_articles,
    render_feeds,
    strict,
    url,
    write,
)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return make_articles(tmp_path)


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*(--[0-9a-f]{12})?")


@given(st.text(min_size=1, max_size=300))
@settings(max_examples=400, deadline=None)
def test_any_tag_gives_a_plain_safe_file_name(tag: str) -> None:
    slug = feeds.tag_slug(tag)
    assert SLUG.fullmatch(slug), (tag, slug)
    assert len(slug) <= 60
    path = PurePosixPath(feeds.tag_path(tag))
    assert path.parent == PurePosixPath("feeds/tags") and path.suffix == ".xml"
    assert slug.lower() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
@settings(max_examples=400, deadline=None)
def test_distinct_tags_never_share_a_file(one: str, two: str) -> None:
    same_tag = unicodedata.normalize("NFC", one) == unicodedata.normalize("NFC", two)
    assert (feeds.tag_slug(one) == feeds.tag_slug(two)) == same_tag


# Worked out by hand from the rule in the README and feeds.py, not by the code under test: a
# plain lowercase ASCII slug is its own name; any other tag is its ASCII letters and digits
# joined by '-' (at most 40, or "tag"), then "--" and the first 12 hex digits of the SHA-256 of
# its NFC text in UTF-8, as coreutils computes it: printf '%s' 'Back Pain' | sha256sum.
EXPECTED_SLUGS = {
    "massage": "massage",
    "chronic-pain": "chronic-pain",
    "back-pain": "back-pain",
    "sleep": "sleep",
    "Back Pain": "back-pain--ec6e43125e77",
    "back/pain": "back-pain--3e03e9837bbf",
    "back pain": "back-pain--d741a108a442",
    "..": "tag--5ec1f7e700f3",
    ".": "tag--cdb4ee2aea69",
    "a.b": "a-b--2e7336dc8eba",
    "日本語": "tag--77710aedc74e",
    "über": "uber--b51c85417044",
    "💪": "tag--c5b4d4877f80",
    "con": "con--1143da2bc54c",
    "a" * 61: "a" * 40 + "--35d5fc17cfbb",
    # Decomposed (NFD) accents: the same name as the composed "café" (850f7dc43910), not the
    # hash of its own bytes (81ef060bcd98).
    unicodedata.normalize("NFD", "café"): "cafe--850f7dc43910",
}


@pytest.mark.parametrize("tag", sorted(EXPECTED_SLUGS), ids=ascii)
def test_names_are_the_ones_the_rule_gives(tag: str) -> None:
    assert feeds.tag_slug(tag) == EXPECTED_SLUGS[tag]
    assert feeds.tag_path(tag) == f"feeds/tags/{EXPECTED_SLUGS[tag]}.xml"


def test_names_do_not_depend_on_the_process(tmp_path: Path) -> None:
    """The same names from fresh interpreters with other string-hash seeds: a name made from
    Python's hash() or an object's id would pass any comparison inside one process."""
    rng = random.Random(16)
    tags = [*EXPECTED_SLUGS, *("".join(rng.choice("aB é/.💪日-_ ") for _ in range(12))
                                for _ in range(200))]
    (tmp_path / "tags.json").write_text(json.dumps(tags), encoding="utf-8")
    here = [feeds.tag_slug(tag) for tag in tags]
    script = ("import json, sys; from pipeline.render import feeds; "
              "print(json.dumps([feeds.tag_slug(t) for t in json.load(open(sys.argv[1]))]))")
    for seed in ("0", "1", "4242"):
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "tags.json")],
                              capture_output=True, text=True, check=True, timeout=60,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert json.loads(done.stdout) == here, seed


def test_one_feed_per_distinct_tag_with_exactly_its_articles(articles: Path) -> None:
    files = render_feeds(articles, config())
    tag_files = sorted(path for path in files if path.startswith("feeds/tags/"))
    expected_tags = [*TRICKY_TAGS, "sleep"]
    assert tag_files == sorted(f"feeds/tags/{EXPECTED_SLUGS[tag]}.xml" for tag in expected_tags)
    members = {"Back Pain": EXPECTED_ORDER[:2], "sleep": EXPECTED_ORDER[1:]}
    for tag in expected_tags:
        path = feeds.tag_path(tag)
        feed = feedparser.parse(files[path])
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert [entry.id for entry in feed.entries] == members.get(tag, EXPECTED_ORDER[:1])
        assert feed.feed.title == f"Wellness Notes: {tag}"
        # The archive's tag page, e.g. https://wellness.example.org/notes/tags/back-pain--ec6e…/
        assert feed.feed.link == f"{SITE}/tags/{EXPECTED_SLUGS[tag]}/"
        channel = strict(files[path]).find("channel")
        assert channel.xpath("atom:link[@rel='self']/@href", namespaces=NS) == [url(path)]
        assert all(tag in [t.term for t in entry.tags] for entry in feed.entries)


def test_tags_written_alike_are_one_feed(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    composed, decomposed = "café", unicodedata.normalize("NFD", "café")
    write(folder, "one.md", {"title": "One", "date": "2026-05-01", "tags": f"[{composed}]"}, "x")
    write(folder, "two.md", {"title": "Two", "date": "2026-05-02", "tags": f"[{decomposed}]"},
          "y")
    files = render_feeds(folder, config())
    tag_files = [path for path in files if path.startswith("feeds/tags/")]
    assert tag_files == [feeds.tag_path(composed)]
    assert [e.id for e in feedparser.parse(files[tag_files[0]]).entries] == [
        url("two/"), url("one/")]


def test_tag_feeds_hold_the_newest_max_items(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    for day in range(1, 6):
        write(folder, f"post-{day}.md", {"title": f"Post {day}", "date": f"2026-05-0{day}",
                                         "tags": "[walking]"}, "Text.")
    files = render_feeds(folder, config(max_items=3))
    entries = feedparser.parse(files[feeds.tag_path("walking")]).entries
    assert [e.id for e in entries] == [url(f"post-{day}/") for day in (5, 4, 3)]


def test_build_writes_tag_feeds_inside_the_output_folder(articles: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build(articles, output, Config(site=SiteConfig(url=SITE)), today=TODAY)
    written = sorted(p for p in (output / "feeds" / "tags").rglob("*") if p.is_file())
    assert len(written) == len(TRICKY_TAGS) + 1
    for path in written:
        assert path.parent == output / "feeds" / "tags"
        assert path.resolve().is_relative_to(output.resolve())
        assert SLUG.fullmatch(path.stem)
    assert not (tmp_path / "feeds").exists() and not (output / "feeds" / "..xml").exists()


def test_build_date_does_not_change_tag_feeds(articles: Path, tmp_path: Path) -> None:
    one = render_feeds(articles, config())
    # A later build day (before the scheduled article is due) changes nothing.
    build(articles, tmp_path / "out", config(), today=TODAY + dt.timedelta(days=29))
    for path, data in one.items():
        assert (tmp_path / "out" / path).read_bytes() == data, path
