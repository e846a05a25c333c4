"""medical-claim: promises a wellness publisher must not make, told apart from denials.

Phrases come from ``pipeline/data/medical_claims.yaml`` plus ``[check] claim_phrases``. A
match is a claim unless its sentence says otherwise, which is the hard part: "there is no
cure", "massage does not cure arthritis", "be wary of anyone who promises a miracle cure",
"researchers hope to find a cure", "miracle cures are a myth", a question, or a phrase in
quotes as a word ("products labelled "clinically proven""). Each of these readings is a list
in the data file; the logic here only decides where in the sentence to look for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.articles import Article
from pipeline.checks import Rule, article_rule, finding, phrases
from pipeline.checks.prose import Prose, TextBlock, prose_of
from pipeline.config import Config
from pipeline.findings import Finding, Severity

MEDICAL_CLAIM = Rule(
    "medical-claim", Severity.ERROR,
    "A claim a wellness publisher must not make (cures, miracles, guarantees, proof).",
    "Health writing must not promise what no treatment can deliver: a cure ('cures', 'a cure "
    "for'), a miracle, guaranteed results, proof without a source ('clinically proven' with no "
    "citation link), freedom from medicine ('eliminates the need for medication'), healing or "
    "reversing a disease, or complete safety ('100% safe', 'no side effects'). Denials and "
    "hedges are fine and are not reported: 'there is no cure', 'not a cure-all', 'massage "
    "does not cure arthritis', 'no treatment can guarantee results', 'claims of miracle cures "
    "are false', questions, and a phrase quoted as a word. 'Clinically proven' passes when the "
    "same sentence or paragraph links its source. Text in code, HTML comments and link "
    "addresses is not checked; the title and summary are.\n"
    "Sites add phrases with [check] claim_phrases = [\"detox\", \"boosts immunity\"].\n"
    "Fix: say what the evidence shows ('may ease stiffness for some people', 'a 2023 review "
    "found modest short-term benefits' with a link). To quote a claim on purpose, e.g. a "
    "reader's letter: <!-- pipeline-disable-next-line medical-claim: quoting a reader -->.",
)

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")
# "yet" joins clauses only after a comma or at a sentence's start ("simple, yet it cures");
# after a word it is the adverb of "don't yet know how to cure it", which keeps the negation.
_CLAUSE_BREAK = re.compile(
    r"[;:()\u2014\u2013]|\s-\s|\b(?:but|however|although|though|whereas|except)\b"
    r"|(?<![\w'\u2019]\s)\byet\b|\band\s+yet\b"
    r"|\band\s+(?=(?:it|they|you|we|he|she|i|this)\b)", re.IGNORECASE)
_WORD = re.compile(r"[\w']+")
_NEGATION_REACH = 12  # words before the phrase a negation may stand and still govern it
_SUBJECT_REACH = 6  # a phrase this close to its clause's start can be denied after it
_REACH = 400  # characters of context either side of a phrase
_QUOTE_SLACK = 1  # words besides the phrase inside quotes ("a miracle cure") that keep it a term


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    message: str
    citation: bool
    exceptions: re.Pattern[str] | None
    pursuit: re.Pattern[str] | None
    hedges: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Matcher:
    finder: phrases.Finder
    categories: dict[str, Category]
    negation: re.Pattern[str]
    distancing: re.Pattern[str]
    denials_after: re.Pattern[str]
    label: re.Pattern[str] | None
    myth_heading: re.Pattern[str] | None


def _optional(patterns: list[str] | None, lists: dict[str, list[str]]) -> re.Pattern[str] | None:
    return phrases.alternation(patterns, lists) if patterns else None


@cache
def matcher(extra: tuple[str, ...] = ()) -> Matcher:
    spec = phrases.data("medical_claims.yaml")
    lists = spec.get("lists", {})
    groups = []
    categories = {}
    for index, item in enumerate(spec["categories"]):
        name = f"c{index}"
        groups.append(f"(?P<{name}>" + "|".join(
            phrases.expand(p, lists) for p in item["patterns"]) + ")")
        categories[name] = Category(
            item["id"], item["message"], bool(item.get("citation")),
            _optional(item.get("except"), lists), _optional(item.get("pursuit"), lists),
            _optional(item.get("hedges"), lists))
    triggers = list(spec["triggers"])
    custom = [phrases.literal(p) for p in extra if p.strip()]
    triggers += [p.split()[0].replace("\u2019", "'") for p in extra if p.strip()]
    if custom:
        # Site phrases first: a site's own wording wins over a shorter built-in phrase.
        groups.insert(0, "(?P<custom>" + "|".join(custom) + ")")
        categories["custom"] = Category(
            "custom", "is on this site's list of claims to avoid ([check] claim_phrases)",
            False, None, None, None)
    pattern = re.compile(phrases.whole_words("|".join(groups)), re.IGNORECASE)
    return Matcher(
        phrases.Finder(pattern, triggers, reach=int(spec["trigger_reach"])),
        categories,
        phrases.alternation(spec["negations"], lists),
        phrases.alternation(spec["distancing"], lists),
        phrases.alternation(spec["denials_after"], lists),
        _label_pattern(spec.get("labels"), lists),
        _optional(spec.get("myth_headings"), lists),
    )


def _label_pattern(patterns: list[str] | None, lists: dict[str, list[str]],
                   ) -> re.Pattern[str] | None:
    """A whole sentence opening such as "Myth 2:" or "**The claim:**" (markup and a number
    allowed around the label)."""
    if not patterns:
        return None
    labels = "|".join(phrases.expand(p, lists) for p in patterns)
    return re.compile(r"[\W_]*(?:" + labels + r")(?:\s*(?:#|no\.?)?\s*\d+)?[\W_]*",
                      re.IGNORECASE)


def _sentence(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Bounds of the sentence around [start, end), and whether it is a question.

    Context is looked for at most _REACH characters away, which no real sentence needs and
    which keeps a hostile paragraph (thousands of phrases, no full stop) linear.
    """
    begin = low = max(0, start - _REACH)
    for stop in _SENTENCE_END.finditer(text, low, start):
        begin = stop.end()
    high = min(len(text), end + _REACH)
    stop = _SENTENCE_END.search(text, end, high)
    if stop is None:
        return begin, high, high == len(text) and text.rstrip().endswith("?")
    return begin, stop.end(), "?" in stop.group()


