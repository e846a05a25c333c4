"""image-alt, title-length, summary-missing and readability: fixtures with positions, and the
reading-ease counts checked against textstat itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st
from textstat.backend.counts import _count_syllables
from textstat.backend.utils import constants

from pipeline.checks import readability
from pipeline.checks.runner import check_paths
from pipeline.config import CheckConfig, Config
from tests.helpers import FIXTURES, write_article

REPO = Path(__file__).resolve().parent.parent

CHECKS = FIXTURES / "checks"


def found(path: Path, rule: str, config: Config | None = None) -> list[tuple[int, int]]:
    return [(f.line, f.col) for f in check_paths([path], config or Config()).findings
            if f.rule == rule]


def column(path: Path, line: int, text: str) -> tuple[int, int]:
    return line, path.read_text(encoding="utf-8").splitlines()[line - 1].index(text) + 1


def test_image_alt_fixture() -> None:
    path = CHECKS / "image-alt.md"
    findings = [f for f in check_paths([path], Config()).findings if f.rule == "image-alt"]
    assert [(f.line, f.col) for f in findings] == [
        (5, 1),  # front-matter 'image' without 'image_alt'
        column(path, 8, "![]("),
        column(path, 10, "![image]"),
        column(path, 10, "<img"),
    ]
    assert [f.end_col for f in findings[1:]] == [
        column(path, 8, "jpg)")[1] + 4, column(path, 10, "two.jpg)")[1] + 8,
        column(path, 10, '">.')[1] + 2]
    assert "image_alt" in findings[0].message
    assert {f.severity for f in findings} == {"error"}


def key_line(path: Path, key: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1)
                if line.startswith(f"{key}:"))


@pytest.mark.parametrize("extra,key", [
    ("image: https://example.org/a.jpg\nimage_alt: A runner stretching a calf", None),
    ("image: https://example.org/a.jpg\nimage_alt: photo", "image_alt"),
    ("image: https://example.org/a.jpg\nimage_alt: ''", "image"),
])
def test_front_matter_image_alt(tmp_path: Path, extra: str, key: str | None) -> None:
    path = write_article(tmp_path, "a.md", extra=extra)
    assert found(path, "image-alt") == ([(key_line(path, key), 1)] if key else [])


def test_title_length_and_summary_missing() -> None:
    path = CHECKS / "editorial.md"
    findings = {f.rule: f for f in check_paths([path], Config()).findings}
    title = findings["title-length"]
    assert (title.line, title.col, title.end_line, title.end_col) == (2, 9, 2, 93)
    assert "84 characters" in title.message and title.severity == "warning"
    summary = findings["summary-missing"]
    assert (summary.line, summary.col, summary.severity) == (4, 1, "warning")


def test_title_limit_is_configurable_and_exactly_70_passes(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", title="x" * 70)
    assert found(path, "title-length") == []
    path = write_article(tmp_path, "a.md", title="x" * 71)
    assert found(path, "title-length") == [(2, 9)]  # title: 'xxx...': the first x
    loose = Config(check=CheckConfig(max_title_length=80))
    assert found(path, "title-length", loose) == []


def test_readability_fixture_names_the_hardest_paragraph() -> None:
    path = CHECKS / "editorial.md"
    findings = [f for f in check_paths([path], Config()).findings if f.rule == "readability"]
    assert [(f.line, f.col, f.severity) for f in findings] == [(6, 1, "warning")]
    assert "below the floor of 30" in findings[0].message
    assert "hardest paragraph, line 6" in findings[0].message


def test_readability_floor_is_configurable(tmp_path: Path) -> None:
    plain = " ".join(["We walk a little each day. It helps us feel good."] * 12)
    path = write_article(tmp_path, "a.md", body=plain)
    assert found(path, "readability") == []
    line = path.read_text().splitlines().index(plain) + 1
    assert found(path, "readability", Config(check=CheckConfig(readability_floor=121))) == [
        (line, 1)]


def test_short_articles_are_not_scored(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", body="Notwithstanding multidisciplinary "
                         "considerations, individualised rehabilitation predominates.")
    assert found(path, "readability") == []


SAMPLES = [
    "Massage may ease pain for a short time. Many studies are small. Ask your GP first!",
    "Remedial massage is a hands-on treatment for the muscles, tendons, ligaments and "
    "fascia. Fascia is the thin connective tissue that wraps around muscles and organs.",
    "It's not clear why. Don't worry: you'll be fine, won't you? O'Neill's clinic isn't far.",
    "Notwithstanding considerable heterogeneity, practitioners increasingly recommend "
    "individualised multidisciplinary rehabilitation incorporating manual therapy.",
    "Yes. No. Maybe so. Walk 3.5 km at 9 a.m. on day 2 - then rest - and re-test.",
    "'Quoted' words and \"double quotes\" and well-being, self-care, e-mail.",
]


def test_constants_are_textstats() -> None:
    english = constants.LANG_CONFIGS["en"]
    assert {key: english[key] for key in readability.ENGLISH} == readability.ENGLISH
    assert readability.NON_CONTRACTION_APOSTROPHE == constants.RE_NONCONTRACTION_APOSTROPHE


@pytest.mark.parametrize("text", SAMPLES)
def test_counts_agree_with_textstat(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # textstat's English path looks words up in NLTK's downloaded CMU dictionary; without
    # it, textstat counts with Pyphen exactly as pipeline does. Compare with that path.
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    _count_syllables.count_syllables.cache_clear()
    ours = readability.count(text)
    assert ours.words == textstat.lexicon_count(text)
    assert ours.sentences == textstat.sentence_count(text)
    assert ours.syllables == _count_syllables.count_syllables(text, "en_US")
    assert ours.reading_ease == pytest.approx(textstat.flesch_reading_ease(text), abs=0.01)


def test_hyphenation_points_equal_pyphens_on_many_words() -> None:
    """readability counts pyphen's points with a pruned scan: the same numbers, word for word,
    on every word of the bundled articles and Python's own docs and random letter strings."""
    import random
    import re
    import sysconfig

    from pyphen import Pyphen

    words = set()
    for path in [*(REPO / "articles").glob("*.md"),
                 *sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[:120]]:
        words.update(re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", path.read_text(errors="ignore")))
    rng = random.Random(5)
    letters = "abcdefghijklmnopqrstuvwxyzéüæ'"
    words.update("".join(rng.choice(letters) for _ in range(rng.randint(1, 24)))
                 for _ in range(5000))
    words.update(["a", "ab", "Ab", "ÉCOLE", "İstanbul", "naïve", "x" * 60])
    assert len(words) > 15_000
    reference = Pyphen(lang="en_US")
    ours = readability._Hyphenation()
    differ = [word for word in sorted(words)
              if ours.points(word) != len(reference.positions(word))]
    assert differ == []


def test_long_words_get_pyphens_points_in_linear_time() -> None:
    """A pasted blob is one long "word": hyphenated with the trie at once, and the walk from
    each letter bounded by the longest pattern (it once copied the rest of the word each
    time). Both scans give pyphen's count."""
    import random
    import time

    from pyphen import Pyphen

    rng = random.Random(7)
    words = ["".join(rng.choice("etaoinshrdlucmfwyp") for _ in range(5000)),
             "pneumonoultramicroscopicsilicovolcanoconiosis" * 100]
    reference = Pyphen(lang="en_US")
    for trie_after in (0, 10**9):  # the trie from the first word, and never the trie
        ours = readability._Hyphenation()
        ours.TRIE_AFTER = trie_after
        ours.TRIE_FOR_LENGTH = 10**9 if trie_after else 0
        for word in words:
            assert ours.points(word) == len(reference.positions(word))
    started = time.perf_counter()
    readability._Hyphenation().points("a" * 1_000_000)
    assert time.perf_counter() - started < 20  # a guard against a hang, not a benchmark


def test_en_us_patterns_are_read_as_pyphen_reads_them() -> None:
    from pyphen import Pyphen

    assert readability.en_us_patterns() == Pyphen(lang="en_US").hd.patterns
    assert readability._Hyphenation.left == Pyphen(lang="en_US").left
    assert readability._Hyphenation.right == Pyphen(lang="en_US").right


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab Cd'.!?\"()-—\n1é", max_size=40), min_size=1, max_size=6))
def test_paragraph_counts_add_up_to_the_articles(paragraphs: list[str]) -> None:
    """The rule counts each paragraph once and sums; that must equal counting the paragraphs
    joined, as textstat would count the article's text."""
    from types import SimpleNamespace

    from pipeline.checks.editorial_rules import _as_sentences

    texts = [_as_sentences(SimpleNamespace(text=text)) for text in paragraphs if text.strip()]
    total = sum(map(readability.count, texts), readability.Counts(0, 0, 0))
    assert total == readability.count("\n".join(texts))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab é1_ '.,!?\"()-—\n\t\u00a0\u2009", max_size=30))
def test_a_sentence_is_kept_exactly_when_textstat_keeps_it(sentence: str) -> None:
    """textstat ignores sentences of two words or fewer (``count_words(s) <= 2``)."""
    from textstat.backend.counts import count_words

    assert readability.has_three_words(sentence) == (count_words(sentence) > 2)
