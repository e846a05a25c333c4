"""Property tests: titles, summaries and tags full of emoji, CJK, RTL text, combining marks and
very long words still give posts that every platform takes as they are."""

from __future__ import annotations

import dataclasses
import string

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twitter_text import extract_urls_with_indices, parse_tweet

from pipeline.config import Config
from pipeline.render import social
from pipeline.render.context import ArticleView, RenderContext
from pipeline.render.social_platforms import (
    cluster_count,
    hashtag,
    mastodon_length,
    threads_length,
    x_length,
)
from pipeline.render.templates import make_environment
from tests.test_social import SHORT, base_view  # noqa: F401  (a fixture)
from tests.test_social_oracles import clusters, mastodon_count, problems, threads_count

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
EMOJI = ["😀", "👍🏽", "❤️", "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "🇯🇵", "🇫🇷", "1️⃣",
         "🧑🏽\u200d⚕️", "❤️\u200d🔥", "🐦\u200d🔥", "©"]
CJK = "首の痛みを和らげる方法専門家意見筋肉睡眠한국어건강。、「」"
RTL = "ألمالرقبةفيالعملכאבצווארבעבודה"
MARKS = [chr(code) for code in range(0x300, 0x370)]
INDIC = ["क्ष", "त्र", "स्वा", "स्थ्य", "ज्ञ", "क", "ि"]

latin = st.text(string.ascii_letters + "éüßøÆ'-", min_size=1, max_size=12)
word = st.one_of(
    latin,
    latin,
    st.text(string.ascii_letters, min_size=40, max_size=300),  # a very long word
    st.lists(st.sampled_from(EMOJI), min_size=1, max_size=8).map("".join),
    st.text(CJK, min_size=1, max_size=60),
    st.text(RTL, min_size=1, max_size=12).map(lambda w: w + "\u200f"),
    st.tuples(st.sampled_from(string.ascii_letters),
              st.lists(st.sampled_from(MARKS), min_size=1, max_size=4)).map(
        lambda pair: pair[0] + "".join(pair[1])),
    st.lists(st.sampled_from(INDIC), min_size=1, max_size=6).map("".join),
    latin.map(lambda w: "#" + w),
    latin.map(lambda w: f"https://example.org/{w}?q=1"),
    latin.map(lambda w: f"www.{w.strip(chr(39) + '-') or 'a'}.com"),
    st.sampled_from([",", "—", "(see", "note)", '"quoted"', "e.g.", "Dr.", "…", "?", "!"]),
)
words = st.lists(word, min_size=1, max_size=70).map(" ".join)
sentence = st.tuples(words, st.sampled_from([".", "!", "?", "。", ""])).map("".join)
titles = words.filter(lambda text: text.strip())
summaries = st.lists(sentence, max_size=6).map(" ".join)
tags = st.lists(st.one_of(latin, st.text(CJK, min_size=1, max_size=8),
                          st.tuples(latin, latin).map("-".join),
                          st.text(string.digits, min_size=1, max_size=4)), max_size=6)


def _cluster_ends(text: str) -> set[int]:
    return {match.end() for match in regex.finditer(r"\X", text)} | {0}


def _inside_link_or_tag(text: str, at: int) -> bool:
    spans = [tuple(url["indices"]) for url in extract_urls_with_indices(text)]
    spans += [match.span() for match in regex.finditer(r"[#＃@][\p{L}\p{M}\p{N}_]+", text)]
    return any(start < at < end for start, end in spans)


def assert_cut_of(piece: str, whole: str) -> None:
    """``piece`` is ``whole``, or a start of it ending on a whole cluster (with an ellipsis when
    not at a sentence end), never inside a URL or hashtag."""
    stem = piece.removesuffix("…").rstrip(" ") if piece != whole else piece
    assert whole.startswith(stem), (piece, whole)
    assert len(stem) in _cluster_ends(whole), (piece, whole)
    assert not _inside_link_or_tag(whole, len(stem)), (piece, whole)


def _article(base: ArticleView, title: str, summary: str, tag_list: list[str]) -> ArticleView:
    return dataclasses.replace(base, title=title, summary=summary, tags=tuple(tag_list))


@SETTINGS
@given(title=titles, summary=summaries, tag_list=tags)
def test_every_post_fits_and_cuts_cleanly(base_view: ArticleView,  # noqa: F811
                                          title: str, summary: str, tag_list: list[str]) -> None:
    article = _article(base_view, title, summary, tag_list)
    ctx = RenderContext(Config(), [article], make_environment(None))
    clean_title, clean_hook = " ".join(title.split()), " ".join(summary.split())
    hashtags = {hashtag(tag) for tag in tag_list}
    for post in social.snippets(ctx)[article.slug]:
        assert problems(post.platform, post.text) == [], (post.platform, post.text)
        assert SHORT in post.text
        assert regex.search(rf"(?:^|\s){regex.escape(post.link)}(?:\s|$)", post.text)
        paragraphs = post.text.split("\n\n")
        material = [p for p in paragraphs if SHORT not in p and post.link not in p
                    and not p.startswith("• ") and not set(p.split()) <= hashtags]
        if material and clean_title:
            assert_cut_of(material[0], clean_title)
        if len(material) > 1 and clean_hook != clean_title:
            assert_cut_of(material[1], clean_hook)
        if post.platform == "bluesky":
            data = post.text.encode("utf-8")
            facets = social.bluesky_facets(post.text, post.link)
            slices = [data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode("utf-8")
                      for f in facets]
            assert post.link in slices
            for piece, facet in zip(slices, facets, strict=True):
                feature = facet["features"][0]
                if feature["$type"].endswith("#tag"):
                    assert piece == "#" + feature["tag"]
                else:
                    assert piece == feature["uri"]


text_pieces = st.lists(st.one_of(word, st.sampled_from([" ", "\n", "  ", " \u0301", "\r\n"])),
                       max_size=40).map("".join)


@SETTINGS
@given(text=text_pieces)
def test_counts_match_the_platform_libraries(text: str) -> None:
    assert x_length(text) == parse_tweet(text).weightedLength
    assert cluster_count(text) >= clusters(text)
    assert cluster_count(text) >= len(regex.findall(r"\X", text))
    assert mastodon_length(text) >= mastodon_count(text)
    assert threads_length(text) >= threads_count(text)


@pytest.mark.parametrize("title", [
    "x" * 350,
    ("A fairly ordinary headline that keeps going " * 8)[:350],
    "".join(EMOJI) * 30,
])
def test_a_350_character_title_or_one_of_emoji_fits(base_view: ArticleView,  # noqa: F811
                                                   title: str) -> None:
    article = _article(base_view, title, title, ["neck-pain"])
    ctx = RenderContext(Config(), [article], make_environment(None))
    for post in social.snippets(ctx)[article.slug]:
        assert problems(post.platform, post.text) == []
        assert SHORT in post.text and post.link in post.text