def _clause_start(text: str, begin: int, start: int) -> int:
    last = begin
    for found in _CLAUSE_BREAK.finditer(text, begin, start):
        last = found.end()
    return last


def _is_quoted_term(text: str, begin: int, start: int, end: int, stop: int,
                    slack: int = _QUOTE_SLACK) -> bool:
    """The phrase in quotes as a word under discussion: 'words like "miracle cure"' (or, with
    a larger ``slack``, inside any quotation in its sentence)."""
    words = len(_WORD.findall(text, start, end))
    for quote in ('"', "'"):
        left = text.rfind(quote, begin, start)
        right = text.find(quote, end, stop)
        if left < 0 or right < 0:
            continue
        if quote == "'" and (left and text[left - 1].isalnum()):
            continue  # an apostrophe (it's), not an opening quote
        if text.count(quote, begin, left) % 2:
            continue  # that quote closes an earlier quotation
        if len(_WORD.findall(text, left, right)) <= words + slack:
            return True
    return False


def _negated(matcher_: Matcher, prefix: str) -> bool:
    words = list(_WORD.finditer(prefix))
    window = prefix[words[-_NEGATION_REACH].start():] if len(words) > _NEGATION_REACH else prefix
    for found in matcher_.negation.finditer(window):
        first_word = found.group().split()[0].lower()
        before = window[max(0, found.start() - 2):found.start()].lower()
        if first_word in ("few", "little") and before == "a ":
            continue  # "a few studies", "a little evidence" affirm
        return True
    return False


def is_claim(matcher_: Matcher, category: Category, text: str, start: int, end: int,
             cited: bool) -> bool:
    begin, stop, question = _sentence(text, start, end)
    if question:
        return False
    if category.exceptions is not None:
        window_start, window_end = max(0, start - 40), min(len(text), end + 60)
        for found in category.exceptions.finditer(text, window_start, window_end):
            if found.start() < end and found.end() > start:
                return False
    if _is_quoted_term(text, begin, start, end, stop):
        return False
    clause = _clause_start(text, begin, start)
    prefix = text[clause:start]
    if matcher_.label is not None:
        colon = text.find(":", begin, start)
        if colon >= 0 and matcher_.label.fullmatch(text, begin, colon):
            return False  # "Myth: stretching cures back pain."
    if _negated(matcher_, prefix) or matcher_.distancing.search(prefix):
        return False
    if category.pursuit is not None:
        near = " ".join(_WORD.findall(prefix)[-5:])
        if category.pursuit.search(near):
            return False
    if category.hedges is not None and category.hedges.search(text, begin, start):
        return False
    if len(_WORD.findall(prefix)) <= _SUBJECT_REACH:
        after_end = _CLAUSE_BREAK.search(text, end, stop)
        if matcher_.denials_after.search(text, end, after_end.start() if after_end else stop):
            return False
    return not (category.citation and cited)


def _examined(matcher_: Matcher, blocks: list[TextBlock], index: int, start: int,
              end: int) -> bool:
    """A claim set out to be knocked down under a heading such as "Five myths about shin
    splints": quoted anywhere in its paragraph, or the sentence that opens its list item or
    paragraph ("- Cracking your back cures sciatica."). The explanation that follows is the
    writer's own voice again, so its claims are still reported."""
    block = blocks[index]
    if matcher_.myth_heading is None or block.kind not in ("paragraph", "cell", "html"):
        return False
    text = block.text
    begin, stop, _question = _sentence(text, start, end)
    opens_block = not text[:begin].strip()
    if not opens_block and not _is_quoted_term(text, begin, start, end, stop, slack=len(text)):
        return False
    for before in range(index - 1, -1, -1):
        if blocks[before].kind == "heading":
            return matcher_.myth_heading.search(blocks[before].text) is not None
    return False


def _cited(block: TextBlock) -> bool:
    from pipeline.checks.link_rules import is_citation

    return any(is_citation(link.url) for link in block.links)


def claims(prose: Prose, matcher_: Matcher) -> Iterator[tuple[TextBlock, re.Match[str],
                                                               Category]]:
    """Every claim in an article's prose, with its block and category."""
    cited: dict[int, bool] = {}
    for index, found in matcher_.finder.search(prose.texts, prose.lower):
        block = prose.blocks[index]
        category = matcher_.categories[found.lastgroup or ""]
        if category.citation and index not in cited:
            cited[index] = _cited(block)
        if is_claim(matcher_, category, block.text, found.start(), found.end(),
                    cited.get(index, False)) and not _examined(
                        matcher_, prose.blocks, index, found.start(), found.end()):
            yield block, found, category


@article_rule(MEDICAL_CLAIM)
def check_claims(article: Article, config: Config) -> Iterator[Finding]:
    matcher_ = matcher(tuple(config.check.claim_phrases))
    for block, found, category in claims(prose_of(article), matcher_):
        line, col = block.position(found.start())
        end_line, end_col = block.end_position(found.end())
        phrase = " ".join(found.group().split())
        yield finding(article, MEDICAL_CLAIM, line, col, f"'{phrase}' {category.message}",
                      end_line=end_line, end_col=end_col)
