"""Editorial warnings: title-length, summary-missing, readability and repeated-word."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import pairwise

from pipeline import disclaimer
from pipeline.articles import Article
from pipeline.checks import Rule, article_rule, finding, readability
from pipeline.checks.prose import TextBlock, prose_of
from pipeline.config import Config
from pipeline.findings import Finding, Severity

TITLE_LENGTH = Rule(
    "title-length", Severity.WARNING,
    "The title is longer than [check] max_title_length characters (default 70).",
    "The title becomes the email subject, the feed entry title and the social post headline. "
    "Inboxes, search results and link previews cut long titles off, often around 60-70 "
    "characters, so the end of a long title is never read.\n"
    "Fix: shorten the title and move detail into the summary; or raise [check] "
    "max_title_length in pipeline.toml.",
)
SUMMARY_MISSING = Rule(
    "summary-missing", Severity.WARNING,
    "The front matter has no 'summary'.",
    "The summary is the feed description, the newsletter teaser, the email preheader and the "
    "social post text. Without one, the first paragraph stands in, and it is rarely written "
    "to be read on its own. The finding points at the front matter's closing '---'.\n"
    "Fix: add a line such as 'summary: Why gentle movement often helps back pain more than "
    "rest.' to the front matter (one or two sentences).",
)
READABILITY = Rule(
    "readability", Severity.WARNING,
    "The article is hard to read: its Flesch reading ease is below [check] readability_floor.",
    "Flesch reading ease scores text from about 0 (very hard) to 100 (very easy) from words "
    "per sentence and syllables per word; plain-language health writing usually scores 60 or "
    "more. Paragraphs and list items count; headings, code, and the disclaimer (which the "
    "article does not choose) do not, and articles under 100 words are not scored. The "
    "finding names the hardest paragraph. The floor is [check] readability_floor "
    "(default 30).\n"
    "Fix: split long sentences, prefer short everyday words ('use' for 'utilise'), explain "
    "one idea per paragraph.",
)

REPEATED_WORD = Rule(
    "repeated-word", Severity.WARNING,
    "A word is doubled by accident ('therapy therapy').",
    "A word typed twice in a row, in any case and across a line break ('The the', 'massage\n"
    "massage'), is a slip readers notice at once, and a sign of spun or machine-edited "
    "text. Doubles that English allows are not reported: 'had had', 'that that', 'is is', "
    "'bye bye', 'so so' and the like. Words in code, link addresses and comments are not "
    "checked.\n"
    "Fix: delete one of the two words; for a name that really doubles ('Bora Bora'), add "
    "<!-- pipeline-disable-next-line repeated-word: a place name --> above it.",
)
# Doubles English allows: "had had", "that that", "what it is is", "bye bye", "so-so".
_LEGITIMATE_DOUBLES = frozenset({
    "had", "that", "is", "do", "bye", "so", "no", "ha", "knock", "yes", "now", "there", "well",
    "tut", "chop", "night", "din", "boo", "aye", "hush", "pooh", "tsk", "bang", "hear",
})
_REPEATED = re.compile(r"\b([^\W\d_]+)(\s+)(\1)\b", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")

MIN_WORDS = 100  # below this, a reading-ease score says more about chance than about style


@article_rule(TITLE_LENGTH)
def check_title_length(article: Article, config: Config) -> Iterator[Finding]:
    limit = config.check.max_title_length
    if len(article.title) > limit:
        block = next((b for b in prose_of(article).blocks if b.kind == "title"), None)
        line, col = block.position(0) if block else (article.key_lines.get("title", 1), 1)
        extra = {}
        if block is not None:
            extra = dict(zip(("end_line", "end_col"), block.end_position(len(block.text)),
                             strict=True))
        yield finding(article, TITLE_LENGTH, line, col,
                      f"title is {len(article.title)} characters, over {limit}: inboxes and "
                      "search results cut it off; shorten it and move detail to the summary",
                      **extra)


@article_rule(SUMMARY_MISSING)
def check_summary(article: Article, config: Config) -> Iterator[Finding]:
    if not (article.summary or "").strip():
        yield finding(article, SUMMARY_MISSING, max(1, article.body_start - 1), 1,
                      "no 'summary' in the front matter: feeds, the newsletter and social posts "
                      "fall back to the first paragraph; add 'summary: one or two sentences'")


@cache
def _longest_word(text: str) -> str:
    return max(re.findall(r"\w+", text.lower()), key=len, default="")


def _scored_blocks(article: Article, config: Config) -> list[TextBlock]:
    text = config.disclaimers[article.disclaimer_id].text
    prose = prose_of(article)
    marker = _longest_word(text)  # cheap test before the full comparison
    may_hold = marker in prose.lower
    blocks = []
    for block in prose.body_blocks:
        if block.kind != "paragraph" or not block.text.strip():
            continue
        if (may_hold and len(block.text) >= len(text) and marker in block.text.lower()
                and disclaimer.contains(block.text, text)):
            continue
        blocks.append(block)
    return blocks


def _as_sentences(block: TextBlock) -> str:
    # A list item or caption without a full stop still ends its sentence.
    ending = block.text.rstrip().rstrip("\"')]")[-1:]
    return block.text if ending in (".", "!", "?") else block.text + "."


@article_rule(READABILITY)
def check_readability(article: Article, config: Config) -> Iterator[Finding]:
    blocks = _scored_blocks(article, config)
    if not blocks:
        return
    # The whole text first: most articles pass, and one count is cheaper than one per block.
    counts = readability.count("\n".join(_as_sentences(block) for block in blocks))
    floor = config.check.readability_floor
    if counts.words < MIN_WORDS or counts.reading_ease >= floor:
        return
    scored = [(readability.count(_as_sentences(block)), block) for block in blocks]
    hardest = min(((c.reading_ease, b) for c, b in scored if c.words >= 20),
                  key=lambda pair: pair[0], default=None)
    where = ""
    if hardest is not None:
        where = f"; the hardest paragraph, line {hardest[1].first_line}, scores {hardest[0]:.0f}"
    yield finding(article, READABILITY, blocks[0].first_line, 1,
                  f"Flesch reading ease is {counts.reading_ease:.1f}, below the floor of "
                  f"{floor:g} ([check] readability_floor){where}: use shorter sentences and "
                  "plainer words")


@article_rule(REPEATED_WORD)
def check_repeated_words(article: Article, config: Config) -> Iterator[Finding]:
    for block in prose_of(article).blocks:
        words = _WORDS.findall(block.text.lower())
        if all(a != b for a, b in pairwise(words)):
            continue  # no word twice in a row: the common case, found without the regex
        for found in _REPEATED.finditer(block.text):
            word = found.group(1)
            if word.lower() in _LEGITIMATE_DOUBLES:
                continue
            line, col = block.position(found.start(3))
            end_line, end_col = block.end_position(found.end(3))
            yield finding(article, REPEATED_WORD, line, col,
                          f"'{word} {found.group(3)}': the word is repeated; delete one",
                          end_line=end_line, end_col=end_col)
